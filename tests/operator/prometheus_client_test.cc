// PrometheusClient against canned answers in the shapes of the Prometheus
// HTTP API documentation (querying/api.md), through a FakeHttpClient.
#include "operator/prometheus_client.h"

#include <gtest/gtest.h>

#include <cmath>

#include "operator/prometheus_response.h"
#include "operator/testing/fake_http_client.h"

namespace foresight::op {
namespace {

using namespace std::chrono_literals;
using testing::FakeHttpClient;

Timestamp At(long long seconds) { return Timestamp(std::chrono::seconds(seconds)); }

constexpr char kQuery[] = "sum(rate(http_requests_total[1m]))";

struct Fixture {
  std::shared_ptr<FakeHttpClient> http = std::make_shared<FakeHttpClient>();
  PrometheusClient client{http, {.url = "http://prom.test:9090/", .timeout = 3s}};
};

TEST(PrometheusClientTest, InstantQueryIsAPostFormWithTimeAndTimeout) {
  Fixture f;
  f.http->PushResponse(200, R"({"status":"success","data":{"resultType":"vector","result":[
      {"metric":{},"value":[1700000000.5,"42.25"]}]}})");
  auto r = f.client.QueryInstant(kQuery, At(1700000000));
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->value, 42.25);
  EXPECT_EQ(r->timestamp, At(1700000000) + 500ms);
  const auto req = f.http->requests().at(0);
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.url, "http://prom.test:9090/api/v1/query");
  EXPECT_EQ(req.timeout, 3s);
  EXPECT_EQ(FindHeader(req.headers, "content-type").value_or(""),
            "application/x-www-form-urlencoded");
  // Brackets, parentheses and spaces percent-encoded. The server's timeout is 20% shorter than
  // the client's 3 s: a query too slow for Prometheus gets its timeout answer, not silence.
  EXPECT_EQ(req.body,
            "query=sum%28rate%28http_requests_total%5B1m%5D%29%29&timeout=2.400&time=1700000000");
}

TEST(PrometheusClientTest, RangeQuerySendsStartEndStepAndKeepsGapsAsNaN) {
  Fixture f;
  // Grid 1000, 1060, ..., 1240 (5 points); Prometheus left out 1120 and 1180.
  f.http->PushResponse(200, R"({"status":"success","data":{"resultType":"matrix","result":[
      {"metric":{"job":"web"},"values":[[1000,"1"],[1060,"2"],[1240,"5"]]}]}})");
  auto r = f.client.QueryRange({kQuery, At(1000), At(1240), 60s});
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->size(), 5u);
  EXPECT_EQ(r->timestamps[2], At(1120));
  EXPECT_EQ(r->values[0], 1);
  EXPECT_EQ(r->values[1], 2);
  EXPECT_TRUE(std::isnan(r->values[2]));
  EXPECT_TRUE(std::isnan(r->values[3]));
  EXPECT_EQ(r->values[4], 5);
  EXPECT_EQ(r->CountMissing(), 2u);
  const auto req = f.http->requests().at(0);
  EXPECT_EQ(req.url, "http://prom.test:9090/api/v1/query_range");
  EXPECT_NE(req.body.find("&start=1000&end=1240&step=60&timeout=2.400"), std::string::npos)
      << req.body;
}

TEST(PrometheusClientTest, BasicAuthWinsOverBearer) {
  auto http = std::make_shared<FakeHttpClient>();
  PrometheusClient basic(http, {.url = "http://p", .basic_auth_user = "alice",
                                .basic_auth_password = "s3cret", .bearer_token = "t"});
  PrometheusClient bearer(http, {.url = "http://p", .bearer_token = "tok"});
  const std::string ok = R"({"status":"success","data":{"resultType":"scalar","result":[1,"1"]}})";
  http->PushResponse(200, ok);
  http->PushResponse(200, ok);
  ASSERT_TRUE(basic.QueryInstant("1", std::nullopt).ok());
  ASSERT_TRUE(bearer.QueryInstant("1", std::nullopt).ok());
  // base64("alice:s3cret") = YWxpY2U6czNjcmV0
  EXPECT_EQ(FindHeader(http->requests()[0].headers, "Authorization").value_or(""),
            "Basic YWxpY2U6czNjcmV0");
  EXPECT_EQ(FindHeader(http->requests()[1].headers, "Authorization").value_or(""), "Bearer tok");
}

