// HttpClient: the operator's one seam for HTTP. Plain value types in, plain
// value types out; no cpprest type ever appears in a header (cpprest defines a
// macro `U` that breaks Eigen and GoogleTest). The implementation lives in
// http_client_cpprest.cc; tests use testing/fake_http_client.h.
//
// An HTTP error status (404, 500, ...) is a response, not an error: callers
// decide what a status means. Redirects (3xx) are responses too: none is
// followed. Errors are transport failures (kUnavailable),
// timeouts (kDeadlineExceeded), cancellation (kCancelled) and bad requests
// (kInvalidArgument).
//
// Thread-safety: an HttpClient may be used from several threads at once.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "operator/status.h"
#include "operator/token_source.h"

namespace foresight::op {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive header lookup; the first match wins.
std::optional<std::string> FindHeader(const HttpHeaders& headers, std::string_view name);

// Tunable: a request that names no timeout gets this one.
inline constexpr std::chrono::milliseconds kDefaultHttpTimeout{10'000};

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute: http(s)://host[:port]/path?query
  HttpHeaders headers;
  std::string body;
  // Bound on the whole exchange for Send(); for Stream() the bound on the
  // connection and on each wait for more data (an idle timeout).
  std::chrono::milliseconds timeout = kDefaultHttpTimeout;
};

struct HttpResponse {
  int status = 0;
  HttpHeaders headers;
  std::string body;  // empty for Stream(): the body went to the callback

  std::optional<std::string> Header(std::string_view name) const {
    return FindHeader(headers, name);
  }
};

// PEM material is given either inline (`*_data`, PEM text, already decoded
// from kubeconfig base64) or as a file path; data wins when both are set.
struct TlsOptions {
  std::string ca_file;
  std::string ca_data;
  std::string client_cert_file;
  std::string client_cert_data;
  std::string client_key_file;
  std::string client_key_data;
  bool insecure_skip_verify = false;
};

struct HttpClientOptions {
  TlsOptions tls;
  // When set, every request carries `Authorization: Bearer <token>` (unless
  // the request sets Authorization itself); a 401 invalidates the token and
  // the request is sent once more with a freshly read one
  // (kube-api-contract.md 8.2).
  std::shared_ptr<TokenSource> bearer_token;
};

// Cancels a Stream() from another thread. Cheap to share by reference.
class CancelFlag {
 public:
  void Cancel() { cancelled_.store(true); }
  bool cancelled() const { return cancelled_.load(); }

 private:
  std::atomic<bool> cancelled_{false};
};

// Receives the body of a streamed response piece by piece, as it arrives.
// Return false to stop reading (the stream is then closed: not an error).
using ChunkCallback = std::function<bool(std::string_view chunk)>;

class HttpClient {
 public:
  virtual ~HttpClient() = default;

  // Sends the request and reads the whole response within request.timeout.
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;

  // Sends the request and hands a 2xx body to `on_chunk` as it arrives;
  // returns the status and headers (body empty) once the body ends, `on_chunk`
  // returns false or `cancel` is set (then kCancelled). Any other status is
  // returned with its whole body and `on_chunk` is not called. `on_chunk` is
  // called on one thread at a time, never after Stream() returns.
  virtual Result<HttpResponse> Stream(const HttpRequest& request,
                                      const ChunkCallback& on_chunk,
                                      const CancelFlag* cancel) = 0;
};

// The cpprest implementation. Fails only when a TLS file cannot be read.
Result<std::unique_ptr<HttpClient>> NewCpprestHttpClient(HttpClientOptions options);

// Splits a chunked body into lines ("\n"-terminated, "\r\n" accepted) for
// line-delimited streams such as Kubernetes watch events. Wrap it around a
// line callback and pass it as the ChunkCallback; a final unterminated line
// is delivered by Flush().
class LineSplitter {
 public:
  using LineCallback = std::function<bool(std::string_view line)>;
  explicit LineSplitter(LineCallback on_line) : on_line_(std::move(on_line)) {}

  bool Feed(std::string_view chunk);
  bool Flush();
  ChunkCallback AsChunkCallback() {
    return [this](std::string_view c) { return Feed(c); };
  }

 private:
  LineCallback on_line_;
  std::string pending_;
};

}  // namespace foresight::op
