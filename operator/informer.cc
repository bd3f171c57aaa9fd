#include "operator/informer.h"

#include <algorithm>

namespace foresight::op {
namespace {

constexpr std::chrono::milliseconds kInitialBackoff{800};
constexpr std::chrono::milliseconds kMaxBackoff{30'000};
constexpr std::chrono::minutes kBackoffResetAfter{2};
constexpr std::chrono::seconds kShortestHealthyWatch{1};
constexpr int kMinWatchTimeoutSeconds = 300;

bool IsExpiredStatus(const Json& status) {
  return status.value("code", 0) == 410 || status.value("reason", "") == "Expired" ||
         status.value("reason", "") == "Gone";
}

}  // namespace

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

bool Informer::Relist() {
  std::string rv;
  switch (list_mode_) {
    case ListMode::kAny:
      rv = "0";
      break;
    case ListMode::kAtLastVersion:
      rv = LastResourceVersion();
      break;
    case ListMode::kConsistent:
      rv = "";
      break;
  }
  Result<ListResult> listed = source_.List(rv);
  if (!listed.ok()) {
    // An expired version cannot be listed at: fall back to a consistent read.
    if (listed.error().find("410") != std::string::npos) list_mode_ = ListMode::kConsistent;
    return false;
  }
  Replace(std::move(listed->items));
  {
    std::lock_guard lock(mu_);
    resource_version_ = listed->resource_version;
  }
  need_list_ = false;
  list_mode_ = ListMode::kAtLastVersion;
  return true;
}

bool Informer::Apply(const WatchEvent& event, bool& expired) {
  if (event.type == "ERROR") {
    expired = IsExpiredStatus(event.object);
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

std::chrono::milliseconds Informer::Step(std::stop_token stop) {
  if (need_list_ && !Relist()) return NextBackoff();

  const Timestamp started = clock_.Now();
  int events = 0;
  bool expired = false;
  std::uniform_int_distribution<int> timeout(kMinWatchTimeoutSeconds,
                                             2 * kMinWatchTimeoutSeconds - 1);
  Status status = source_.Watch(
      LastResourceVersion(), timeout(rng_),
      [&](const WatchEvent& event) {
        ++events;
        return Apply(event, expired);
      },
      stop);
  if (expired) {
    need_list_ = true;  // relist at the last version; Relist() falls back if needed
    return std::chrono::milliseconds(0);
  }
  const bool too_short = events == 0 && clock_.Now() - started < kShortestHealthyWatch;
  if (!status.ok() || too_short) return NextBackoff();
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