TEST(PrometheusClientTest, ATransportErrorNamesTheQueryAndKeepsItsCode) {
  Fixture f;
  f.http->Push(Status::DeadlineExceeded("POST http://prom.test:9090/api/v1/query: timed out"));
  auto r = f.client.QueryInstant(kQuery, std::nullopt);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), StatusCode::kDeadlineExceeded);
  EXPECT_NE(r.error().find(kQuery), std::string::npos) << r.error();
}

TEST(PrometheusClientTest, ARefusalOfCredentialsNamesTheSettingToFix) {
  // An authenticating proxy (or Prometheus' own web config) answers 401/403
  // before the API: plain text, no JSON.
  struct Case {
    PrometheusOptions options;
    int status;
    const char* message;
  };
  const Case cases[] = {
      {{.url = "http://p"}, 401, "it wants credentials and none were sent"},
      {{.url = "http://p", .bearer_token = "tok"}, 401, "the bearer token sent was refused"},
      {{.url = "http://p", .basic_auth_user = "alice", .basic_auth_password = "x"}, 403,
       "the basic-auth user and password sent were refused"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.message);
    auto http = std::make_shared<FakeHttpClient>();
    http->PushResponse(c.status, "Unauthorized\n");
    auto r = PrometheusClient(http, c.options).QueryInstant(kQuery, std::nullopt);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.error(), "query '" + std::string(kQuery) + "': Prometheus at http://p answered HTTP " +
                             std::to_string(c.status) + ": " + c.message +
                             "; name a Secret with credentials it accepts in "
                             "spec.metric.prometheus.authSecretRef");
  }
}

TEST(PrometheusClientTest, ARedirectSaysWhereItLeadsAndWhichSettingToChange) {
  Fixture f;
  f.http->PushResponse(308, "", {{"Location", "https://prom.test/api/v1/query_range"}});
  auto r = f.client.QueryRange({kQuery, At(1000), At(1240), 60s});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.error(), "query '" + std::string(kQuery) +
                           "': Prometheus at http://prom.test:9090 answered HTTP 308, a redirect "
                           "to 'https://prom.test/api/v1/query_range', which is not followed: set "
                           "spec.metric.prometheus.address (or the operator's --prometheus-url) "
                           "to the address of the Prometheus HTTP API itself");
}

// Prometheus' warnings (e.g. a partial answer of a federated setup, whose sum may read low)
// come with the value, for the decision log.
TEST(PrometheusClientTest, AnInstantAnswersWarningsComeWithTheValue) {
  Fixture f;
  f.http->PushResponse(200, R"({"status":"success","warnings":["partial response: store b down",7],
      "data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000,"3"]}]}})");
  auto r = f.client.QueryInstant(kQuery, At(1700000000));
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->value, 3);
  EXPECT_EQ(r->warnings, std::vector<std::string>{"partial response: store b down"});
}

