#include "bench/m4/model_spec.h"

#include <gtest/gtest.h>

namespace foresight::bench::m4 {
namespace {

TEST(ParseModelSpecTest, BareNameDetectsSeasons) {
  auto spec = ParseModelSpec("auto");
  ASSERT_TRUE(spec.ok()) << spec.error();
  EXPECT_EQ(spec->model, "auto");
  EXPECT_TRUE(spec->periods.empty());
  EXPECT_EQ(spec->label, "auto");
}

TEST(ParseModelSpecTest, PeriodsAfterAt) {
  auto one = ParseModelSpec("auto@24");
  ASSERT_TRUE(one.ok()) << one.error();
  EXPECT_EQ(one->model, "auto");
  EXPECT_EQ(one->periods, (std::vector<int>{24}));
  EXPECT_EQ(one->label, "auto@24");

  auto two = ParseModelSpec("mstl@24+168");
  ASSERT_TRUE(two.ok()) << two.error();
  EXPECT_EQ(two->model, "mstl");
  EXPECT_EQ(two->periods, (std::vector<int>{24, 168}));
}

TEST(ParseModelSpecTest, RejectsWhatIsNotAPeriodOrAName) {
  for (const char* bad : {"@24", "auto@", "auto@x", "auto@24+", "auto@1", "auto@24h", "auto@-3"}) {
    auto spec = ParseModelSpec(bad);
    EXPECT_FALSE(spec.ok()) << bad;
  }
  EXPECT_NE(ParseModelSpec("auto@x").error().find("auto@x"), std::string::npos);
}

}  // namespace
}  // namespace foresight::bench::m4
