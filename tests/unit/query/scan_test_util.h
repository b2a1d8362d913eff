// Helpers for the scan, planner, dedup and engine tests: a small test table, lakes written with
// test_lake.h (small row groups and pages so every pruning layer has something to do),
// terse expression builders, and a ResultBuilder double that records the ids it receives.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/column.h"
#include "common/file.h"
#include "common/time.h"
#include "lake/partition.h"
#include "lake/converter.h"
#include "lake/table.h"
#include "parquet/writer.h"
#include "query/execution/evaluator.h"
#include "query/execution/result_builder.h"
#include "query/execution/scan_executor.h"
#include "query/expr.h"
#include "query/plan.h"
#include "test_lake.h"

namespace loglake::query::scantest {

// Columns: id (bigint, never null), time, key (dedup key, bloom filter), status (integer),
// score (double), extra.
inline lake::TableDef TestTable(lake::PartitionLayout layout = lake::PartitionLayout::kDatePath) {
  lake::TableDef t;
  t.name = "t";
  t.columns = {{"id", ColumnType::kInt64, false},  {"time", ColumnType::kTimestamp, false},
               {"key", ColumnType::kString, true}, {"status", ColumnType::kInt32, true},
               {"score", ColumnType::kDouble, true}, {"extra", ColumnType::kString, true}};
  t.time_column = "time";
  t.dedup_key = "key";
  t.layout = layout;
  t.bloom_columns = {"key"};
  return t;
}

struct TestRow {
  int64_t id = 0;
  int64_t time = 0;
  std::optional<std::string> key;
  std::optional<int32_t> status;
  std::optional<double> score;
};

inline int64_t Micros(int year, int month, int day, int hour = 0, int minute = 0) {
  return MicrosFromCivilDate({year, month, day}) + (hour * 3600LL + minute * 60LL) * kMicrosPerSecond;
}

inline parquet::WriterOptions SmallWriterOptions(const lake::TableDef& t) {
  return testing_util::LakeWriterOptions(t, 200, 40);
}

// Writes `rows` (all of one day) as <lake>/<table>/<partition>/<name>; returns the path.
inline std::string WriteDayFile(const std::string& lake, const lake::TableDef& t, const std::string& name,
                                const std::vector<TestRow>& rows, parquet::WriterOptions options) {
  return testing_util::WriteDayFile(lake, t, CivilDateFromMicros(rows.at(0).time), name, rows.size(), options,
                                    [&rows](const std::string& field, size_t i, Column* col) {
                                      const TestRow& r = rows[i];
                                      if (field == "id") {
                                        col->AppendInt64(r.id);
                                      } else if (field == "time") {
                                        col->AppendTimestamp(r.time);
                                      } else if (field == "key") {
                                        r.key ? col->AppendString(*r.key) : col->AppendNull();
                                      } else if (field == "status") {
                                        r.status ? col->AppendInt32(*r.status) : col->AppendNull();
                                      } else if (field == "score") {
                                        r.score ? col->AppendDouble(*r.score) : col->AppendNull();
                                      } else {
                                        col->AppendNull();
                                      }
                                    });
}

inline std::string WriteDayFile(const std::string& lake, const lake::TableDef& t, const std::string& name,
                                const std::vector<TestRow>& rows) {
  return WriteDayFile(lake, t, name, rows, SmallWriterOptions(t));
}

// 600 rows of 2024-03-09, one a minute from midnight: id i, key "k0000".."k0599" scrambled
// ((i * 37) % 600), so that time is sorted (row groups of 200 have disjoint time ranges) while every
// row group spans nearly the whole key range — only bloom filters can rule a key out. status and
// score are NULL.
inline std::vector<TestRow> ScrambledKeyDay() {
  std::vector<TestRow> rows;
  for (int i = 0; i < 600; ++i) {
    TestRow r;
    r.id = i;
    r.time = Micros(2024, 3, 9) + i * 60 * kMicrosPerSecond;
    char key[16];
    std::snprintf(key, sizeof(key), "k%04d", (i * 37) % 600);
    r.key = key;
    rows.push_back(std::move(r));
  }
  return rows;
}

// Expressions over TestTable (datepath is index columns.size()).
inline ExprPtr Col(const lake::TableDef& t, const std::string& name) {
  if (name == kDatePathColumn) return Expr::Column(static_cast<int>(t.columns.size()), SqlType::kVarchar, name);
  const int i = t.ColumnIndex(name);
  EXPECT_GE(i, 0) << name;
  return Expr::Column(i, SqlTypeOf(t.columns[static_cast<size_t>(i)].type), name);
}
inline ExprPtr Lit(Value v) { return Expr::Constant(std::move(v)); }
inline ExprPtr Ts(int64_t micros) { return Lit(Value::Timestamp(micros)); }
inline ExprPtr Str(std::string s) { return Lit(Value::Varchar(std::move(s))); }
inline ExprPtr Int(int32_t v) { return Lit(Value::Integer(v)); }

inline ExprPtr Cmp(ExprPtr a, CompareOp op, ExprPtr b) {
  std::vector<ExprPtr> args;
  args.push_back(std::move(a));
  args.push_back(std::move(b));
  ExprPtr e = Expr::Make(ExprKind::kCompare, SqlType::kBoolean, std::move(args));
  e->compare = op;
  return e;
}
inline ExprPtr Logic(ExprKind kind, std::vector<ExprPtr> args) {
  return Expr::Make(kind, SqlType::kBoolean, std::move(args));
}
inline ExprPtr And(ExprPtr a, ExprPtr b) {
  std::vector<ExprPtr> v;
  v.push_back(std::move(a));
  v.push_back(std::move(b));
  return Logic(ExprKind::kAnd, std::move(v));
}
inline ExprPtr Or(ExprPtr a, ExprPtr b) {
  std::vector<ExprPtr> v;
  v.push_back(std::move(a));
  v.push_back(std::move(b));
  return Logic(ExprKind::kOr, std::move(v));
}
inline ExprPtr Not(ExprPtr a) {
  std::vector<ExprPtr> v;
  v.push_back(std::move(a));
  return Logic(ExprKind::kNot, std::move(v));
}
inline ExprPtr In(ExprPtr col, std::vector<ExprPtr> values, bool negated = false) {
  std::vector<ExprPtr> v;
  v.push_back(std::move(col));
  for (ExprPtr& x : values) v.push_back(std::move(x));
  ExprPtr e = Logic(ExprKind::kInList, std::move(v));
  e->negated = negated;
  return e;
}
inline ExprPtr Between(ExprPtr col, ExprPtr lo, ExprPtr hi) {
  std::vector<ExprPtr> v;
  v.push_back(std::move(col));
  v.push_back(std::move(lo));
  v.push_back(std::move(hi));
  return Logic(ExprKind::kBetween, std::move(v));
}
inline ExprPtr Like(ExprPtr col, std::string pattern) {
  std::vector<ExprPtr> v;
  v.push_back(std::move(col));
  v.push_back(Str(std::move(pattern)));
  return Logic(ExprKind::kLike, std::move(v));
}
inline ExprPtr IsNull(ExprPtr col, bool negated = false) {
  std::vector<ExprPtr> v;
  v.push_back(std::move(col));
  ExprPtr e = Logic(ExprKind::kIsNull, std::move(v));
  e->negated = negated;
  return e;
}

// SELECT id[, others] FROM t WHERE filter.
inline QueryPlan PlanFor(const lake::TableDef& t, ExprPtr filter, const std::vector<std::string>& outputs = {"id"}) {
  QueryPlan p;
  p.table = t;
  p.filter = std::move(filter);
  for (const std::string& name : outputs) p.outputs.push_back(OutputColumn{name, Col(t, name)});
  return p;
}

// Records the ids (column 0) it receives, in arrival order. Implements LIMIT without ORDER BY
// (Saturated) and ORDER BY time [DESC] LIMIT n (TopNBoundary) like the real builder promises.
class CollectingBuilder : public ResultBuilder {
 public:
  explicit CollectingBuilder(const QueryPlan& plan) : plan_(plan) {}

