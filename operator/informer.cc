#include "operator/informer.h"

#include <algorithm>

namespace foresight::op {
namespace {

constexpr std::chrono::milliseconds kInitialBackoff{800};
constexpr std::chrono::milliseconds kMaxBackoff{30'000};
constexpr std::chrono::minutes kBackoffResetAfter{2};
constexpr std::chrono::seconds kShortestHealthyWatch{1};
constexpr int kMinWatchTimeoutSeconds = 300;
// How long failing watches are retried as watches before each retry relists first (client-go's
// MaxInternalErrorRetryDuration, contract 3.8.5): a watch that keeps failing while lists work
// must not leave the cache stale for good.
constexpr std::chrono::minutes kWatchRetryLimit{1};

bool IsExpiredStatus(const Json& status) {
  return status.value("code", 0) == 410 || status.value("reason", "") == "Expired" ||
         status.value("reason", "") == "Gone";
}

std::string Seconds(std::chrono::milliseconds d) {
  return std::to_string(d.count() / 1000) + "." + std::to_string(d.count() % 1000 / 100) + "s";
}

}  // namespace

bool IsResourceVersionUnavailable(const Status& list_error) {
  const std::string& m = list_error.message();
  return m.find("HTTP 410") != std::string::npos ||
         m.find("Too large resource version") != std::string::npos;
}

std::string DescribeWatchError(const Json& status) {
  if (!status.is_object()) return "ERROR event without a Status";
  std::string text = status.value("reason", "");
  const int code = status.value("code", 0);
  if (code != 0) text += (text.empty() ? "" : " ") + std::string("(") + std::to_string(code) + ")";
  const std::string message = status.value("message", "");
  if (!message.empty()) text += (text.empty() ? "" : ": ") + message;
  return text.empty() ? "ERROR event with an empty Status" : text;
}

std::string ObjectKey(const Json& object) {
  const Json& meta = object.value("metadata", Json::object());
  std::string ns = meta.value("namespace", "");
  std::string name = meta.value("name", "");
  return ns.empty() ? name : ns + "/" + name;
}

Informer::Informer(ListerWatcher& source, Clock& clock, InformerHandlers handlers, unsigned seed)
    : source_(source), clock_(clock), handlers_(std::move(handlers)), rng_(seed) {}

bool Informer::HasSynced() const {
  std::lock_guard lock(mu_);
  return synced_;
}

std::optional<Json> Informer::Get(const std::string& key) const {
  std::lock_guard lock(mu_);
  auto it = cache_.find(key);
  if (it == cache_.end()) return std::nullopt;
  return it->second;
}

std::vector<Json> Informer::List() const {
  std::lock_guard lock(mu_);
  std::vector<Json> out;
  out.reserve(cache_.size());
  for (const auto& [key, object] : cache_) out.push_back(object);
  return out;
}

std::string Informer::LastResourceVersion() const {
  std::lock_guard lock(mu_);
  return resource_version_;
}

void Informer::Replace(std::vector<Json> items) {
  std::map<std::string, Json> fresh;
  for (Json& item : items) {
    std::string key = ObjectKey(item);
    fresh.emplace(std::move(key), std::move(item));
  }
  std::map<std::string, Json> old;
  {
    std::lock_guard lock(mu_);
    old.swap(cache_);
    cache_ = fresh;
    synced_ = true;
  }
  // Differences are reported outside the lock: handlers may read the cache.
  for (const auto& [key, object] : old) {
    if (!fresh.count(key)) handlers_.on_delete(object);
  }
  for (const auto& [key, object] : fresh) {
    auto it = old.find(key);
    if (it == old.end()) {
      handlers_.on_add(object);
    } else {
      handlers_.on_update(it->second, object);
    }
  }
}

Status Informer::Relist() {
  auto version = [&] {
    switch (list_mode_) {
      case ListMode::kAny:
        return std::string("0");
      case ListMode::kAtLastVersion:
        return LastResourceVersion();
      case ListMode::kConsistent:
        break;
    }
    return std::string();
  };
  Result<ListResult> listed = source_.List(version());
  if (!listed.ok() && list_mode_ != ListMode::kConsistent &&
      IsResourceVersionUnavailable(listed.status())) {
    // The server cannot list at our version (expired, or not reached yet):
    // a consistent read can always be served (client-go's
    // isLastSyncResourceVersionUnavailable).
    list_mode_ = ListMode::kConsistent;
    listed = source_.List(version());
  }
  if (!listed.ok()) {
    // The resource type is gone (its CRD deleted): so are its objects, whose handlers must
    // hear of it rather than act on them until the type comes back (client-go replaces the
    // store with an empty list, contract 3.8.8). Still an error: the list is retried. Before
    // a first list there is nothing to forget, and the informer stays unsynced (not ready).
    if (listed.status().code() == StatusCode::kNotFound && HasSynced()) Replace({});
    return listed.status();
  }
  Replace(std::move(listed->items));
  {
    std::lock_guard lock(mu_);
    resource_version_ = listed->resource_version;
  }
  need_list_ = false;
  list_mode_ = ListMode::kAtLastVersion;
  return Status::Ok();
}

bool Informer::Apply(const WatchEvent& event, std::optional<Json>& error) {
  if (event.type == "ERROR") {
    error = event.object;
    return false;  // every ERROR ends the watch
  }
  const std::string rv =
      event.object.value("metadata", Json::object()).value("resourceVersion", "");
  if (event.type == "BOOKMARK") {
    std::lock_guard lock(mu_);
    if (!rv.empty()) resource_version_ = rv;
    return true;
  }
  const std::string key = ObjectKey(event.object);
  std::optional<Json> old;
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(key);
    if (it != cache_.end()) old = it->second;
    if (event.type == "DELETED") {
      cache_.erase(key);
    } else {
      cache_[key] = event.object;
    }
    if (!rv.empty()) resource_version_ = rv;
  }
  if (event.type == "DELETED") {
    handlers_.on_delete(old.value_or(event.object));
  } else if (old) {
    handlers_.on_update(*old, event.object);
  } else {
    handlers_.on_add(event.object);
  }
  return true;
}

std::chrono::milliseconds Informer::NextBackoff() {
  backoff_ = backoff_.count() == 0 ? kInitialBackoff : std::min(backoff_ * 2, kMaxBackoff);
  // Jitter of up to 100% spreads reconnecting operators apart (client-go's factor 1.0).
  std::uniform_real_distribution<double> jitter(1.0, 2.0);
  return std::chrono::milliseconds(static_cast<long long>(backoff_.count() * jitter(rng_)));
}

std::chrono::milliseconds Informer::Failed(const std::string& error) {
  const std::chrono::milliseconds wait = NextBackoff();
  ++failures_;
  const Timestamp now = clock_.Now();
  if (error != failing_with_ || now - failure_logged_at_ >= kFailureLogInterval) {
    handlers_.on_warning("cannot list/watch " + source_.Describe() + ", retrying",
                         {{"resource", source_.Describe()},
                          {"error", error},
                          {"failures", failures_},
                          {"retryIn", Seconds(wait)}});
    failing_with_ = error;
    failure_logged_at_ = now;
  }
  return wait;
}

void Informer::Recovered() {
  if (!failing_with_.empty()) {
    handlers_.on_info("list/watch of " + source_.Describe() + " works again",
                      {{"resource", source_.Describe()}, {"failures", failures_}});
  }
  failing_with_.clear();
  failures_ = 0;
}

std::chrono::milliseconds Informer::WatchFailed(const std::string& error, bool resource_gone) {
  const Timestamp now = clock_.Now();
  if (!watch_failing_since_) watch_failing_since_ = now;
  // A watch answered 404 has no resource to resume: its CRD is gone, and the relist empties
  // the cache (contract 3.8.8).
  if (resource_gone || now - *watch_failing_since_ >= kWatchRetryLimit) need_list_ = true;
  return Failed(error);
}

std::chrono::milliseconds Informer::Step(std::stop_token stop) {
  if (need_list_) {
    Status listed = Relist();
    if (!listed.ok()) return Failed(listed.message());
    // A relist because watches keep failing is no recovery: only a watch that works is.
    if (!watch_failing_since_) Recovered();
  }

  const Timestamp started = clock_.Now();
  int events = 0;
  std::optional<Json> error;
  std::uniform_int_distribution<int> timeout(kMinWatchTimeoutSeconds,
                                             2 * kMinWatchTimeoutSeconds - 1);
  Status status = source_.Watch(
      LastResourceVersion(), timeout(rng_),
      [&](const WatchEvent& event) {
        if (event.type != "ERROR" && ++events == 1) Recovered();
        return Apply(event, error);
      },
      stop);
  if (events > 0) watch_failing_since_.reset();
  if (error && IsExpiredStatus(*error)) {
    need_list_ = true;  // relist at the last version; Relist() falls back if needed
    return std::chrono::milliseconds(0);
  }
  if (error) {
    // Any other Status (500 InternalError, ...) is an error of the watch: retried after the
    // backoff like a failed connection (contract 3.6, 3.8.5), relisting once it has lasted.
    return WatchFailed("watch " + source_.Describe() + ": " + DescribeWatchError(*error),
                       error->value("code", 0) == 404);
  }
  if (!status.ok()) return WatchFailed(status.message(), status.code() == StatusCode::kNotFound);
  if (events == 0 && clock_.Now() - started < kShortestHealthyWatch) {
    return WatchFailed("watch " + source_.Describe() + " closed within " +
                           Seconds(kShortestHealthyWatch) + " without an event",
                       false);
  }
  watch_failing_since_.reset();
  Recovered();
  if (clock_.Now() - healthy_since_ >= kBackoffResetAfter) backoff_ = std::chrono::milliseconds(0);
  return std::chrono::milliseconds(0);
}

void Informer::Run(std::stop_token stop) {
  healthy_since_ = clock_.Now();
  while (!stop.stop_requested()) {
    std::chrono::milliseconds wait = Step(stop);
    if (wait.count() == 0) continue;
    healthy_since_ = clock_.Now() + wait;
    // Sleep in short slices so a shutdown is not held up by a 30 s backoff.
    for (auto left = wait; left.count() > 0 && !stop.stop_requested();
         left -= std::chrono::milliseconds(100)) {
      clock_.SleepFor(std::min(left, std::chrono::milliseconds(100)));
    }
  }
}

}  // namespace foresight::op
