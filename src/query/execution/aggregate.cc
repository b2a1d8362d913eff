#include "query/execution/aggregate.h"

#include <cstring>
#include <string>

#include "query/execution/aggregate_distinct.h"
#include "query/execution/row_key.h"

namespace loglake::query {
namespace {

Status AdditionOverflow(int64_t a, int64_t b) {
  return Status::InvalidArgument("bigint addition overflow: " + std::to_string(a) + " + " + std::to_string(b));
}

// A 128-bit integer for exact sums (a GCC/Clang extension; __extension__ keeps -Wpedantic quiet).
__extension__ typedef __int128 Int128;

int64_t IntAt(const Column& c, size_t r) {
  return c.type() == ColumnType::kInt32 ? int64_t{c.Int32(r)} : c.Int64(r);
}

void AppendValue(Column* out, int32_t v) { out->AppendInt32(v); }
void AppendValue(Column* out, int64_t v) { out->AppendInt64(v); }
void AppendValue(Column* out, double v) { out->AppendDouble(v); }
void AppendValue(Column* out, uint8_t v) { out->AppendBool(v != 0); }
void AppendValue(Column* out, const std::string& v) { out->AppendString(v); }

// The final column of groups [0, n) of a state keeping one value per group: values[g], or NULL
// for a group that saw no value (has[g] == 0). Both vectors cover at least n groups.
template <typename T>
Column ValuesOrNull(ColumnType type, const std::vector<T>& values, const std::vector<uint8_t>& has, size_t n) {
  Column out(type);
  out.Reserve(n);
  for (size_t g = 0; g < n; ++g) {
    if (has[g]) {
      AppendValue(&out, values[g]);
    } else {
      out.AppendNull();
    }
  }
  return out;
}

// Heap bytes of a string beyond the object itself (none while it fits the inline buffer).
size_t HeapBytes(const std::string& s) {
  static const size_t kInline = std::string().capacity();
  return s.capacity() > kInline ? s.capacity() + 1 : 0;
}

class CountState final : public AggregateState {
 public:
  explicit CountState(bool star) : star_(star) {}
  void Resize(size_t n) override { counts_.resize(n, 0); }
  Status Update(const uint32_t* g, size_t n, const Column* arg) override {
    int64_t* counts = counts_.data();
    if (star_ || arg->null_count() == 0) {
      for (size_t r = 0; r < n; ++r) ++counts[g[r]];
    } else {
      const uint8_t* valid = arg->validity().data();
      for (size_t r = 0; r < n; ++r) counts[g[r]] += valid[r];
    }
    return Status::OK();
  }
  Status Merge(AggregateState& o, const std::vector<uint32_t>& map) override {
    auto& other = static_cast<CountState&>(o);
    for (size_t g = 0; g < other.counts_.size(); ++g) counts_[map[g]] += other.counts_[g];
    return Status::OK();
  }
  Result<Column> Finish(size_t n) override {
    Resize(n);
    Column out(ColumnType::kInt64);
    out.Reserve(n);
    for (size_t g = 0; g < n; ++g) out.AppendInt64(counts_[g]);
    return out;
  }
  size_t MemoryUsage() const override { return counts_.capacity() * 8; }

 private:
  bool star_;
  std::vector<int64_t> counts_;
};

class SumIntState final : public AggregateState {
 public:
  void Resize(size_t n) override {
    sums_.resize(n, 0);
    has_.resize(n, 0);
  }
  Status Update(const uint32_t* g, size_t n, const Column* arg) override {
    const uint8_t* valid = arg->validity().data();
    for (size_t r = 0; r < n; ++r) {
      if (!valid[r]) continue;
      RETURN_IF_ERROR(Add(g[r], IntAt(*arg, r)));
    }
    return Status::OK();
  }
  Status Merge(AggregateState& o, const std::vector<uint32_t>& map) override {
    auto& other = static_cast<SumIntState&>(o);
    for (size_t g = 0; g < other.sums_.size(); ++g) {
      if (other.has_[g]) RETURN_IF_ERROR(Add(map[g], other.sums_[g]));
    }
    return Status::OK();
  }
  Result<Column> Finish(size_t n) override {
    Resize(n);
    return ValuesOrNull(ColumnType::kInt64, sums_, has_, n);
  }
  size_t MemoryUsage() const override { return sums_.capacity() * 9; }