  Status Add(const EvalInput& input) override {
    EXPECT_NE(input.columns[0], nullptr);
    for (size_t i = 0; i < input.num_rows; ++i) {
      ids.push_back(input.columns[0]->Int64(i));
      if (input.columns[1] != nullptr) times.push_back(input.columns[1]->Int64(i));
    }
    return Status::OK();
  }
  Status Merge(ResultBuilder&& other) override {
    auto& o = dynamic_cast<CollectingBuilder&>(other);
    ids.insert(ids.end(), o.ids.begin(), o.ids.end());
    times.insert(times.end(), o.times.begin(), o.times.end());
    return Status::OK();
  }
  std::optional<Value> TopNBoundary() const override {
    if (!plan_.limit || plan_.order_by.empty() || times.size() < static_cast<size_t>(*plan_.limit)) return std::nullopt;
    std::vector<int64_t> t = times;
    const bool desc = plan_.order_by[0].descending;
    std::sort(t.begin(), t.end());
    if (desc) std::reverse(t.begin(), t.end());
    return Value::Timestamp(t[static_cast<size_t>(*plan_.limit) - 1]);
  }
  bool Saturated() const override {
    return plan_.limit && plan_.order_by.empty() && ids.size() >= static_cast<size_t>(*plan_.limit);
  }
  Result<QueryResult> Finish() override { return QueryResult(); }

