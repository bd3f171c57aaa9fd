// FakeHttpClient: answers Send() from a script of canned results, in order,
// and records every request. Stream() delivers a canned body in chunks.
#pragma once

#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "operator/http_client.h"

namespace foresight::op::testing {

class FakeHttpClient final : public HttpClient {
 public:
  void Push(Result<HttpResponse> r) {
    std::lock_guard lock(mu_);
    script_.push_back(std::move(r));
  }
  void PushResponse(int status, std::string body, HttpHeaders headers = {}) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    Push(std::move(r));
  }

  Result<HttpResponse> Send(const HttpRequest& request) override {
    std::lock_guard lock(mu_);
    requests_.push_back(request);
    if (script_.empty())
      return Status::Internal("FakeHttpClient: no scripted response for " + request.url);
    Result<HttpResponse> r = std::move(script_.front());
    script_.pop_front();
    return r;
  }

  // Splits the next scripted body into `chunk_size` pieces.
  Result<HttpResponse> Stream(const HttpRequest& request, const ChunkCallback& on_chunk,
                              const CancelFlag* cancel) override {
    Result<HttpResponse> r = Send(request);
    if (!r.ok()) return r;
    HttpResponse head = r.value();
    if (head.status < 200 || head.status > 299) return head;  // not streamed
    head.body.clear();
    const std::string& body = r->body;
    for (size_t i = 0; i < body.size(); i += chunk_size) {
      if (cancel != nullptr && cancel->cancelled()) return Status::Cancelled("cancelled");
      if (!on_chunk(std::string_view(body).substr(i, chunk_size))) break;
    }
    return head;
  }

  std::vector<HttpRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

  size_t chunk_size = 7;

 private:
  mutable std::mutex mu_;
  std::deque<Result<HttpResponse>> script_;  // guarded by mu_
  std::vector<HttpRequest> requests_;        // guarded by mu_
};

}  // namespace foresight::op::testing
