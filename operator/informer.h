// An informer for one Kubernetes resource: lists, then watches from the list's
// resourceVersion, keeps a local cache of the objects, and tells handlers what
// changed. It copies client-go's reflector (tools/cache/reflector.go; summary
// in shared/docs/kube-api-contract.md section 3.8):
//  - watches ask for bookmarks and a random timeout in [300, 600) s, and
//    resume from the last resourceVersion seen (events and bookmarks);
//  - a watch that ends normally is resumed; one that fails, or closes within a
//    second with no event, is resumed after an exponential backoff
//    (800 ms doubling to 30 s, reset after 2 min of health);
//  - 410 Expired/Gone (an ERROR event or an HTTP 410) forces a relist at the
//    last resourceVersion, then, if the server no longer has that version
//    (410) or not yet (504 "Too large resource version"), a quorum relist;
//  - any other ERROR event ends the watch as a failure: it is retried after
//    the backoff, without a relist while watches have failed for less than a
//    minute, then relisting before each retry, so a cache cannot stay stale
//    while the watch is broken; a watch answered 404 (the CRD is gone)
//    relists at once;
//  - list and watch failures are logged when they start or change, again
//    every few minutes while they last, and once when the connection recovers;
//  - a relist replaces the cache and reports the differences as
//    add/update/delete, so no change is lost across reconnects.
// Handlers must be quick (the controller's only enqueue keys).
//
// Thread-safety: Run() on one thread; the cache accessors from any thread.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <stop_token>
#include <string>
#include <vector>

#include "operator/clock.h"
#include "operator/status.h"

namespace foresight::op {

using Json = nlohmann::json;

struct ListResult {
  std::vector<Json> items;
  std::string resource_version;
};

struct WatchEvent {
  std::string type;  // ADDED, MODIFIED, DELETED, BOOKMARK, ERROR
  Json object;       // the object, or a Status for ERROR
};

// The API calls an informer needs; implemented over the Kubernetes REST
// client, and by fakes in tests.
class ListerWatcher {
 public:
  virtual ~ListerWatcher() = default;
  // resource_version "" asks for a consistent (quorum) read, "0" for any.
  // A version the server cannot list at must give an error that
  // IsResourceVersionUnavailable() recognises.
  virtual Result<ListResult> List(const std::string& resource_version) = 0;
  // Streams events from resource_version until the server ends the stream
  // (OK), on_event returns false (OK), `stop` is requested, or an error. An
  // HTTP 410 must be delivered as an ERROR event with code 410, the way the
  // API server reports expiry inside a stream; an HTTP 404 (resource not
  // served) as a kNotFound error.
  virtual Status Watch(const std::string& resource_version, int timeout_seconds,
                       const std::function<bool(const WatchEvent&)>& on_event,
                       std::stop_token stop) = 0;
  virtual std::string Describe()
      const = 0;  // e.g. "predictiveautoscalers.autoscaling.foresight.dev"
};

// True for a list error that means "not at this resourceVersion": expired
// (HTTP 410, reason Expired or Gone) or newer than the server has (HTTP 504,
// "Too large resource version", kube-api-contract.md 2.5). Such a list is
// retried as a consistent read.
bool IsResourceVersionUnavailable(const Status& list_error);

// The text of a watch ERROR event's Status, for errors and logs:
// "InternalError (500): Internal error occurred: etcd is down".
std::string DescribeWatchError(const Json& status);

struct InformerHandlers {
  std::function<void(const Json& object)> on_add = [](const Json&) {};
  std::function<void(const Json& old_object, const Json& new_object)> on_update =
      [](const Json&, const Json&) {};
  std::function<void(const Json& object)> on_delete = [](const Json&) {};
  // Log lines about the connection (message, fields): a warning when list or
  // watch starts failing, changes error or keeps failing for
  // kFailureLogInterval; info when it works again.
  using LogLine = std::function<void(const std::string& message, const Json& fields)>;
  LogLine on_warning = [](const std::string&, const Json&) {};
  LogLine on_info = [](const std::string&, const Json&) {};
};

// Tunable: while list/watch keeps failing with the same error, it is logged
// again this often (with the count of failures), not at every retry.
inline constexpr std::chrono::minutes kFailureLogInterval{5};

// "namespace/name", or "name" for cluster-scoped objects.
std::string ObjectKey(const Json& object);

class Informer {
 public:
  Informer(ListerWatcher& source, Clock& clock, InformerHandlers handlers,
           unsigned seed = std::random_device{}());

  // Lists and watches until `stop` is requested.
  void Run(std::stop_token stop);
  // One iteration of Run's loop (list if needed, then one watch), for tests.
  // Returns the backoff Run would sleep before the next iteration.
  std::chrono::milliseconds Step(std::stop_token stop);

  bool HasSynced() const;
  std::optional<Json> Get(const std::string& key) const;
  std::vector<Json> List() const;
  std::string LastResourceVersion() const;

 private:
  enum class ListMode { kAny, kAtLastVersion, kConsistent };
  Status Relist();
  void Replace(std::vector<Json> items);
  // Applies one event; false ends the watch. An ERROR event's Status is left
  // in `error`.
  bool Apply(const WatchEvent& event, std::optional<Json>& error);
  std::chrono::milliseconds NextBackoff();
  // Backs off after a failed list or watch, logging it if it is news.
  std::chrono::milliseconds Failed(const std::string& error);
  // Failed() for a watch; decides whether the next attempt relists first.
  std::chrono::milliseconds WatchFailed(const std::string& error, bool resource_gone);
  void Recovered();

  ListerWatcher& source_;
  Clock& clock_;
  InformerHandlers handlers_;
  std::mt19937 rng_;
  ListMode list_mode_ = ListMode::kAny;
  bool need_list_ = true;
  std::chrono::milliseconds backoff_{0};
  Timestamp healthy_since_;
  std::optional<Timestamp> watch_failing_since_;  // first of the watch failures in a row
  // The failure last logged ("" while healthy), when, and failures in a row.
  std::string failing_with_;
  Timestamp failure_logged_at_;
  int failures_ = 0;

  mutable std::mutex mu_;
  std::map<std::string, Json> cache_;  // guarded by mu_
  std::string resource_version_;       // guarded by mu_
  bool synced_ = false;                // guarded by mu_
};

}  // namespace foresight::op