  std::vector<int64_t> ids;
  std::vector<int64_t> times;

 private:
  const QueryPlan& plan_;
};

inline std::vector<int64_t> Sorted(std::vector<int64_t> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// One scan through RunScan with CollectingBuilders.
struct ScanRun {
  Status status;
  ScanReport report;
  std::vector<int64_t> ids;
  std::vector<int64_t> times;
};

// `use_duplicate_index` false forces deduplication by keys (ScanRequest::use_duplicate_index).
inline ScanRun RunPlan(const std::string& lake, const QueryPlan& plan, QueryOptions options = {},
                       bool use_duplicate_index = true) {
  ScanRun run;
  std::unique_ptr<ExprEvaluator> filter;
  if (plan.filter) {
    auto compiled = ExprEvaluator::Compile(*plan.filter);
    if (!compiled.ok()) {
      run.status = compiled.status();
      return run;
    }
    filter = std::move(compiled).value();
  }
  ScanRequest req;
  req.table_dir = lake + "/" + plan.table.name;
  req.plan = &plan;
  req.options = options;
  req.use_duplicate_index = use_duplicate_index;
  req.filter = filter.get();
  req.make_builder = [&plan]() -> Result<std::unique_ptr<ResultBuilder>> {
    return std::unique_ptr<ResultBuilder>(new CollectingBuilder(plan));
  };
  auto report = RunScan(req);
  if (!report.ok()) {
    run.status = report.status();
    return run;
  }
  run.report = std::move(report).value();
  for (auto& b : run.report.builders) {
    auto& c = dynamic_cast<CollectingBuilder&>(*b);
    run.ids.insert(run.ids.end(), c.ids.begin(), c.ids.end());
    run.times.insert(run.times.end(), c.times.begin(), c.times.end());
  }
  return run;
}

// A record for the converter tests (dedup by index, top-N): fed as JSON through lake::Converter,
// as the lake is really written, so that every day file carries its duplicate index.
struct JsonRecord {
  int64_t id = 0;
  int day = 1;  // of May 2024
  int64_t time = 0;
  std::optional<std::string> key;
  int32_t status = 200;
};

inline std::string RecordJson(const JsonRecord& r) {
  std::string s = "{\"id\":" + std::to_string(r.id) + ",\"time\":\"" + FormatTimestampMicros(r.time) + "\"";
  if (r.key) s += ",\"key\":\"" + *r.key + "\"";
  s += ",\"status\":" + std::to_string(r.status) + ",\"score\":" + std::to_string(r.id % 7) + "}\n";
  return s;
}

// One converter run over `records`: one file per day, rows in input order, a row group every
// `row_group_rows` rows.
inline void ConvertRecords(const std::string& lake, const lake::TableDef& t, const std::vector<JsonRecord>& records,
                           uint64_t row_group_rows) {
  lake::ConverterOptions options;
  options.row_group_rows = row_group_rows;
  options.batch_bytes = 2048;
  auto c = lake::Converter::Create(lake, t, options);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  std::string input;
  for (const JsonRecord& r : records) input += RecordJson(r);
  (*c)->BeginSource("test");
  ASSERT_TRUE((*c)->Feed(input).ok());
  Status st = (*c)->Finish();
  ASSERT_TRUE(st.ok()) << st.ToString();
  ASSERT_EQ((*c)->stats().records_written, records.size());
}

}  // namespace loglake::query::scantest