TEST(PrometheusClientTest, ARangeBeyondElevenThousandPointsIsRefused) {
  Fixture f;
  // 11,001 points: 11,000 steps of 1 s.
  auto r = f.client.QueryRange({kQuery, At(0), At(11'000), 1s});
  EXPECT_EQ(r.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(f.http->requests().empty());
}

// ---- Instant answers, table-driven ------------------------------------------

struct InstantCase {
  const char* name;
  int http_status;
  const char* body;
  StatusCode code;       // kOk: success
  double value;          // when kOk
  const char* message;   // a substring of the error, when not kOk
};

const InstantCase kInstantCases[] = {
    {"one series", 200,
     R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"a"},"value":[1435781451.781,"1"]}]}})",
     StatusCode::kOk, 1, ""},
    {"scalar", 200,
     R"({"status":"success","data":{"resultType":"scalar","result":[1435781451.781,"7.5"]}})",
     StatusCode::kOk, 7.5, ""},
    {"warnings do not matter", 200,
     R"({"status":"success","warnings":["w"],"data":{"resultType":"vector","result":[{"metric":{},"value":[1,"3"]}]}})",
     StatusCode::kOk, 3, ""},
    {"three series", 200,
     R"({"status":"success","data":{"resultType":"vector","result":[
        {"metric":{"instance":"a"},"value":[1,"1"]},{"metric":{"instance":"b"},"value":[1,"2"]},
        {"metric":{"instance":"c"},"value":[1,"3"]}]}})",
     StatusCode::kInvalidArgument,
     0,
     "query 'sum(rate(http_requests_total[1m]))' returned 3 series ({instance=\"a\"}, "
     "{instance=\"b\"}, {instance=\"c\"}); the query must aggregate to one series, e.g. wrap "
     "it in sum()"},
    {"empty vector", 200, R"({"status":"success","data":{"resultType":"vector","result":[]}})",
     StatusCode::kNotFound, 0, "returned no data (empty vector)"},
    {"NaN", 200,
     R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"NaN"]}]}})",
     StatusCode::kBadResponse, 0, "returned NaN at 1.000"},
    {"+Inf", 200,
     R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"+Inf"]}]}})",
     StatusCode::kBadResponse, 0, "returned +Inf"},
    {"matrix for an instant query", 200,
     R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"]]}]}})",
     StatusCode::kInvalidArgument, 0, "returned a range vector"},
    {"string result", 200,
     R"({"status":"success","data":{"resultType":"string","result":[1,"hello"]}})",
     StatusCode::kInvalidArgument, 0, "resultType 'string'"},
    {"bad_data error", 400,
     R"({"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected end of input"})",
     StatusCode::kInvalidArgument, 0,
     "failed (HTTP 400, bad_data): 1:5: parse error: unexpected end of input"},
    {"execution error", 422,
     R"({"status":"error","errorType":"execution","error":"many-to-many matching not allowed"})",
     StatusCode::kInvalidArgument, 0, "execution"},
    {"server timeout", 503,
     R"({"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"})",
     StatusCode::kDeadlineExceeded, 0, "query timed out"},
    {"HTML from a proxy", 502, "<html><body>Bad Gateway</body></html>", StatusCode::kUnavailable,
     0, "HTTP 502 with a body that is not a JSON object: \"<html><body>Bad Gateway"},
    {"plain text 404", 404, "404 page not found", StatusCode::kBadResponse, 0,
     "HTTP 404 with a body that is not a JSON object"},
    {"JSON without data", 200, R"({"status":"success"})", StatusCode::kBadResponse, 0,
     "no status 'success' with a data object"},
    {"unparsable value", 200,
     R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"abc"]}]}})",
     StatusCode::kBadResponse, 0, "malformed sample"},
};

TEST(PrometheusResponseTest, InstantAnswers) {
  for (const auto& c : kInstantCases) {
    SCOPED_TRACE(c.name);
    auto r = ParseInstantResponse(kQuery, std::nullopt, c.http_status, c.body);
    if (c.code == StatusCode::kOk) {
      ASSERT_TRUE(r.ok()) << r.error();
      EXPECT_EQ(r->value, c.value);
    } else {
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.code(), c.code) << r.error();
      EXPECT_NE(r.error().find(c.message), std::string::npos) << r.error();
      EXPECT_NE(r.error().find(kQuery), std::string::npos) << "must name the query";
    }
  }
}

