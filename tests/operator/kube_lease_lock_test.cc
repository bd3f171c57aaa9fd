#include "operator/kube_lease_lock.h"

#include <gtest/gtest.h>

#include "operator/kube_time.h"
#include "operator/testing/fake_http_client.h"

namespace foresight::op {
namespace {

TEST(KubeTimeTest, FormatsAndParsesBothPrecisions) {
  Timestamp t = *ParseKubeTime("2025-01-02T03:04:05.123456Z");
  EXPECT_EQ(FormatKubeMicroTime(t), "2025-01-02T03:04:05.123000Z");
  EXPECT_EQ(FormatKubeTime(t), "2025-01-02T03:04:05Z");
  EXPECT_EQ(ParseKubeTime("2025-01-02T03:04:05Z"), t - std::chrono::milliseconds(123));
  for (const char* bad :
       {"", "2025-01-02", "2025-13-02T03:04:05Z", "2025-01-02T03:04:05", "2025-01-02T03:04:05.Z"}) {
    EXPECT_FALSE(ParseKubeTime(bad)) << bad;
  }
}

TEST(KubeLeaseLockTest, UpdateIsACompareAndSwapOnTheReadVersion) {
  testing::FakeHttpClient http;
  KubeClient client(http, "http://127.0.0.1:1");
  KubeLeaseLock lock(client, "foresight", "foresight-operator");
  http.PushResponse(
      200,
      R"({"metadata":{"name":"foresight-operator","namespace":"foresight","resourceVersion":"42"},
      "spec":{"holderIdentity":"other","leaseDurationSeconds":15,"acquireTime":"2025-01-02T03:04:05.000000Z",
              "renewTime":"2025-01-02T03:04:07.000000Z","leaseTransitions":2}})");
  LeaseRecord record;
  ASSERT_EQ(lock.Get(record), LeaseLock::Outcome::kOk);
  EXPECT_EQ(record.holder_identity, "other");
  EXPECT_EQ(record.lease_transitions, 2);

  http.PushResponse(409,
                    R"({"kind":"Status","message":"the object has been modified","code":409})");
  record.holder_identity = "me";
  EXPECT_EQ(lock.Update(record), LeaseLock::Outcome::kConflict);
  Json put = Json::parse(http.requests().at(1).body);
  EXPECT_EQ(http.requests().at(1).method, "PUT");
  EXPECT_EQ(put["metadata"]["resourceVersion"], "42") << "the PUT must carry the version it read";
  EXPECT_EQ(put["spec"]["holderIdentity"], "me");
  EXPECT_NE(lock.last_error().find("the object has been modified"), std::string::npos);
}

TEST(KubeLeaseLockTest, MissingLeaseIsNotFound) {
  testing::FakeHttpClient http;
  KubeClient client(http, "http://127.0.0.1:1");
  KubeLeaseLock lock(client, "foresight", "foresight-operator");
  http.PushResponse(404, R"({"kind":"Status","code":404})");
  LeaseRecord record;
  EXPECT_EQ(lock.Get(record), LeaseLock::Outcome::kNotFound);
}

}  // namespace
}  // namespace foresight::op
