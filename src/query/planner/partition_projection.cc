#include "query/planner/partition_projection.h"

#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "common/time.h"
#include "lake/partition.h"
#include "query/planner/constants.h"

namespace loglake::query {
namespace {

std::string DatePath(int64_t day) {
  char buf[lake::kMaxPartitionPathLength];
  size_t n = lake::FormatPartitionPath(lake::PartitionLayout::kDatePath, CivilFromDays(day), buf);
  return std::string(buf, n);
}

// The first partition day whose 'yyyy/MM/dd' is >= s (or > s when `strict`); MaxPartitionDay()+1
// when none. Partition paths are fixed width, so their string order is their day order.
int64_t FirstDayFrom(std::string_view s, bool strict) {
  int64_t lo = MinPartitionDay(), hi = MaxPartitionDay() + 1;
  while (lo < hi) {
    const int64_t mid = lo + (hi - lo) / 2;
    const std::string p = DatePath(mid);
    const bool after = strict ? std::string_view(p) > s : std::string_view(p) >= s;
    if (after) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

// The smallest string greater than every string starting with `prefix`; nullopt when there is none.
std::optional<std::string> PrefixSuccessor(std::string prefix) {
  while (!prefix.empty() && static_cast<uint8_t>(prefix.back()) == 0xff) prefix.pop_back();
  if (prefix.empty()) return std::nullopt;
  prefix.back() = static_cast<char>(static_cast<uint8_t>(prefix.back()) + 1);
  return prefix;
}

// Which column an operand reads, in the forms projection understands.
enum class Operand { kOther, kTime, kTimeAsDate, kDatePath };

class Projector {
 public:
  Projector(int time_index, int datepath_index) : time_(time_index), datepath_(datepath_index) {}

  DaySet Project(const Expr& e) const {
    switch (e.kind) {
      case ExprKind::kAnd: {
        DaySet s = DaySet::All();
        for (const ExprPtr& a : e.args) s = s.Intersect(Project(*a));
        return s;
      }
      case ExprKind::kOr: {
        DaySet s;
        for (const ExprPtr& a : e.args) s = s.Union(Project(*a));
        return s;
      }
      case ExprKind::kCompare: return Compare(e);
      case ExprKind::kBetween: return Between(e);
      case ExprKind::kInList: return InList(e);
      case ExprKind::kLike: return Like(e);
      case ExprKind::kConstant:
        // WHERE false (or NULL) matches nothing.
        if (e.type == SqlType::kBoolean && (e.constant.is_null() || !e.constant.AsBool())) return DaySet::None();
        return DaySet::All();
      default: return DaySet::All();
    }
  }

 private:
  Operand Classify(const Expr& e) const {
    if (e.kind == ExprKind::kColumnRef) {
      if (e.index == time_) return Operand::kTime;
      if (e.index == datepath_) return Operand::kDatePath;
      return Operand::kOther;
    }
    if (e.kind == ExprKind::kCast && e.type == SqlType::kDate && e.args.size() == 1 &&
        e.args[0]->kind == ExprKind::kColumnRef && e.args[0]->index == time_) {
      return Operand::kTimeAsDate;
    }
    return Operand::kOther;
  }

  // The instant a constant stands for when compared with the time column.
  static std::optional<int64_t> Micros(const Value& v) {
    if (v.is_null()) return std::nullopt;
    if (v.type() == SqlType::kTimestamp) return v.AsInt64();
    if (v.type() == SqlType::kDate) return static_cast<int64_t>(v.AsInt32()) * kMicrosPerDay;
    return std::nullopt;
  }

  static std::optional<int64_t> Day(const Value& v) {
    if (v.is_null()) return std::nullopt;
    if (v.type() == SqlType::kDate) return v.AsInt32();
    if (v.type() == SqlType::kTimestamp) return lake::PartitionDay(v.AsInt64());
    return std::nullopt;
  }

  // Days whose values of `operand` can satisfy `operand op v`. A NULL constant matches nothing.
  static DaySet CompareWith(Operand operand, CompareOp op, const Value& v) {
    const int64_t lo = MinPartitionDay(), hi = MaxPartitionDay();
    if (v.is_null()) return DaySet::None();
    if (op == CompareOp::kNe) return DaySet::All();
    switch (operand) {
      case Operand::kTime: {
        std::optional<int64_t> t = Micros(v);
        if (!t) return DaySet::All();
        const int64_t day = lake::PartitionDay(*t);
        switch (op) {
          case CompareOp::kEq: return DaySet::Single(day);
          case CompareOp::kGt:
          case CompareOp::kGe: return DaySet::Range(day, hi);
          case CompareOp::kLe: return DaySet::Range(lo, day);
          case CompareOp::kLt:
            // time < midnight excludes that day.
            return DaySet::Range(lo, *t == std::numeric_limits<int64_t>::min() ? lo - 1 : lake::PartitionDay(*t - 1));
          default: return DaySet::All();
        }
      }
      case Operand::kTimeAsDate: {
        std::optional<int64_t> d = Day(v);
        if (!d || v.type() != SqlType::kDate) return DaySet::All();
        switch (op) {
          case CompareOp::kEq: return DaySet::Single(*d);
          case CompareOp::kGt: return DaySet::Range(*d + 1, hi);
          case CompareOp::kGe: return DaySet::Range(*d, hi);
          case CompareOp::kLt: return DaySet::Range(lo, *d - 1);
          case CompareOp::kLe: return DaySet::Range(lo, *d);
          default: return DaySet::All();
        }
      }
      case Operand::kDatePath: {
        if (v.type() != SqlType::kVarchar) return DaySet::All();
        const std::string& s = v.AsString();
        switch (op) {
          case CompareOp::kEq: {
            std::optional<CivilDate> date = lake::ParsePartitionPath(lake::PartitionLayout::kDatePath, s);
            if (!date) return DaySet::None();
            const int64_t day = DaysFromCivil(date->year, date->month, date->day);
            return DatePath(day) == s ? DaySet::Single(day) : DaySet::None();
          }
          case CompareOp::kGt: return DaySet::Range(FirstDayFrom(s, true), hi);
          case CompareOp::kGe: return DaySet::Range(FirstDayFrom(s, false), hi);
          case CompareOp::kLt: return DaySet::Range(lo, FirstDayFrom(s, false) - 1);
          case CompareOp::kLe: return DaySet::Range(lo, FirstDayFrom(s, true) - 1);
          default: return DaySet::All();
        }
      }
      case Operand::kOther: return DaySet::All();
    }
    return DaySet::All();
  }

  DaySet Compare(const Expr& e) const {
    if (e.args.size() != 2) return DaySet::All();
    Operand left = Classify(*e.args[0]);
    CompareOp op = e.compare;
    const Expr* other = e.args[1].get();
    if (left == Operand::kOther) {
      left = Classify(*e.args[1]);
      op = SwappedCompareOp(op);
      other = e.args[0].get();
    }
    if (left == Operand::kOther) return DaySet::All();
    std::optional<Value> v = ConstantOf(*other);
    if (!v) return DaySet::All();
    return CompareWith(left, op, *v);
  }

  DaySet Between(const Expr& e) const {
    if (e.negated || e.args.size() != 3) return DaySet::All();
    const Operand operand = Classify(*e.args[0]);
    if (operand == Operand::kOther) return DaySet::All();
    std::optional<Value> low = ConstantOf(*e.args[1]);
    std::optional<Value> high = ConstantOf(*e.args[2]);
    DaySet s = DaySet::All();
    if (low) s = s.Intersect(CompareWith(operand, CompareOp::kGe, *low));
    if (high) s = s.Intersect(CompareWith(operand, CompareOp::kLe, *high));
    return s;
  }

  DaySet InList(const Expr& e) const {
    if (e.negated || e.args.size() < 2) return DaySet::All();
    const Operand operand = Classify(*e.args[0]);
    if (operand == Operand::kOther) return DaySet::All();
    DaySet s;
    for (size_t i = 1; i < e.args.size(); ++i) {
      std::optional<Value> v = ConstantOf(*e.args[i]);
      if (!v) return DaySet::All();
      s = s.Union(CompareWith(operand, CompareOp::kEq, *v));
    }
    return s;
  }

  DaySet Like(const Expr& e) const {
    // ESCAPE changes what the pattern's characters mean; such patterns are not analysed.
    if (e.negated || e.args.size() != 2 || Classify(*e.args[0]) != Operand::kDatePath) return DaySet::All();
    std::optional<Value> pattern = ConstantOf(*e.args[1]);
    if (!pattern || pattern->is_null()) return pattern ? DaySet::None() : DaySet::All();
    if (pattern->type() != SqlType::kVarchar) return DaySet::All();
    const std::string& p = pattern->AsString();
    const size_t wildcard = p.find_first_of("%_");
    if (wildcard == std::string::npos) return CompareWith(Operand::kDatePath, CompareOp::kEq, *pattern);
    const std::string prefix = p.substr(0, wildcard);
    if (prefix.empty()) return DaySet::All();
    const int64_t first = FirstDayFrom(prefix, false);
    std::optional<std::string> end = PrefixSuccessor(prefix);
    const int64_t last = end ? FirstDayFrom(*end, false) - 1 : MaxPartitionDay();
    return DaySet::Range(first, last);
  }

  int time_;
  int datepath_;
};

}  // namespace

DaySet ProjectDays(const Expr* filter, int time_index, int datepath_index) {
  if (filter == nullptr) return DaySet::All();
  return Projector(time_index, datepath_index).Project(*filter);
}

}  // namespace loglake::query
