#include "operator/event_recorder.h"

#include <cstdio>

#include "operator/kube_time.h"

namespace foresight::op {
namespace {

// Repeats within this window are folded into one Event (client-go uses ten
// minutes for its similar-event aggregation).
constexpr std::chrono::minutes kAggregationWindow{10};
constexpr size_t kMaxRemembered = 4096;

std::string HexNanos(Timestamp t) {
  char buf[24];
  std::snprintf(
      buf, sizeof buf, "%llx",
      static_cast<unsigned long long>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count()));
  return buf;
}

}  // namespace

KubeEventRecorder::KubeEventRecorder(KubeClient& client, Clock& clock, std::string component,
                                     std::string instance,
                                     std::function<void(const std::string&)> on_error)
    : client_(client),
      clock_(clock),
      component_(std::move(component)),
      instance_(std::move(instance)),
      on_error_(std::move(on_error)) {}

void KubeEventRecorder::Record(const Json& object, const std::string& type,
                               const std::string& reason, const std::string& message) {
  const Json& meta = object.value("metadata", Json::object());
  const std::string ns = meta.value("namespace", "default");
  const std::string name = meta.value("name", "");
  const std::string uid = meta.value("uid", "");
  const std::string key =
      uid + "\n" + ns + "/" + name + "\n" + type + "\n" + reason + "\n" + message;
  const Timestamp now = clock_.Now();

  std::optional<Recorded> previous;
  {
    std::lock_guard lock(mu_);
    auto it = recent_.find(key);
    if (it != recent_.end() && now - it->second.last < kAggregationWindow) previous = it->second;
  }
  if (previous) {
    const int count = previous->count + 1;
    const std::string event_name =
        previous->namespace_name.substr(previous->namespace_name.find('/') + 1);
    auto patched = client_.MergePatch(
        kCoreEvents, ns, event_name,
        {{"count", count}, {"lastTimestamp", FormatKubeTime(now)}, {"message", message}});
    if (patched.ok() && patched->ok()) {
      std::lock_guard lock(mu_);
      recent_[key] = {previous->namespace_name, count, previous->first, now};
      return;
    }
    // The Event expired or was deleted: create a fresh one below.
  }

  const std::string event_name = name + "." + HexNanos(now);
  Json event = {{"apiVersion", "v1"},
                {"kind", "Event"},
                {"metadata", {{"name", event_name}, {"namespace", ns}}},
                {"involvedObject",
                 {{"apiVersion", object.value("apiVersion", "")},
                  {"kind", object.value("kind", "")},
                  {"namespace", ns},
                  {"name", name},
                  {"uid", uid},
                  {"resourceVersion", meta.value("resourceVersion", "")}}},
                {"reason", reason},
                {"message", message},
                {"type", type},
                {"source", {{"component", component_}}},
                {"firstTimestamp", FormatKubeTime(now)},
                {"lastTimestamp", FormatKubeTime(now)},
                {"count", 1},
                {"reportingComponent", component_},
                {"reportingInstance", instance_}};
  auto created = client_.Create(kCoreEvents, ns, event);
  // The name is new to the nanosecond: "already exists" is this request's own earlier
  // attempt, created before its answer was lost and the request sent again.
  const bool exists = created.ok() && created->code == 409;
  if (!created.ok() || (!created->ok() && !exists)) {
    on_error_("recording event " + reason + " on " + ns + "/" + name + ": " +
              (created.ok() ? created->ErrorMessage() : created.error()));
    return;
  }
  std::lock_guard lock(mu_);
  if (recent_.size() >= kMaxRemembered)
    recent_.clear();  // bounded memory; worst case one extra Event
  recent_[key] = {ns + "/" + event_name, 1, now, now};
}

}  // namespace foresight::op