TEST(PrometheusResponseTest, AnInstantSampleFromLongBeforeTheQueryTimeIsNotTheCurrentLoad) {
  // Prometheus stamps an instant answer with the time asked for; a sample
  // stamped 10 minutes earlier (a cache or proxy replaying an old answer)
  // must not pass for the load now.
  const Timestamp asked = At(1'700'000'000);
  const auto body = [](long long sample_seconds) {
    return R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[)" +
           std::to_string(sample_seconds) + R"(,"3"]}]}})";
  };
  auto stale = ParseInstantResponse(kQuery, asked, 200, body(1'700'000'000 - 600));
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.code(), StatusCode::kBadResponse);
  EXPECT_NE(stale.error().find("query '" + std::string(kQuery) +
                               "' answered for the time 1700000000.000 with a sample from "
                               "1699999400.000, 600s earlier: too old to be the current load"),
            std::string::npos)
      << stale.error();
  // Within Prometheus' own default lookback of 5 minutes: accepted.
  auto recent = ParseInstantResponse(kQuery, asked, 200, body(1'700'000'000 - 300));
  ASSERT_TRUE(recent.ok()) << recent.error();
  EXPECT_EQ(recent->value, 3);
  // No time asked for: the server's "now" is unknown here, nothing to compare.
  EXPECT_TRUE(ParseInstantResponse(kQuery, std::nullopt, 200, body(1)).ok());
}

// ---- Range answers, table-driven --------------------------------------------

struct RangeCase {
  const char* name;
  const char* body;
  StatusCode code;
  std::vector<double> values;  // on the grid 100, 110, 120, 130 (NaN = gap)
  const char* message;
};

const double kNaN = std::nan("");

const RangeCase kRangeCases[] = {
    {"complete", R"({"status":"success","data":{"resultType":"matrix","result":[
        {"metric":{},"values":[[100,"1"],[110,"2"],[120,"3"],[130,"4"]]}]}})",
     StatusCode::kOk, {1, 2, 3, 4}, ""},
    {"NaN and Inf samples become gaps", R"({"status":"success","data":{"resultType":"matrix","result":[
        {"metric":{},"values":[[100,"1"],[110,"NaN"],[120,"+Inf"],[130,"-Inf"]]}]}})",
     StatusCode::kOk, {1, kNaN, kNaN, kNaN}, ""},
    {"missing leading and trailing steps", R"({"status":"success","data":{"resultType":"matrix","result":[
        {"metric":{},"values":[[110,"2"],[120,"3"]]}]}})",
     StatusCode::kOk, {kNaN, 2, 3, kNaN}, ""},
    {"out-of-order samples are placed by their time", R"({"status":"success","data":{"resultType":"matrix","result":[
        {"metric":{},"values":[[120,"3"],[100,"1"]]}]}})",
     StatusCode::kOk, {1, kNaN, 3, kNaN}, ""},
    {"warnings and infos do not change the values", R"({"status":"success","warnings":["w"],"infos":["i"],"data":{"resultType":"matrix","result":[
        {"metric":{},"values":[[100,"1"],[110,"2"],[120,"3"],[130,"4"]]}]}})",
     StatusCode::kOk, {1, 2, 3, 4}, ""},
    {"two series", R"({"status":"success","data":{"resultType":"matrix","result":[
        {"metric":{"pod":"a"},"values":[[100,"1"]]},{"metric":{"pod":"b"},"values":[[100,"1"]]}]}})",
     StatusCode::kInvalidArgument, {}, "returned 2 series ({pod=\"a\"}, {pod=\"b\"})"},
    {"empty matrix", R"({"status":"success","data":{"resultType":"matrix","result":[]}})",
     StatusCode::kNotFound, {}, "returned no data (empty matrix)"},
    {"only NaN", R"({"status":"success","data":{"resultType":"matrix","result":[
        {"metric":{},"values":[[100,"NaN"]]}]}})",
     StatusCode::kNotFound, {}, "no finite value"},
    {"vector for a range query", R"({"status":"success","data":{"resultType":"vector","result":[]}})",
     StatusCode::kBadResponse, {}, "expected matrix"},
    {"off-grid timestamp", R"({"status":"success","data":{"resultType":"matrix","result":[
        {"metric":{},"values":[[105,"1"]]}]}})",
     StatusCode::kBadResponse, {}, "not on the requested grid"},
    {"duplicate timestamp", R"({"status":"success","data":{"resultType":"matrix","result":[
        {"metric":{},"values":[[100,"1"],[100,"2"]]}]}})",
     StatusCode::kBadResponse, {}, "two samples at 100.000"},
    {"truncated JSON", R"({"status":"success","data":{"resultType":"matrix","res)",
     StatusCode::kBadResponse, {}, "not a JSON object"},
};

TEST(PrometheusResponseTest, RangeAnswers) {
  const RangeQuery q{kQuery, At(100), At(130), 10s};
  for (const auto& c : kRangeCases) {
    SCOPED_TRACE(c.name);
    auto r = ParseRangeResponse(q, 200, c.body);
    if (c.code == StatusCode::kOk) {
      ASSERT_TRUE(r.ok()) << r.error();
      ASSERT_EQ(r->size(), c.values.size());
      for (size_t i = 0; i < c.values.size(); ++i) {
        EXPECT_EQ(r->timestamps[i], At(100 + 10 * static_cast<long long>(i)));
        if (std::isnan(c.values[i])) {
          EXPECT_TRUE(std::isnan(r->values[i])) << "point " << i;
        } else {
          EXPECT_EQ(r->values[i], c.values[i]) << "point " << i;
        }
      }
    } else {
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.code(), c.code) << r.error();
      EXPECT_NE(r.error().find(c.message), std::string::npos) << r.error();
    }
  }
}

TEST(PrometheusFormatTest, TimesAndDurations) {
  EXPECT_EQ(FormatPrometheusTime(At(1700000000)), "1700000000");
  EXPECT_EQ(FormatPrometheusTime(At(1700000000) + 5ms), "1700000000.005");
  EXPECT_EQ(FormatPrometheusDuration(500ms), "0.500");
  EXPECT_EQ(FormatPrometheusDuration(60s), "60");
}

}  // namespace
}  // namespace foresight::op
