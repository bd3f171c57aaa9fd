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

  Result<ListResult> List(const std::string& rv) override {
    list_versions.push_back(rv);
    Result<ListResult> r = lists.front();
    lists.pop_front();
    return r;
  }
  Status Watch(const std::string& rv, int timeout_seconds,
               const std::function<bool(const WatchEvent&)>& on_event, std::stop_token) override {
    EXPECT_GE(timeout_seconds, 300);
    EXPECT_LT(timeout_seconds, 600);
    watch_versions.push_back(rv);
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
  informer.Step(stop.get_token());                        // list + watch -> 410
  EXPECT_GT(informer.Step(stop.get_token()).count(), 0);  // relist at "10" fails: back off
  informer.Step(stop.get_token());                        // consistent relist + watch
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

TEST_F(InformerTest, WatchClosingImmediatelyWithoutEventsCountsAsFailure) {
  source.lists.push_back(ListResult{{}, "1"});
  source.watches.push_back({{}, Status::Ok(), std::chrono::milliseconds(10)});
  Informer informer(source, clock, recorder.Handlers(), 1);
  EXPECT_GT(informer.Step(stop.get_token()).count(), 0);
}

}  // namespace
}  // namespace foresight::op
