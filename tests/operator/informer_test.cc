#include "operator/informer.h"

#include <gtest/gtest.h>

#include <deque>

#include "operator/testing/fake_clock.h"

namespace foresight::op {
namespace {

Json Object(const std::string& name, const std::string& rv, int replicas = 1) {
  return {{"metadata", {{"namespace", "ns"}, {"name", name}, {"resourceVersion", rv}}},
          {"spec", {{"replicas", replicas}}}};
}

Json Expired() { return {{"kind", "Status"}, {"code", 410}, {"reason", "Expired"}}; }

// Scripted API: each List/Watch call consumes the next scripted answer and
// records the resourceVersion it was asked for.
class ScriptedSource : public ListerWatcher {
 public:
  struct WatchScript {
    std::vector<WatchEvent> events;
    Status end = Status::Ok();
    std::chrono::milliseconds duration{5000};  // how long the stream stays open
  };
  std::deque<Result<ListResult>> lists;
  std::deque<WatchScript> watches;
  std::vector<std::string> list_versions, watch_versions;
  testing::FakeClock* clock = nullptr;

  std::optional<ListResult> every_other_list;  // the answer once `lists` runs out, if set

  Result<ListResult> List(const std::string& rv) override {
    list_versions.push_back(rv);
    if (lists.empty() && every_other_list) return *every_other_list;
    if (lists.empty()) {
      ADD_FAILURE() << "unscripted list at \"" << rv << "\"";
      return Status::Internal("unscripted list");
    }
    Result<ListResult> r = lists.front();
    lists.pop_front();
    return r;
  }
  Status Watch(const std::string& rv, int timeout_seconds,
               const std::function<bool(const WatchEvent&)>& on_event, std::stop_token) override {
    EXPECT_GE(timeout_seconds, 300);
    EXPECT_LT(timeout_seconds, 600);
    watch_versions.push_back(rv);
    if (watches.empty()) {
      ADD_FAILURE() << "unscripted watch from \"" << rv << "\"";
      return Status::Internal("unscripted watch");
    }
    WatchScript w = watches.front();
    watches.pop_front();
    clock->Advance(w.duration);
    for (const WatchEvent& e : w.events) {
      if (!on_event(e)) break;
    }
    return w.end;
  }
  std::string Describe() const override { return "scripted"; }
};

struct Recorder {
  std::vector<std::string> log;
  InformerHandlers Handlers() {
    return {[this](const Json& o) { log.push_back("add " + ObjectKey(o)); },
            [this](const Json&, const Json& o) { log.push_back("update " + ObjectKey(o)); },
            [this](const Json& o) { log.push_back("delete " + ObjectKey(o)); }};
  }
};

class InformerTest : public ::testing::Test {
 protected:
  InformerTest() { source.clock = &clock; }
  testing::FakeClock clock;
  ScriptedSource source;
  Recorder recorder;
  std::stop_source stop;
};

TEST_F(InformerTest, ListsThenResumesWatchFromTheLastEventOrBookmark) {
  source.lists.push_back(ListResult{{Object("a", "5"), Object("b", "6")}, "10"});
  source.watches.push_back({{{"MODIFIED", Object("a", "11", 3)},
                             {"DELETED", Object("b", "12")},
                             {"BOOKMARK", {{"metadata", {{"resourceVersion", "20"}}}}}}});
  source.watches.push_back({});
  Informer informer(source, clock, recorder.Handlers(), 1);
  EXPECT_EQ(informer.Step(stop.get_token()).count(), 0);
  EXPECT_EQ(informer.Step(stop.get_token()).count(), 0);

  EXPECT_EQ(source.list_versions, (std::vector<std::string>{"0"}))
      << "first list may come from the watch cache";
  EXPECT_EQ(source.watch_versions, (std::vector<std::string>{"10", "20"}));
  EXPECT_EQ(recorder.log,
            (std::vector<std::string>{"add ns/a", "add ns/b", "update ns/a", "delete ns/b"}));
  EXPECT_TRUE(informer.HasSynced());
  EXPECT_EQ(informer.Get("ns/a")->at("spec").at("replicas"), 3);
  EXPECT_FALSE(informer.Get("ns/b"));
}

TEST_F(InformerTest, ExpiredWatchRelistsAndReportsWhatChangedMeanwhile) {
  source.lists.push_back(ListResult{{Object("a", "5"), Object("b", "6")}, "10"});
  source.watches.push_back({{{"ERROR", Expired()}}});
  // Relisting at the last version fails as expired too: fall back to a consistent read.
  source.lists.push_back(Status::BadResponse("HTTP 410: too old resource version"));
  source.lists.push_back(ListResult{{Object("a", "30", 2), Object("c", "31")}, "40"});
  source.watches.push_back({});
  Informer informer(source, clock, recorder.Handlers(), 1);
  EXPECT_EQ(informer.Step(stop.get_token()).count(), 0);  // list + watch -> 410
  // Relist at "10" is expired: the consistent relist follows at once, then the watch.
  EXPECT_EQ(informer.Step(stop.get_token()).count(), 0);
  EXPECT_EQ(source.list_versions, (std::vector<std::string>{"0", "10", ""}));
  EXPECT_EQ(source.watch_versions, (std::vector<std::string>{"10", "40"}));
  // b vanished and c appeared while we were not watching: both reported.
  EXPECT_EQ(recorder.log, (std::vector<std::string>{"add ns/a", "add ns/b", "delete ns/b",
                                                    "update ns/a", "add ns/c"}));
}

TEST_F(InformerTest, FailingWatchesBackOffExponentiallyWithJitter) {
  source.lists.push_back(ListResult{{}, "1"});
  for (int i = 0; i < 8; ++i)
    source.watches.push_back({{}, Status::Unavailable("connection refused"), {}});
  Informer informer(source, clock, recorder.Handlers(), 1);
  std::chrono::milliseconds base{800};
  for (int i = 0; i < 8; ++i) {
    auto wait = informer.Step(stop.get_token());
    // Jitter factor 1.0: the wait lies in [base, 2 base), base doubling to a 30 s cap.
    EXPECT_GE(wait, base) << "attempt " << i;
    EXPECT_LT(wait, 2 * base) << "attempt " << i;
    base = std::min(base * 2, std::chrono::milliseconds(30'000));
  }
  EXPECT_EQ(source.list_versions.size(), 1u) << "a failing watch is retried, not relisted";
}

// A relist at a version the server has not reached yet (an API server behind
// its peers) answers 504 "Too large resource version" (contract 2.5, 3.8.4).
TEST_F(InformerTest, RelistAtATooLargeVersionFallsBackToAConsistentRead) {
  source.lists.push_back(ListResult{{Object("a", "5")}, "10"});
  source.watches.push_back({{{"ERROR", Expired()}}});
  source.lists.push_back(Status::Unavailable(
      "list scripted: HTTP 504 Timeout: Too large resource version: 10, current: 8"));
  source.lists.push_back(ListResult{{Object("a", "5")}, "12"});
  source.watches.push_back({});
  Informer informer(source, clock, recorder.Handlers(), 1);
  informer.Step(stop.get_token());  // list + watch -> 410
  EXPECT_EQ(informer.Step(stop.get_token()).count(), 0);
  EXPECT_EQ(source.list_versions, (std::vector<std::string>{"0", "10", ""}));
  EXPECT_EQ(source.watch_versions, (std::vector<std::string>{"10", "12"}));
}

// The CRD is deleted: listing its resource answers 404, and the objects are gone with it.
TEST_F(InformerTest, ARelistOfAResourceNoLongerServedDeletesEveryObject) {
  source.lists.push_back(ListResult{{Object("a", "5"), Object("b", "6")}, "10"});
  source.watches.push_back({{{"ERROR", Expired()}}});
  source.lists.push_back(
      Status::NotFound("list scripted: HTTP 404 Not Found: the server could "
                       "not find the requested resource"));
  Informer informer(source, clock, recorder.Handlers(), 1);
  informer.Step(stop.get_token());  // list + watch -> 410
  EXPECT_GT(informer.Step(stop.get_token()).count(), 0) << "the failed list backs off";
  EXPECT_EQ(recorder.log,
            (std::vector<std::string>{"add ns/a", "add ns/b", "delete ns/a", "delete ns/b"}));
  EXPECT_TRUE(informer.List().empty());
  // The type is served again: its objects come back as new.
  source.lists.push_back(ListResult{{Object("a", "20")}, "21"});
  source.watches.push_back({});
  informer.Step(stop.get_token());
  EXPECT_EQ(recorder.log.back(), "add ns/a");
}

TEST_F(InformerTest, AResourceNotServedAtStartLeavesTheInformerUnsynced) {
  source.lists.push_back(Status::NotFound("list scripted: HTTP 404 Not Found"));
  Informer informer(source, clock, recorder.Handlers(), 1);
  informer.Step(stop.get_token());
  EXPECT_FALSE(informer.HasSynced()) << "not ready while the CRD is missing";
  EXPECT_TRUE(recorder.log.empty());
}

TEST(IsResourceVersionUnavailableTest, RecognisesExpiredAndTooLargeOnly) {
  struct Case {
    std::string message;
    bool unavailable;
  } cases[] = {
      {"list x: HTTP 410 Expired: too old resource version: 5 (10)", true},
      {"list x: HTTP 410 Gone: The resourceVersion for the provided list is too old.", true},
      {"list x: HTTP 504 Timeout: Too large resource version: 20, current: 10", true},
      // A timeout for another reason is not about the version.
      {"list x: HTTP 504 Timeout: request did not complete within requested timeout", false},
      {"list x: HTTP 500 InternalError: resourceVersion 4100 is fine", false},
      {"GET /apis/x: connection refused", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IsResourceVersionUnavailable(Status::Unavailable(c.message)), c.unavailable)
        << c.message;
  }
}

Json InternalError() {
  return {{"kind", "Status"},
          {"status", "Failure"},
          {"message", "Internal error occurred: etcdserver: leader changed"},
          {"reason", "InternalError"},
          {"code", 500}};
}

// An ERROR event other than 410 ends the watch as a failure (contract 3.6):
// reconnecting at once would hammer a struggling API server in a tight loop.
TEST_F(InformerTest, NonExpiredErrorEventsBackOffWithoutRelisting) {
  source.lists.push_back(ListResult{{}, "1"});
  for (int i = 0; i < 6; ++i) source.watches.push_back({{{"ERROR", InternalError()}}, {}, {}});
  Informer informer(source, clock, recorder.Handlers(), 1);
  std::chrono::milliseconds base{800};
  for (int i = 0; i < 6; ++i) {
    auto wait = informer.Step(stop.get_token());
    EXPECT_GE(wait, base) << "attempt " << i;
    EXPECT_LT(wait, 2 * base) << "attempt " << i;
    base *= 2;
  }
  EXPECT_EQ(source.list_versions.size(), 1u) << "a 500 is retried as a watch, not relisted";
  EXPECT_EQ(source.watch_versions, std::vector<std::string>(6, "1"));
}

// Watches failing for a minute while lists work (a broken watch cache, a proxy that cuts
// streams): each retry relists first, so changes still reach the cache (contract 3.8.5).
TEST_F(InformerTest, WatchesFailingForAMinuteRelistBeforeEachRetry) {
  source.lists.push_back(ListResult{{Object("a", "5")}, "5"});
  for (int i = 0; i < 4; ++i) source.watches.push_back({{{"ERROR", InternalError()}}, {}, {}});
  Informer informer(source, clock, recorder.Handlers(), 1);
  for (int i = 0; i < 3; ++i) {
    informer.Step(stop.get_token());
    clock.Advance(std::chrono::seconds(20));
  }
  EXPECT_EQ(source.list_versions.size(), 1u) << "under a minute: the watch is retried";
  informer.Step(stop.get_token());  // failing since 60 s: the next attempt relists
  source.lists.push_back(ListResult{{Object("a", "9", 3)}, "9"});
  source.watches.push_back({{{"ERROR", InternalError()}}, {}, {}});
  informer.Step(stop.get_token());
  EXPECT_EQ(source.list_versions, (std::vector<std::string>{"0", "5"}));
  EXPECT_EQ(informer.Get("ns/a")->at("spec").at("replicas"), 3) << "the change was seen";
  EXPECT_EQ(recorder.log.back(), "update ns/a");

  // Still failing: every retry relists, until a watch works again.
  source.lists.push_back(ListResult{{Object("a", "9", 3)}, "9"});
  source.watches.push_back({{{"BOOKMARK", {{"metadata", {{"resourceVersion", "10"}}}}}}});
  informer.Step(stop.get_token());
  EXPECT_EQ(source.list_versions.size(), 3u);
  source.watches.push_back({{}, Status::Ok(), std::chrono::minutes(5)});
  informer.Step(stop.get_token());
  EXPECT_EQ(source.list_versions.size(), 3u) << "a working watch is resumed without a list";
  EXPECT_EQ(source.watch_versions.back(), "10");
}

// The CRD is deleted while the informer watches: the API server ends the streams and answers
// new watches 404. The informer relists, which empties the cache (contract 3.8.8).
TEST_F(InformerTest, AWatchAnswered404RelistsAndForgetsTheObjects) {
  source.lists.push_back(ListResult{{Object("a", "5")}, "5"});
  source.watches.push_back({{}, Status::NotFound("watch scripted: HTTP 404 Not Found"), {}});
  source.lists.push_back(Status::NotFound("list scripted: HTTP 404 Not Found"));
  Informer informer(source, clock, recorder.Handlers(), 1);
  EXPECT_GT(informer.Step(stop.get_token()).count(), 0);
  EXPECT_GT(informer.Step(stop.get_token()).count(), 0);
  EXPECT_EQ(source.list_versions, (std::vector<std::string>{"0", "5"}));
  EXPECT_EQ(recorder.log, (std::vector<std::string>{"add ns/a", "delete ns/a"}));
  EXPECT_TRUE(informer.List().empty());
}

struct LogLine {
  std::string level, message;
  Json fields;
};

TEST_F(InformerTest, FailuresAreLoggedWhenTheyStartChangeOrPersistAndRecoveryOnce) {
  std::vector<LogLine> logs;
  InformerHandlers handlers = recorder.Handlers();
  handlers.on_warning = [&](const std::string& m, const Json& f) {
    logs.push_back({"warn", m, f});
  };
  handlers.on_info = [&](const std::string& m, const Json& f) { logs.push_back({"info", m, f}); };
  const Status forbidden = Status::Unavailable(
      "watch scripted: HTTP 403 Forbidden: scripted is forbidden: User \"x\" cannot watch");
  source.lists.push_back(Status::Unavailable("GET /x: connection refused"));
  source.lists.push_back(ListResult{{}, "1"});
  for (int i = 0; i < 20; ++i) source.watches.push_back({{}, forbidden, {}});
  source.watches.push_back({{{"ERROR", InternalError()}}, {}, {}});
  source.watches.push_back({{{"BOOKMARK", {{"metadata", {{"resourceVersion", "2"}}}}}}});
  source.watches.push_back({{}, Status::Ok(), std::chrono::minutes(5)});
  // After a minute of failing watches each retry relists; those lists work, and are no
  // recovery to report while the watch still fails.
  source.every_other_list = ListResult{{}, "1"};
  Informer informer(source, clock, handlers, 1);

  informer.Step(stop.get_token());  // the list is refused
  for (int i = 0; i < 10; ++i) {
    clock.Advance(std::chrono::seconds(10));
    informer.Step(stop.get_token());  // list (first time only) + a forbidden watch
  }
  // The refused list, the list working, then 10 forbidden watches in 100 s: one line, not ten.
  ASSERT_EQ(logs.size(), 3u);
  EXPECT_EQ(logs[0].level, "warn");
  EXPECT_EQ(logs[0].message, "cannot list/watch scripted, retrying");
  EXPECT_EQ(logs[0].fields["error"], "GET /x: connection refused");
  EXPECT_EQ(logs[1].level, "info");
  EXPECT_EQ(logs[1].message, "list/watch of scripted works again");
  EXPECT_EQ(logs[2].level, "warn");
  EXPECT_EQ(logs[2].fields["error"], forbidden.message());
  EXPECT_EQ(logs[2].fields["failures"], 1) << "the successful list reset the count";

  clock.Advance(kFailureLogInterval);
  for (int i = 0; i < 10; ++i) informer.Step(stop.get_token());
  ASSERT_EQ(logs.size(), 4u) << "still failing after the interval: reminded once";
  EXPECT_EQ(logs[3].fields["error"], forbidden.message());
  EXPECT_EQ(logs[3].fields["failures"], 11);

  informer.Step(stop.get_token());  // a different error is news
  ASSERT_EQ(logs.size(), 5u);
  EXPECT_EQ(logs[4].fields["error"],
            "watch scripted: InternalError (500): Internal error occurred: etcdserver: leader "
            "changed");

  informer.Step(stop.get_token());  // a bookmark arrives: the watch works again
  informer.Step(stop.get_token());  // a long quiet watch: nothing new to say
  ASSERT_EQ(logs.size(), 6u);
  EXPECT_EQ(logs[5].level, "info");
  EXPECT_EQ(logs[5].message, "list/watch of scripted works again");
  EXPECT_EQ(logs[5].fields["failures"], 21);
}

TEST_F(InformerTest, WatchClosingImmediatelyWithoutEventsCountsAsFailure) {
  source.lists.push_back(ListResult{{}, "1"});
  source.watches.push_back({{}, Status::Ok(), std::chrono::milliseconds(10)});
  Informer informer(source, clock, recorder.Handlers(), 1);
  EXPECT_GT(informer.Step(stop.get_token()).count(), 0);
}

}  // namespace
}  // namespace foresight::op
