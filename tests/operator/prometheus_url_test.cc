#include <gtest/gtest.h>

#include "operator/operator_runner.h"

namespace foresight::op {
namespace {

TEST(PrometheusUrlFor, TheAutoscalersOwnAddressComesFirst) {
  EXPECT_EQ(*PrometheusUrlFor("http://mine:9090", "http://default:9090"), "http://mine:9090");
  EXPECT_EQ(*PrometheusUrlFor("http://mine:9090", ""), "http://mine:9090");
}

TEST(PrometheusUrlFor, WithoutOneTheOperatorsDefault) {
  EXPECT_EQ(*PrometheusUrlFor("", "http://default:9090"), "http://default:9090");
}

TEST(PrometheusUrlFor, WithNeitherTheErrorNamesBothSettings) {
  EXPECT_FALSE(PrometheusUrlFor("", "").ok());
  Result<std::string> url = PrometheusUrlFor("", kNoDefaultPrometheus);
  ASSERT_FALSE(url.ok());
  EXPECT_EQ(url.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(url.status().message().find("spec.metric.prometheus.address"), std::string::npos);
  EXPECT_NE(url.status().message().find("--prometheus-url"), std::string::npos);
}

}  // namespace
}  // namespace foresight::op