 private:
  Status Add(uint32_t g, int64_t v) {
    int64_t sum;
    if (__builtin_add_overflow(sums_[g], v, &sum)) return AdditionOverflow(sums_[g], v);
    sums_[g] = sum;
    has_[g] = 1;
    return Status::OK();
  }
  std::vector<int64_t> sums_;
  std::vector<uint8_t> has_;
};

class SumDoubleState final : public AggregateState {
 public:
  void Resize(size_t n) override {
    sums_.resize(n, 0);
    has_.resize(n, 0);
  }
  Status Update(const uint32_t* g, size_t n, const Column* arg) override {
    const uint8_t* valid = arg->validity().data();
    const double* v = arg->double_values().data();
    for (size_t r = 0; r < n; ++r) {
      if (!valid[r]) continue;
      sums_[g[r]] += v[r];
      has_[g[r]] = 1;
    }
    return Status::OK();
  }
  Status Merge(AggregateState& o, const std::vector<uint32_t>& map) override {
    auto& other = static_cast<SumDoubleState&>(o);
    for (size_t g = 0; g < other.sums_.size(); ++g) {
      if (!other.has_[g]) continue;
      sums_[map[g]] += other.sums_[g];
      has_[map[g]] = 1;
    }
    return Status::OK();
  }
  Result<Column> Finish(size_t n) override {
    Resize(n);
    return ValuesOrNull(ColumnType::kDouble, sums_, has_, n);
  }
  size_t MemoryUsage() const override { return sums_.capacity() * 9; }

 private:
  std::vector<double> sums_;
  std::vector<uint8_t> has_;
};

// avg: integers summed exactly in 128 bits (no overflow for fewer than 2^64 values), doubles
// summed as doubles; divided once in Finish.
class AvgState final : public AggregateState {
 public:
  explicit AvgState(bool integral) : integral_(integral) {}
  void Resize(size_t n) override {
    if (integral_) {
      int_sums_.resize(n, 0);
    } else {
      double_sums_.resize(n, 0);
    }
    counts_.resize(n, 0);
  }
  Status Update(const uint32_t* g, size_t n, const Column* arg) override {
    const uint8_t* valid = arg->validity().data();
    for (size_t r = 0; r < n; ++r) {
      if (!valid[r]) continue;
      if (integral_) {
        int_sums_[g[r]] += IntAt(*arg, r);
      } else {
        double_sums_[g[r]] += arg->Double(r);
      }
      ++counts_[g[r]];
    }
    return Status::OK();
  }
  Status Merge(AggregateState& o, const std::vector<uint32_t>& map) override {
    auto& other = static_cast<AvgState&>(o);
    for (size_t g = 0; g < other.counts_.size(); ++g) {
      if (other.counts_[g] == 0) continue;
      if (integral_) {
        int_sums_[map[g]] += other.int_sums_[g];
      } else {
        double_sums_[map[g]] += other.double_sums_[g];
      }
      counts_[map[g]] += other.counts_[g];
    }
    return Status::OK();
  }
  Result<Column> Finish(size_t n) override {
    Resize(n);
    Column out(ColumnType::kDouble);
    out.Reserve(n);
    for (size_t g = 0; g < n; ++g) {
      if (counts_[g] == 0) {
        out.AppendNull();
      } else if (integral_) {
        out.AppendDouble(static_cast<double>(int_sums_[g]) / static_cast<double>(counts_[g]));
      } else {
        out.AppendDouble(double_sums_[g] / static_cast<double>(counts_[g]));
      }
    }
    return out;
  }
  size_t MemoryUsage() const override { return counts_.capacity() * (integral_ ? 24 : 16); }

