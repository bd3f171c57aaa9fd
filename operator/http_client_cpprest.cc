// HttpClient over cpprestsdk (asio backend). The only file besides
// metrics_server.cc that includes cpprest; `_TURN_OFF_PLATFORM_STRING` is a
// compile definition of the library, so the `U` macro never exists.
#include <boost/asio/ssl.hpp>
#include <cpprest/http_client.h>

#include <algorithm>
#include <condition_variable>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "operator/http_client.h"

namespace foresight::op {
namespace {

namespace http = web::http;
namespace client = web::http::client;

// Tunable: slack on top of the request timeout before the deadline watchdog
// cancels a request that cpprest's own (idle) timer has not ended.
constexpr std::chrono::milliseconds kDeadlineSlack{250};
// Tunable: how often a Stream() checks its CancelFlag.
constexpr std::chrono::milliseconds kCancelPollInterval{20};
// Tunable: bytes copied per read once data is available.
constexpr size_t kMaxChunkBytes = 64 * 1024;

Result<std::string> ReadFile(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(std::string(what) + " file " + path + " cannot be read");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// TLS material resolved to PEM text once, when the client is made.
struct TlsMaterial {
  std::string ca, cert, key;
  bool insecure = false;
};

Result<TlsMaterial> ResolveTls(const TlsOptions& o) {
  TlsMaterial m;
  m.insecure = o.insecure_skip_verify;
  auto pick = [](const std::string& data, const std::string& file, const char* what,
                 std::string* out) -> Status {
    if (!data.empty()) {
      *out = data;
    } else if (!file.empty()) {
      auto r = ReadFile(file, what);
      if (!r.ok()) return r.status();
      *out = std::move(r).value();
    }
    return Status::Ok();
  };
  if (auto s = pick(o.ca_data, o.ca_file, "CA", &m.ca); !s.ok()) return s;
  if (auto s = pick(o.client_cert_data, o.client_cert_file, "client certificate", &m.cert); !s.ok())
    return s;
  if (auto s = pick(o.client_key_data, o.client_key_file, "client key", &m.key); !s.ok()) return s;
  if (m.cert.empty() != m.key.empty())
    return Status::InvalidArgument("a client certificate needs a client key and vice versa");
  return m;
}

bool IsTimeout(const std::error_code& ec) {
  return ec == std::errc::timed_out || ec.value() == ETIMEDOUT;
}

Status FromException(const std::exception& e, const HttpRequest& req) {
  const std::string where = req.method + " " + req.url + ": ";
  if (auto* he = dynamic_cast<const http::http_exception*>(&e)) {
    if (IsTimeout(he->error_code()))
      return Status::DeadlineExceeded(where + "timed out after " +
                                      std::to_string(req.timeout.count()) + "ms");
    return Status::Unavailable(where + he->what());
  }
  if (dynamic_cast<const pplx::task_canceled*>(&e)) return Status::Cancelled(where + "cancelled");
  if (dynamic_cast<const web::uri_exception*>(&e))
    return Status::InvalidArgument(where + "bad URL: " + e.what());
  return Status::Unavailable(where + e.what());
}

HttpHeaders ToHeaders(const http::http_headers& h) {
  HttpHeaders out;
  for (const auto& [k, v] : h) out.emplace_back(k, v);
  return out;
}

class CpprestHttpClient final : public HttpClient {
 public:
  CpprestHttpClient(TlsMaterial tls, std::shared_ptr<TokenSource> token)
      : tls_(std::move(tls)), token_(std::move(token)) {}

  Result<HttpResponse> Send(const HttpRequest& request) override {
    auto r = SendOnce(request);
    if (r.ok() && r->status == 401 && ShouldRetryAuth(request)) {
      token_->Invalidate();
      r = SendOnce(request);
    }
    return r;
  }

  Result<HttpResponse> Stream(const HttpRequest& request, const ChunkCallback& on_chunk,
                              const CancelFlag* cancel) override {
    auto r = StreamOnce(request, on_chunk, cancel);
    if (r.ok() && r->status == 401 && ShouldRetryAuth(request)) {
      token_->Invalidate();
      r = StreamOnce(request, on_chunk, cancel);
    }
    return r;
  }

 private:
  bool ShouldRetryAuth(const HttpRequest& request) const {
    return token_ != nullptr && !FindHeader(request.headers, "Authorization");
  }

  // One cpprest client per (scheme://authority, timeout): connections are
  // pooled per client, and cpprest's timeout is a client setting.
  Result<std::shared_ptr<client::http_client>> ClientFor(const web::uri& uri,
                                                         std::chrono::milliseconds timeout) {
    web::uri_builder b;
    b.set_scheme(uri.scheme()).set_host(uri.host()).set_port(uri.port());
    const std::string base = b.to_string();
    const std::string key = base + "|" + std::to_string(timeout.count());
    std::lock_guard lock(mu_);
    if (auto it = clients_.find(key); it != clients_.end()) return it->second;
    client::http_client_config config;
    config.set_timeout(timeout);
    // A redirect is answered, not followed: cpprest would turn a POST into a
    // GET without its body (a Prometheus query would arrive without its
    // query) and send the Authorization header on to the Location.
    config.set_max_redirects(0);
    config.set_validate_certificates(!tls_.insecure);
    const TlsMaterial tls = tls_;
    config.set_ssl_context_callback([tls](boost::asio::ssl::context& ctx) {
      boost::system::error_code ignored;
      if (!tls.ca.empty())
        ctx.add_certificate_authority(boost::asio::buffer(tls.ca.data(), tls.ca.size()), ignored);
      if (!tls.cert.empty()) {
        ctx.use_certificate_chain(boost::asio::buffer(tls.cert.data(), tls.cert.size()), ignored);
        ctx.use_private_key(boost::asio::buffer(tls.key.data(), tls.key.size()),
                            boost::asio::ssl::context::pem, ignored);
      }
    });
    auto c = std::make_shared<client::http_client>(web::uri(base), config);
    clients_.emplace(key, c);
    return c;
  }

  Result<http::http_request> Build(const HttpRequest& request, web::uri* uri_out) {
    web::uri uri;
    try {
      uri = web::uri(request.url);
    } catch (const std::exception& e) {
      return Status::InvalidArgument("bad URL '" + request.url + "': " + e.what());
    }
    if (uri.scheme() != "http" && uri.scheme() != "https")
      return Status::InvalidArgument("URL '" + request.url + "' is not http(s)");
    *uri_out = uri;
    http::http_request req(request.method);
    web::uri_builder rb;
    rb.set_path(uri.path()).set_query(uri.query()).set_fragment(uri.fragment());
    req.set_request_uri(rb.to_uri());
    std::string content_type = "application/octet-stream";
    for (const auto& [k, v] : request.headers) {
      if (utility::details::str_iequal(k, std::string("Content-Type"))) {
        content_type = v;
      } else {
        req.headers().add(k, v);
      }
    }
    if (token_ && !FindHeader(request.headers, "Authorization")) {
      auto t = token_->Token();
      if (!t.ok()) return t.status();
      req.headers().add("Authorization", "Bearer " + t.value());
    }
    if (!request.body.empty()) {
      // As bytes: cpprest's std::string overload reads a char buffer through
      // a uint8_t stream, which UBSan reports as a bad cast inside cpprest.
      req.set_body(std::vector<unsigned char>(request.body.begin(), request.body.end()));
      req.headers().set_content_type(content_type);
    }
    return req;
  }

  Result<HttpResponse> SendOnce(const HttpRequest& request) {
    web::uri uri;
    auto req = Build(request, &uri);
    if (!req.ok()) return req.status();
    auto c = ClientFor(uri, request.timeout);
    if (!c.ok()) return c.status();

    // The outcome is shared with the continuation, which may outlive this
    // call when the deadline fires first.
    auto promise = std::make_shared<std::promise<Result<HttpResponse>>>();
    auto future = promise->get_future();
    pplx::cancellation_token_source cts;
    try {
      c.value()
          ->request(req.value(), cts.get_token())
          .then([](http::http_response resp) {
            return resp.extract_vector().then([resp](std::vector<unsigned char> body) {
              HttpResponse out;
              out.status = resp.status_code();
              out.headers = ToHeaders(resp.headers());
              out.body.assign(body.begin(), body.end());
              return out;
            });
          })
          .then([promise, request](pplx::task<HttpResponse> t) {
            try {
              promise->set_value(t.get());
            } catch (const std::exception& e) {
              promise->set_value(FromException(e, request));
            }
          });
    } catch (const std::exception& e) {
      return FromException(e, request);
    }
    if (future.wait_for(request.timeout + kDeadlineSlack) != std::future_status::ready) {
      cts.cancel();
      return Status::DeadlineExceeded(request.method + " " + request.url + ": timed out after " +
                                      std::to_string(request.timeout.count()) + "ms");
    }
    return future.get();
  }

  Result<HttpResponse> StreamOnce(const HttpRequest& request, const ChunkCallback& on_chunk,
                                  const CancelFlag* cancel) {
    web::uri uri;
    auto req = Build(request, &uri);
    if (!req.ok()) return req.status();
    auto c = ClientFor(uri, request.timeout);
    if (!c.ok()) return c.status();

    pplx::cancellation_token_source cts;
    // Watchdog: turns the CancelFlag into a cpprest cancellation, which
    // closes the connection and so ends a blocked read.
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    std::thread watchdog;
    if (cancel != nullptr) {
      watchdog = std::thread([&] {
        std::unique_lock lock(mu);
        while (!done) {
          if (cancel->cancelled()) {
            cts.cancel();
            return;
          }
          cv.wait_for(lock, kCancelPollInterval);
        }
      });
    }
    auto finish = [&](Result<HttpResponse> r) {
      {
        std::lock_guard lock(mu);
        done = true;
      }
      cv.notify_all();
      if (watchdog.joinable()) watchdog.join();
      if (!r.ok() && cancel != nullptr && cancel->cancelled())
        return Result<HttpResponse>(Status::Cancelled(request.method + " " + request.url +
                                                      ": cancelled"));
      return r;
    };

    HttpResponse out;
    try {
      http::http_response resp = c.value()->request(req.value(), cts.get_token()).get();
      out.status = resp.status_code();
      out.headers = ToHeaders(resp.headers());
      if (out.status < 200 || out.status > 299) {
        // An error answer (e.g. a Kubernetes Status) is not a stream: the
        // caller gets it whole in the response body.
        const auto body = resp.extract_vector().get();
        out.body.assign(body.begin(), body.end());
        return finish(std::move(out));
      }
      auto buf = resp.body().streambuf();
      std::string chunk;
      while (true) {
        const auto first = buf.bumpc().get();  // waits for a byte or the end
        if (first == std::char_traits<char>::eof()) break;
        const size_t avail = std::min(buf.in_avail(), kMaxChunkBytes);
        chunk.resize(1 + avail);
        chunk[0] = static_cast<char>(first);
        if (avail > 0) chunk.resize(1 + buf.getn(reinterpret_cast<uint8_t*>(&chunk[1]), avail).get());
        if (!on_chunk(chunk)) {
          cts.cancel();  // stop reading; the connection is dropped
          break;
        }
      }
    } catch (const std::exception& e) {
      return finish(FromException(e, request));
    }
    return finish(std::move(out));
  }

  // constant after construction
  const TlsMaterial tls_;
  const std::shared_ptr<TokenSource> token_;

  std::mutex mu_;
  std::map<std::string, std::shared_ptr<client::http_client>> clients_;  // guarded by mu_
};

}  // namespace

Result<std::unique_ptr<HttpClient>> NewCpprestHttpClient(HttpClientOptions options) {
  auto tls = ResolveTls(options.tls);
  if (!tls.ok()) return tls.status();
  return std::unique_ptr<HttpClient>(
      new CpprestHttpClient(std::move(tls).value(), std::move(options.bearer_token)));
}

}  // namespace foresight::op
