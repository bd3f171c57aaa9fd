#include "operator/merge_patch.h"

#include <gtest/gtest.h>

namespace foresight::op {
namespace {

using Json = nlohmann::json;

// What a server does with a merge patch (RFC 7386 section 2), to check the patches by
// their effect.
Json Apply(Json target, const Json& patch) {
  if (!patch.is_object()) return patch;
  if (!target.is_object()) target = Json::object();
  for (const auto& [key, value] : patch.items()) {
    if (value.is_null()) {
      target.erase(key);
    } else {
      target[key] = Apply(target.value(key, Json()), value);
    }
  }
  return target;
}

TEST(MergePatchFrom, AMemberGoneIsSetToNull) {
  const Json before = {{"desiredReplicas", 3}, {"riskTuning", {{"marginalRisk", 0.3}}}};
  const Json after = {{"desiredReplicas", 4}};
  const Json patch = MergePatchFrom(before, after);
  EXPECT_EQ(patch, (Json{{"desiredReplicas", 4}, {"riskTuning", nullptr}}));
  EXPECT_EQ(Apply(before, patch), after);
}

TEST(MergePatchFrom, NestedMembersGoneAreNulledInsideTheirObject) {
  const Json before = {{"riskTuning", {{"marginalRisk", 0.2}, {"scaleDownWindow", 60}}}};
  const Json after = {{"riskTuning", {{"marginalRisk", 0.1}}}};
  EXPECT_EQ(MergePatchFrom(before, after),
            (Json{{"riskTuning", {{"marginalRisk", 0.1}, {"scaleDownWindow", nullptr}}}}));
  EXPECT_EQ(Apply(before, MergePatchFrom(before, after)), after);
}

TEST(MergePatchFrom, UnchangedMembersAreStillWritten) {
  // The server's copy may differ from the one the patch is computed from.
  const Json state = {{"currentReplicas", 5}};
  EXPECT_EQ(MergePatchFrom(state, state), state);
}

TEST(MergePatchFrom, ArraysAndTypeChangesAreReplacedWhole) {
  const Json before = {{"conditions", Json::array({{{"type", "Ready"}}, {{"type", "Old"}}})},
                       {"forecast", {{"value", 1}}}};
  const Json after = {{"conditions", Json::array({{{"type", "Ready"}}})}, {"forecast", 2}};
  EXPECT_EQ(MergePatchFrom(before, after), after);
  EXPECT_EQ(Apply(before, MergePatchFrom(before, after)), after);
}

TEST(MergePatchFrom, NothingBeforeGivesTheNewObject) {
  const Json after = {{"observedGeneration", 2}};
  EXPECT_EQ(MergePatchFrom(Json(), after), after);
  EXPECT_EQ(MergePatchFrom(Json::object(), after), after);
}

}  // namespace
}  // namespace foresight::op
