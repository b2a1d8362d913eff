// WeightedChoice: picks an index with probability proportional to its weight.
//
// Built once from a list of non-negative weights (at least one positive); a pick costs one
// uniform draw and a binary search over the cumulative weights. ZipfWeights() builds the
// skewed weights used for tenants: weight(k) = 1 / (k + 1)^exponent.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "gen/random.h"

namespace loglake::gen {

class WeightedChoice {
 public:
  WeightedChoice() = default;
  explicit WeightedChoice(const std::vector<double>& weights) {
    cumulative_.reserve(weights.size());
    double sum = 0;
    for (double w : weights) {
      sum += w > 0 ? w : 0;
      cumulative_.push_back(sum);
    }
    for (double& c : cumulative_) c /= sum;
    if (!cumulative_.empty()) cumulative_.back() = 1.0;
  }

  size_t size() const { return cumulative_.size(); }

  // Share of index i in [0, 1].
  double Probability(size_t i) const { return cumulative_[i] - (i == 0 ? 0.0 : cumulative_[i - 1]); }

  // The index whose cumulative band holds u, for u in [0, 1).
  size_t PickAt(double u) const {
    auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), u);
    size_t i = static_cast<size_t>(it - cumulative_.begin());
    return i < cumulative_.size() ? i : cumulative_.size() - 1;
  }

  size_t Pick(Rng& rng) const { return PickAt(rng.Uniform()); }

 private:
  std::vector<double> cumulative_;
};

inline std::vector<double> ZipfWeights(size_t n, double exponent) {
  std::vector<double> w(n);
  for (size_t k = 0; k < n; ++k) w[k] = 1.0 / std::pow(static_cast<double>(k + 1), exponent);
  return w;
}

}  // namespace loglake::gen
