// Rng: the generator's own pseudo-random numbers (xoshiro256**, seeded through splitmix64).
//
// `loglake gen` promises the same bytes for the same seed on every machine and every build. The
// std:: distributions do not promise that (their algorithms differ between standard libraries),
// so every draw here is integer arithmetic on the raw 64-bit stream, plus log/sqrt/exp for the
// normal and lognormal shapes.
#pragma once

#include <cmath>
#include <cstdint>

namespace loglake::gen {

// One step of splitmix64: a good 64-bit mixer, used to seed Rng and to hash ids to stable values.
inline uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A stateless hash of `x` (splitmix64 finalizer): same input, same output.
inline uint64_t Mix64(uint64_t x) {
  uint64_t state = x;
  return SplitMix64(&state);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    uint64_t sm = seed;
    for (uint64_t& word : s_) word = SplitMix64(&sm);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 bits of precision.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

  // Uniform in [0, n); n > 0. Multiply-shift: the bias is below 2^-64 * n, irrelevant here.
  uint64_t Below(uint64_t n) {
    __extension__ typedef unsigned __int128 U128;  // a GCC/Clang type; __extension__ quiets -Wpedantic
    return static_cast<uint64_t>((static_cast<U128>(Next()) * n) >> 64);
  }

  // True with probability p.
  bool Chance(double p) { return Uniform() < p; }

  // Standard normal (Marsaglia's polar method; the second value of each pair is kept).
  double Normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u, v, s;
    do {
      u = 2.0 * Uniform() - 1.0;
      v = 2.0 * Uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double factor = std::sqrt(-2.0 * std::log(s) / s);
    spare_ = v * factor;
    has_spare_ = true;
    return u * factor;
  }

  // exp(N(mu, sigma)): the shape of latencies and response sizes.
  double LogNormal(double mu, double sigma) { return std::exp(mu + sigma * Normal()); }

  // Exponential with the given mean.
  double Exponential(double mean) { return -mean * std::log(1.0 - Uniform()); }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  uint64_t s_[4];
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace loglake::gen