 private:
  bool integral_;
  std::vector<Int128> int_sums_;
  std::vector<double> double_sums_;
  std::vector<int64_t> counts_;
};

// min/max over one physical type T: int32_t, int64_t (also timestamps), double, uint8_t
// (booleans) or std::string.
template <typename T>
class MinMaxState final : public AggregateState {
 public:
  MinMaxState(ColumnType type, bool is_max) : type_(type), is_max_(is_max) {}
  void Resize(size_t n) override {
    values_.resize(n);
    has_.resize(n, 0);
  }
  Status Update(const uint32_t* g, size_t n, const Column* arg) override {
    const uint8_t* valid = arg->validity().data();
    for (size_t r = 0; r < n; ++r) {
      if (valid[r]) Offer(g[r], Get(*arg, r));
    }
    return Status::OK();
  }
  Status Merge(AggregateState& o, const std::vector<uint32_t>& map) override {
    auto& other = static_cast<MinMaxState<T>&>(o);
    for (size_t g = 0; g < other.values_.size(); ++g) {
      if (other.has_[g]) Offer(map[g], other.values_[g]);
    }
    return Status::OK();
  }
  Result<Column> Finish(size_t n) override {
    Resize(n);
    return ValuesOrNull(type_, values_, has_, n);
  }
  // Strings' heap bytes are tracked as values change: summing them here would cost a pass over
  // every group per batch.
  size_t MemoryUsage() const override { return values_.capacity() * (sizeof(T) + 1) + string_heap_bytes_; }

 private:
  using Arg = std::conditional_t<std::is_same_v<T, std::string>, std::string_view, T>;
  static Arg Get(const Column& c, size_t r) {
    if constexpr (std::is_same_v<T, std::string>) {
      return c.String(r);
    } else if constexpr (std::is_same_v<T, int32_t>) {
      return c.Int32(r);
    } else if constexpr (std::is_same_v<T, int64_t>) {
      return c.Int64(r);
    } else if constexpr (std::is_same_v<T, double>) {
      return c.Double(r);
    } else {
      return c.Bool(r) ? 1 : 0;
    }
  }
  static int Compare(Arg a, Arg b) {
    if constexpr (std::is_same_v<T, double>) {
      return CompareDoubles(a, b);
    } else if constexpr (std::is_same_v<T, std::string>) {
      int c = a.compare(b);
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    } else {
      return a < b ? -1 : (a > b ? 1 : 0);
    }
  }
  void Offer(uint32_t g, Arg v) {
    if (has_[g]) {
      int c = Compare(v, values_[g]);
      if (is_max_ ? c <= 0 : c >= 0) return;
    }
    if constexpr (std::is_same_v<T, std::string>) {
      string_heap_bytes_ -= HeapBytes(values_[g]);
      values_[g].assign(v);
      string_heap_bytes_ += HeapBytes(values_[g]);
    } else {
      values_[g] = v;
    }
    has_[g] = 1;
  }

  ColumnType type_;
  bool is_max_;
  std::vector<T> values_;
  std::vector<uint8_t> has_;
  size_t string_heap_bytes_ = 0;
};

// count/sum/avg(DISTINCT x): the distinct (group, value) pairs, aggregated at Finish.
class DistinctState final : public AggregateState {
 public:
  DistinctState(const AggregateCall& call, SqlType arg_type, bool grouped)
      : call_(call.Clone()), arg_type_(arg_type), grouped_(grouped), set_(PhysicalType(arg_type), grouped) {
    call_.distinct = false;
  }
  void Resize(size_t n) override { num_groups_ = std::max(num_groups_, n); }
  Status Update(const uint32_t* g, size_t n, const Column* arg) override {
    set_.Insert(g, *arg, n);
    return Status::OK();
  }
  Status Merge(AggregateState& o, const std::vector<uint32_t>& map) override {
    set_.Merge(std::move(static_cast<DistinctState&>(o).set_), map);
    return Status::OK();
  }
  Result<Column> Finish(size_t n) override {
    if (call_.kind == AggregateKind::kCount) {
      std::vector<int64_t> counts(n, 0);
      set_.ForEach([&](uint32_t g, uint64_t) { ++counts[g]; });
      Column out(ColumnType::kInt64);
      out.Reserve(n);
      for (int64_t c : counts) out.AppendInt64(c);
      return out;
    }
    // sum/avg of numbers: the values are stored exactly, so replay them into a plain state.
    ColumnType physical = PhysicalType(arg_type_);
    Column values(physical);
    std::vector<uint32_t> groups;
    values.Reserve(set_.size());
    groups.reserve(set_.size());
    set_.ForEach([&](uint32_t g, uint64_t bits) {
      groups.push_back(g);
      if (physical == ColumnType::kInt32) {
        values.AppendInt32(static_cast<int32_t>(static_cast<int64_t>(bits)));
      } else if (physical == ColumnType::kDouble) {
        double d;
        std::memcpy(&d, &bits, sizeof(d));
        values.AppendDouble(d);
      } else {
        values.AppendInt64(static_cast<int64_t>(bits));
      }
    });
    ASSIGN_OR_RETURN(std::unique_ptr<AggregateState> plain, AggregateState::Make(call_, arg_type_, grouped_));
    plain->Resize(n);
    RETURN_IF_ERROR(plain->Update(groups.data(), groups.size(), &values));
    return plain->Finish(n);
  }
  size_t MemoryUsage() const override { return set_.MemoryUsage(); }

