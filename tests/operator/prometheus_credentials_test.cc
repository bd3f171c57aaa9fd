#include "operator/prometheus_credentials.h"

#include <gtest/gtest.h>

#include "operator/encoding.h"

namespace foresight::op {
namespace {

nlohmann::json Data(std::initializer_list<std::pair<std::string, std::string>> plain) {
  nlohmann::json data = nlohmann::json::object();
  for (const auto& [key, value] : plain) data[key] = Base64Encode(value);
  return data;
}

const PrometheusSettings kBearer{.auth_secret_name = "prom", .bearer_token_key = "token"};
const PrometheusSettings kBasic{
    .auth_secret_name = "prom", .username_key = "user", .password_key = "password"};

TEST(CredentialsFromSecret, BearerTokenOrBasicAuth) {
  PrometheusOptions bearer;
  ASSERT_TRUE(CredentialsFromSecret(Data({{"token", "t0k"}}), "demo/prom", kBearer, bearer).ok());
  EXPECT_EQ(bearer.bearer_token, "t0k");
  EXPECT_EQ(bearer.basic_auth_user, "");
  PrometheusOptions basic;
  ASSERT_TRUE(CredentialsFromSecret(Data({{"user", "alice"}, {"password", "s3cret"}}),
                                    "demo/prom", kBasic, basic)
                  .ok());
  EXPECT_EQ(basic.basic_auth_user, "alice");
  EXPECT_EQ(basic.basic_auth_password, "s3cret");
}

TEST(CredentialsFromSecret, AFilesLastNewlineIsNotPartOfTheCredential) {
  // `kubectl create secret generic prom --from-file=token=./token` keeps the
  // file's final newline; sent as is, it would end the Authorization header.
  PrometheusOptions o;
  ASSERT_TRUE(CredentialsFromSecret(Data({{"token", "t0k\n"}}), "demo/prom", kBearer, o).ok());
  EXPECT_EQ(o.bearer_token, "t0k");
  ASSERT_TRUE(CredentialsFromSecret(Data({{"user", "alice\r\n"}, {"password", "s3cret \n"}}),
                                    "demo/prom", kBasic, o)
                  .ok());
  EXPECT_EQ(o.basic_auth_user, "alice");
  EXPECT_EQ(o.basic_auth_password, "s3cret");
}

TEST(CredentialsFromSecret, ErrorsNameTheSecretTheKeyAndTheSetting) {
  struct Case {
    const char* name;
    nlohmann::json data;
    const char* message;
  };
  const Case cases[] = {
      {"missing key", Data({{"other", "x"}}),
       "Secret demo/prom (spec.metric.prometheus.authSecretRef) has no key 'token'"},
      {"line break inside", Data({{"token", "t0k\nX-Other: 1"}}),
       "Secret demo/prom (spec.metric.prometheus.authSecretRef) key 'token' holds a control "
       "character"},
      {"not base64", nlohmann::json{{"token", "!!!"}},
       "Secret demo/prom (spec.metric.prometheus.authSecretRef) key 'token': "},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    PrometheusOptions o;
    Status s = CredentialsFromSecret(c.data, "demo/prom", kBearer, o);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(s.message().find(c.message), std::string::npos) << s.message();
    EXPECT_EQ(o.bearer_token, "") << "nothing set on error";
  }
}

}  // namespace
}  // namespace foresight::op
