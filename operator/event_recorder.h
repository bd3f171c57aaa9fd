// Records Kubernetes Events on PredictiveAutoscalers so `kubectl describe`
// shows every scale and every problem.
//
// KubeEventRecorder writes core/v1 Events the way client-go's recorder does:
// named <object>.<hex nanoseconds>, with involvedObject kind and uid filled
// (kubectl describe selects on both), and repeats of the same event on the
// same object aggregated into one Event whose count and lastTimestamp are
// patched — so a condition that persists for hours is one line, not hundreds.
//
// Thread-safe. Recording never fails the caller: an Event that cannot be
// written is reported through the error callback and dropped.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "operator/clock.h"
#include "operator/kube_client.h"

namespace foresight::op {

class EventRecorder {
 public:
  virtual ~EventRecorder() = default;
  // `object` is the involved object (apiVersion, kind, metadata name/namespace/uid).
  // `type` is "Normal" or "Warning"; `reason` is CamelCase.
  virtual void Record(const Json& object, const std::string& type, const std::string& reason,
                      const std::string& message) = 0;
};

class KubeEventRecorder : public EventRecorder {
 public:
  KubeEventRecorder(
      KubeClient& client, Clock& clock, std::string component, std::string instance,
      std::function<void(const std::string&)> on_error = [](const std::string&) {});
  void Record(const Json& object, const std::string& type, const std::string& reason,
              const std::string& message) override;

 private:
  struct Recorded {
    std::string namespace_name;  // "ns/name" of the Event object
    int count;
    Timestamp first, last;
  };

  KubeClient& client_;
  Clock& clock_;
  const std::string component_;
  const std::string instance_;
  std::function<void(const std::string&)> on_error_;
  std::mutex mu_;
  std::map<std::string, Recorded> recent_;  // aggregation key -> Event; guarded by mu_
};

}  // namespace foresight::op
