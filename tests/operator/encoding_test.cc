#include "operator/encoding.h"

#include <gtest/gtest.h>

namespace foresight::op {
namespace {

TEST(Base64Test, RoundTripsAndMatchesRfc4648Vectors) {
  const std::pair<const char*, const char*> cases[] = {
      {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : cases) {
    EXPECT_EQ(Base64Encode(plain), encoded);
    auto d = Base64Decode(encoded);
    ASSERT_TRUE(d.ok()) << encoded;
    EXPECT_EQ(d.value(), plain);
  }
  EXPECT_EQ(Base64Decode("Zm9v\nYmFy\n").value(), "foobar");  // line-wrapped PEM-style
  EXPECT_EQ(Base64Decode("Zm8").value(), "fo");                // padding left out
  EXPECT_FALSE(Base64Decode("Zm9v!").ok());
  EXPECT_FALSE(Base64Decode("Z").ok());
}

TEST(FormEncodeTest, PercentEncodesEverythingButUnreservedCharacters) {
  EXPECT_EQ(FormEncode({{"query", "sum(rate(x{a=\"b c\"}[1m]))"}, {"step", "60"}}),
            "query=sum%28rate%28x%7Ba%3D%22b%20c%22%7D%5B1m%5D%29%29&step=60");
  EXPECT_EQ(PercentEncode("a-b_c.d~e+f&g"), "a-b_c.d~e%2Bf%26g");
}

}  // namespace
}  // namespace foresight::op
