// RecordedForecasts (policies/recorded_forecasts.h): forecasts of different point counts kept
// in one buffer read back as appended, through drops of the oldest and a clear.
#include "policies/recorded_forecasts.h"

#include <gtest/gtest.h>

#include <vector>

namespace foresight::policies {
namespace {

using std::chrono::seconds;

const Time kT0{seconds{1'700'000'000}};

// The forecast made at kT0 + `at` seconds: `count` points whose values name it (mean `at`,
// quantile the point's index), so that a point read from the wrong forecast shows.
std::vector<ForecastPoint> PointsMadeAt(int64_t at, int count) {
  std::vector<ForecastPoint> points;
  for (int i = 0; i < count; ++i) {
    points.push_back({seconds{60 * i}, static_cast<double>(at), static_cast<double>(i)});
  }
  return points;
}

void ExpectForecast(const RecordedForecast& f, int64_t at, int count) {
  EXPECT_EQ(f.time, kT0 + seconds{at});
  const std::vector<ForecastPoint> read(f.points.begin(), f.points.end());
  const std::vector<ForecastPoint> made = PointsMadeAt(at, count);
  ASSERT_EQ(read.size(), made.size()) << "made at +" << at;
  for (size_t i = 0; i < read.size(); ++i) {
    EXPECT_EQ(read[i].offset, made[i].offset) << "made at +" << at << ", point " << i;
    EXPECT_EQ(read[i].mean, made[i].mean) << "made at +" << at << ", point " << i;
    EXPECT_EQ(read[i].quantile, made[i].quantile) << "made at +" << at << ", point " << i;
  }
}

// Forecasts every 30 s from kT0 + 0 to + 30 * (n - 1), of 3, 4, 0 (no forecast yet), 1, 3, 4,
// 0, 1 ... points.
constexpr int kCounts[] = {3, 4, 0, 1};
int CountAt(int i) { return kCounts[i % 4]; }

RecordedForecasts Appended(int n) {
  RecordedForecasts r;
  for (int i = 0; i < n; ++i) r.Append(kT0 + seconds{30 * i}, PointsMadeAt(30 * i, CountAt(i)));
  return r;
}

TEST(RecordedForecastsTest, ReadsBackEachForecastAsAppended) {
  const RecordedForecasts r = Appended(9);
  ASSERT_EQ(r.size(), 9u);
  EXPECT_EQ(r.newest_time(), kT0 + seconds{240});
  for (int i = 0; i < 9; ++i) ExpectForecast(r[i], 30 * i, CountAt(i));
}

TEST(RecordedForecastsTest, DroppingTheOldestKeepsTheRestAsAppended) {
  RecordedForecasts r = Appended(9);
  r.DropBefore(kT0 + seconds{75});  // drops those made at +0, +30 and +60
  ASSERT_EQ(r.size(), 6u);
  for (int i = 3; i < 9; ++i) ExpectForecast(r[i - 3], 30 * i, CountAt(i));
  r.DropBefore(kT0 + seconds{75});  // nothing more to drop
  EXPECT_EQ(r.size(), 6u);

  // Appending after a drop, then dropping all but the newest.
  r.Append(kT0 + seconds{270}, PointsMadeAt(270, 2));
  r.DropBefore(kT0 + seconds{270});
  ASSERT_EQ(r.size(), 1u);
  ExpectForecast(r[0], 270, 2);

  r.DropBefore(kT0 + seconds{271});
  EXPECT_TRUE(r.empty());
  r.Append(kT0 + seconds{300}, PointsMadeAt(300, 3));
  ASSERT_EQ(r.size(), 1u);
  ExpectForecast(r[0], 300, 3);
}

TEST(RecordedForecastsTest, NewestAtOrBefore) {
  const RecordedForecasts r = Appended(5);  // made at +0, +30, ... +120
  EXPECT_FALSE(r.NewestAtOrBefore(kT0 - seconds{1}));
  struct Case {
    int64_t at;
    int64_t made_at;  // the newest made at or before `at`
  };
  for (const Case& c : {Case{0, 0}, Case{29, 0}, Case{30, 30}, Case{119, 90}, Case{500, 120}}) {
    const std::optional<RecordedForecast> f = r.NewestAtOrBefore(kT0 + seconds{c.at});
    ASSERT_TRUE(f) << "at +" << c.at;
    ExpectForecast(*f, c.made_at, CountAt(static_cast<int>(c.made_at / 30)));
  }
}

TEST(RecordedForecastsTest, ClearForgetsEverything) {
  RecordedForecasts r = Appended(5);
  r.DropBefore(kT0 + seconds{40});
  r.Clear();
  EXPECT_TRUE(r.empty());
  EXPECT_FALSE(r.NewestAtOrBefore(kT0 + seconds{1000}));
  r.Append(kT0, PointsMadeAt(0, 4));  // an earlier time than before the clear
  ASSERT_EQ(r.size(), 1u);
  ExpectForecast(r[0], 0, 4);
}

}  // namespace
}  // namespace foresight::policies
