#include "gen/random.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "gen/weighted_choice.h"

namespace loglake::gen {
namespace {

TEST(RngTest, SameSeedSameStreamDifferentSeedDifferentStream) {
  Rng a(42), b(42), c(43);
  int differences = 0;
  for (int i = 0; i < 1000; ++i) {
    const uint64_t x = a.Next();
    ASSERT_EQ(x, b.Next());
    differences += x != c.Next();
  }
  EXPECT_GT(differences, 990);
}

TEST(RngTest, RangesAndMoments) {
  Rng rng(5);
  const int n = 200'000;
  double sum = 0, sum_sq = 0, usum = 0;
  std::vector<int> buckets(10);
  for (int i = 0; i < n; ++i) {
    const double u = rng.Uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    usum += u;
    const uint64_t k = rng.Below(10);
    ASSERT_LT(k, 10u);
    ++buckets[k];
    const double z = rng.Normal();
    sum += z;
    sum_sq += z * z;
  }
  EXPECT_NEAR(usum / n, 0.5, 0.01);
  EXPECT_NEAR(sum / n, 0.0, 0.02);
  EXPECT_NEAR(sum_sq / n, 1.0, 0.03);
  for (int b : buckets) EXPECT_NEAR(b, n / 10, n / 100);
}

TEST(RngTest, LogNormalMedian) {
  Rng rng(9);
  std::vector<double> v;
  for (int i = 0; i < 50'001; ++i) v.push_back(rng.LogNormal(std::log(40.0), 0.8));
  std::nth_element(v.begin(), v.begin() + 25'000, v.end());
  EXPECT_NEAR(v[25'000], 40.0, 1.5);
}

TEST(WeightedChoiceTest, FollowsWeights) {
  WeightedChoice choice({1.0, 0.0, 3.0});
  EXPECT_DOUBLE_EQ(choice.Probability(1), 0.0);
  EXPECT_NEAR(choice.Probability(2), 0.75, 1e-12);
  Rng rng(11);
  std::vector<int> counts(3);
  for (int i = 0; i < 40'000; ++i) ++counts[choice.Pick(rng)];
  EXPECT_EQ(counts[1], 0);
  EXPECT_NEAR(counts[0], 10'000, 500);
  EXPECT_NEAR(counts[2], 30'000, 500);
  EXPECT_EQ(choice.PickAt(0.0), 0u);
  EXPECT_EQ(choice.PickAt(0.9999999), 2u);
}

TEST(WeightedChoiceTest, ZipfWeightsAreSkewed) {
  const std::vector<double> w = ZipfWeights(40, 1.1);
  WeightedChoice choice(w);
  EXPECT_GT(choice.Probability(0), 10 * choice.Probability(39));
  EXPECT_GT(choice.Probability(0), 0.15);
}

}  // namespace
}  // namespace loglake::gen
