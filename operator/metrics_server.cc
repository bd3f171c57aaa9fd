// The second of the two files that include cpprest (see http_client_cpprest.cc).
#include "operator/metrics_server.h"

#include <cpprest/http_listener.h>

#include <mutex>

namespace foresight::op {

namespace http = web::http;
using web::http::experimental::listener::http_listener;

struct MetricsServer::Impl {
  std::string url;
  const MetricsRegistry* registry = nullptr;
  std::function<bool()> ready;
  std::unique_ptr<http_listener> listener;
  std::mutex mu;
  bool stopped = false;  // guarded by mu

  void Handle(http::http_request req) {
    const std::string path = req.relative_uri().path();
    const std::string& method = req.method();
    if (method != http::methods::GET && method != http::methods::HEAD) {
      req.reply(http::status_codes::MethodNotAllowed, "method not allowed\n");
      return;
    }
    if (path == "/metrics") {
      http::http_response resp(http::status_codes::OK);
      const std::string text = registry->Expose();
      // As bytes: see the note on set_body in http_client_cpprest.cc.
      resp.set_body(std::vector<unsigned char>(text.begin(), text.end()));
      resp.headers().set_content_type(kExpositionContentType);
      req.reply(resp);
    } else if (path == "/healthz") {
      req.reply(http::status_codes::OK, "ok\n");
    } else if (path == "/readyz") {
      const bool ok = ready && ready();
      req.reply(ok ? http::status_codes::OK : http::status_codes::ServiceUnavailable,
                ok ? "ok\n" : "not ready\n");
    } else {
      req.reply(http::status_codes::NotFound, "not found\n");
    }
  }
};

MetricsServer::MetricsServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

MetricsServer::~MetricsServer() { Stop(); }

Result<std::unique_ptr<MetricsServer>> MetricsServer::Start(const MetricsServerOptions& options,
                                                            const MetricsRegistry& registry,
                                                            std::function<bool()> ready) {
  auto impl = std::make_unique<Impl>();
  const bool ipv6 = options.address.find(':') != std::string::npos;
  impl->url = "http://" + (ipv6 ? "[" + options.address + "]" : options.address) + ":" +
              std::to_string(options.port);
  impl->registry = &registry;
  impl->ready = std::move(ready);
  try {
    impl->listener = std::make_unique<http_listener>(impl->url + "/");
    Impl* raw = impl.get();
    impl->listener->support([raw](http::http_request req) {
      try {
        raw->Handle(std::move(req));
      } catch (const std::exception&) {
        // The client went away mid-reply; nothing to do.
      }
    });
    impl->listener->open().wait();
  } catch (const std::exception& e) {
    return Status::Unavailable("metrics server cannot listen on " + impl->url + ": " + e.what());
  }
  return std::unique_ptr<MetricsServer>(new MetricsServer(std::move(impl)));
}

void MetricsServer::Stop() {
  std::lock_guard lock(impl_->mu);
  if (impl_->stopped) return;
  impl_->stopped = true;
  try {
    impl_->listener->close().wait();
  } catch (const std::exception&) {
  }
}

const std::string& MetricsServer::url() const { return impl_->url; }

}  // namespace foresight::op