 private:
  AggregateCall call_;
  SqlType arg_type_;
  bool grouped_;
  DistinctSet set_;
  size_t num_groups_ = 0;
};

Status BadArgument(const AggregateCall& call, SqlType arg_type) {
  return Status::InvalidArgument(std::string("aggregate ") + AggregateKindName(call.kind) + " does not accept " +
                                 SqlTypeName(arg_type) + " arguments (result type " + SqlTypeName(call.type) + ")");
}

}  // namespace

Result<std::unique_ptr<AggregateState>> AggregateState::Make(const AggregateCall& call, SqlType arg_type,
                                                             bool grouped) {
  ColumnType physical = PhysicalType(arg_type);
  bool integral = physical == ColumnType::kInt32 || physical == ColumnType::kInt64;
  switch (call.kind) {
    case AggregateKind::kCountStar: return std::unique_ptr<AggregateState>(new CountState(true));
    case AggregateKind::kCount:
      if (call.distinct) return std::unique_ptr<AggregateState>(new DistinctState(call, arg_type, grouped));
      return std::unique_ptr<AggregateState>(new CountState(false));
    case AggregateKind::kSum:
    case AggregateKind::kAvg: {
      bool is_double = physical == ColumnType::kDouble;
      if (arg_type == SqlType::kTimestamp || arg_type == SqlType::kDate || (!integral && !is_double)) {
        return BadArgument(call, arg_type);
      }
      if (call.kind == AggregateKind::kSum && PhysicalType(call.type) != (is_double ? ColumnType::kDouble : ColumnType::kInt64)) {
        return BadArgument(call, arg_type);
      }
      if (call.kind == AggregateKind::kAvg && call.type != SqlType::kDouble) return BadArgument(call, arg_type);
      if (call.distinct) return std::unique_ptr<AggregateState>(new DistinctState(call, arg_type, grouped));
      if (call.kind == AggregateKind::kAvg) return std::unique_ptr<AggregateState>(new AvgState(integral));
      if (is_double) return std::unique_ptr<AggregateState>(new SumDoubleState());
      return std::unique_ptr<AggregateState>(new SumIntState());
    }
    case AggregateKind::kMin:
    case AggregateKind::kMax: {
      if (PhysicalType(call.type) != physical) return BadArgument(call, arg_type);
      bool is_max = call.kind == AggregateKind::kMax;
      switch (physical) {
        case ColumnType::kString:
          return std::unique_ptr<AggregateState>(new MinMaxState<std::string>(physical, is_max));
        case ColumnType::kInt32: return std::unique_ptr<AggregateState>(new MinMaxState<int32_t>(physical, is_max));
        case ColumnType::kInt64:
        case ColumnType::kTimestamp:
          return std::unique_ptr<AggregateState>(new MinMaxState<int64_t>(physical, is_max));
        case ColumnType::kDouble: return std::unique_ptr<AggregateState>(new MinMaxState<double>(physical, is_max));
        case ColumnType::kBool: return std::unique_ptr<AggregateState>(new MinMaxState<uint8_t>(physical, is_max));
      }
      break;
    }
  }
  return BadArgument(call, arg_type);
}

}  // namespace loglake::query
