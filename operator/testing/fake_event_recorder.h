// FakeEventRecorder: keeps every Event recorded, as "Type Reason: message".
#pragma once

#include <string>
#include <vector>

#include "operator/event_recorder.h"

namespace foresight::op::testing {

class FakeEventRecorder : public EventRecorder {
 public:
  std::vector<std::string> events;  // "Type Reason: message"
  void Record(const Json&, const std::string& type, const std::string& reason,
              const std::string& message) override {
    events.push_back(type + " " + reason + ": " + message);
  }
  bool Has(const std::string& prefix) const {
    for (const auto& e : events) {
      if (e.rfind(prefix, 0) == 0) return true;
    }
    return false;
  }
};

}  // namespace foresight::op::testing
