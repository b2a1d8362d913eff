// Statement binding: outputs and their names, SELECT *, ORDER BY, aggregate levels, DISTINCT,
// LIMIT/OFFSET.
#include <gtest/gtest.h>

#include "binder_test_util.h"

namespace loglake::query {
namespace {

using testing_binder::PlanError;
using testing_binder::PlanOk;

std::vector<std::string> Names(const QueryPlan& p) {
  std::vector<std::string> names;
  for (const OutputColumn& o : p.outputs) names.push_back(o.name);
  return names;
}

TEST(BinderQueryTest, SelectStarIsTableColumnsThenDatepath) {
  QueryPlan p = PlanOk("SELECT * FROM access_log");
  EXPECT_EQ(Names(p), (std::vector<std::string>{"uuid", "time", "tenant_id", "user_id", "method", "path", "query",
                                                "status", "duration_ms", "bytes_sent", "remote_ip", "user_agent",
                                                "request_id", "extra", "datepath"}));
  for (size_t i = 0; i < p.outputs.size(); ++i) EXPECT_EQ(p.outputs[i].expr->index, static_cast<int>(i));
  EXPECT_EQ(p.table.name, "access_log");
  EXPECT_FALSE(p.aggregate);
  EXPECT_FALSE(p.filter);
  EXPECT_FALSE(p.limit);
  QueryPlan q = PlanOk("SELECT a.*, 1 FROM access_log a");
  EXPECT_EQ(q.outputs.size(), 16u);
  EXPECT_EQ(q.outputs[15].name, "_col15");
  EXPECT_NE(PlanError("SELECT b.* FROM access_log a").find("'b.*' cannot be resolved"), std::string::npos);
}

TEST(BinderQueryTest, OutputNamesAreAliasColumnOrColN) {
  QueryPlan p = PlanOk("SELECT uuid, STATUS, lower(path), path AS P, 1 + 1 \"Two\", access_log.method FROM access_log");
  EXPECT_EQ(Names(p), (std::vector<std::string>{"uuid", "status", "_col2", "p", "Two", "method"}));
}

TEST(BinderQueryTest, OrderByAliasOrdinalAndExpression) {
  QueryPlan p = PlanOk(
      "SELECT lower(path) AS lp, status FROM access_log ORDER BY lp DESC, 2 NULLS FIRST, time, length(path) ASC");
  ASSERT_EQ(p.order_by.size(), 4u);
  EXPECT_EQ(p.order_by[0].expr->ToString(), "lower(path)");
  EXPECT_TRUE(p.order_by[0].descending);
  EXPECT_FALSE(p.order_by[0].nulls_first);
  EXPECT_EQ(p.order_by[1].expr->index, 7);
  EXPECT_TRUE(p.order_by[1].nulls_first);
  EXPECT_EQ(p.order_by[2].expr->index, 1);  // a column not in the select list
  EXPECT_EQ(p.order_by[3].expr->ToString(), "length(path)");
  // An output alias wins over a column of the same name, as in Trino.
  QueryPlan q = PlanOk("SELECT uuid AS status FROM access_log ORDER BY status");
  EXPECT_EQ(q.order_by[0].expr->index, 0);
  EXPECT_EQ(PlanError("SELECT uuid FROM access_log ORDER BY 2"),
            "line 1:38: ORDER BY position 2 is not in select list (1..1)");
  EXPECT_EQ(PlanError("SELECT uuid AS x, path AS x FROM access_log ORDER BY x"),
            "line 1:54: ORDER BY 'x' is ambiguous: several outputs have that name");
}

TEST(BinderQueryTest, LimitAndOffset) {
  QueryPlan p = PlanOk("SELECT uuid FROM access_log OFFSET 5 LIMIT 10");
  EXPECT_EQ(p.offset, 5);
  EXPECT_EQ(p.limit, std::optional<int64_t>(10));
  QueryPlan q = PlanOk("SELECT uuid FROM access_log WHERE uuid = ? LIMIT ? OFFSET ?",
                       {Value::Varchar("x"), Value::Bigint(1000), Value::Integer(0)});
  EXPECT_EQ(q.limit, std::optional<int64_t>(1000));
  EXPECT_EQ(q.offset, 0);
  EXPECT_FALSE(PlanOk("SELECT uuid FROM access_log LIMIT ALL").limit);
  EXPECT_EQ(PlanError("SELECT uuid FROM access_log LIMIT ?", {Value::Integer(-1)}),
            "line 1:35: LIMIT must be a non-negative integer; parameter 1 is -1 (integer)");
  EXPECT_EQ(PlanError("SELECT uuid FROM access_log LIMIT ?", {Value::Varchar("10")}),
            "line 1:35: LIMIT must be a non-negative integer; parameter 1 is '10' (varchar)");
  EXPECT_EQ(PlanError("SELECT uuid FROM access_log OFFSET ?", {Value::Null(SqlType::kUnknown)}),
            "line 1:36: OFFSET must be a non-negative integer; parameter 1 is NULL");
}

TEST(BinderQueryTest, GroupByPutsOutputsAtAggregateLevel) {
  QueryPlan p = PlanOk(
      "SELECT status, count(*) AS n, count(DISTINCT uuid), avg(duration_ms), sum(status), max(time), count(*) + 1 "
      "FROM access_log WHERE method = 'GET' GROUP BY status HAVING count(*) > 10 ORDER BY n DESC, status");
  EXPECT_TRUE(p.aggregate);
  ASSERT_EQ(p.group_keys.size(), 1u);
  EXPECT_EQ(p.group_keys[0]->index, 7);
  ASSERT_EQ(p.aggregates.size(), 5u);  // count(*) is registered once
  EXPECT_EQ(p.aggregates[0].kind, AggregateKind::kCountStar);
  EXPECT_EQ(p.aggregates[1].kind, AggregateKind::kCount);
  EXPECT_TRUE(p.aggregates[1].distinct);
  EXPECT_EQ(p.aggregates[1].arg->index, 0);
  EXPECT_EQ(p.aggregates[2].type, SqlType::kDouble);
  EXPECT_EQ(p.aggregates[3].type, SqlType::kBigint);
  EXPECT_EQ(p.aggregates[4].type, SqlType::kTimestamp);
  // Aggregate level: key 0 is index 0, aggregate j is index 1 + j.
  EXPECT_EQ(p.outputs[0].expr->index, 0);
  EXPECT_EQ(p.outputs[1].expr->index, 1);
  EXPECT_EQ(p.outputs[2].expr->index, 2);
  EXPECT_EQ(p.outputs[6].expr->ToString(), "(count(*) + 1)");
  EXPECT_EQ(p.outputs[6].expr->args[0]->index, 1);
  EXPECT_EQ(p.having->ToString(), "(count(*) > 10)");
  EXPECT_EQ(p.having->args[0]->index, 1);
  EXPECT_EQ(p.order_by[0].expr->index, 1);
  EXPECT_EQ(p.order_by[1].expr->index, 0);
  EXPECT_EQ(p.filter->ToString(), "(method = 'GET')");
  EXPECT_EQ(Names(p), (std::vector<std::string>{"status", "n", "_col2", "_col3", "_col4", "_col5", "_col6"}));
}

TEST(BinderQueryTest, GroupByExpressionsOrdinalsAndAliases) {
  QueryPlan p = PlanOk(
      "SELECT date_trunc('hour', time) AS h, status / 100, count(*) FROM access_log GROUP BY 1, status / 100");
  ASSERT_EQ(p.group_keys.size(), 2u);
  EXPECT_EQ(p.group_keys[0]->ToString(), "date_trunc('hour', time)");
  EXPECT_EQ(p.outputs[0].expr->kind, ExprKind::kColumnRef);
  EXPECT_EQ(p.outputs[0].expr->index, 0);
  EXPECT_EQ(p.outputs[1].expr->index, 1);
  EXPECT_EQ(p.outputs[2].expr->index, 2);
  // An expression over a key is bound over the key.
  QueryPlan q = PlanOk("SELECT status + 1, lower(path) FROM access_log GROUP BY status, path");
  EXPECT_EQ(q.outputs[0].expr->ToString(), "(status + 1)");
  EXPECT_EQ(q.outputs[0].expr->args[0]->kind, ExprKind::kColumnRef);
  EXPECT_EQ(q.outputs[0].expr->args[0]->index, 0);
  EXPECT_EQ(q.outputs[1].expr->args[0]->index, 1);
  // GROUP BY an output alias (not a column).
  QueryPlan r = PlanOk("SELECT lower(method) AS m, count(*) FROM access_log GROUP BY m");
  EXPECT_EQ(r.group_keys[0]->ToString(), "lower(method)");
  // Aggregates without GROUP BY: one group.
  QueryPlan s = PlanOk("SELECT count(*) FROM access_log");
  EXPECT_TRUE(s.aggregate);
  EXPECT_TRUE(s.group_keys.empty());
  EXPECT_EQ(s.outputs[0].expr->index, 0);
}

TEST(BinderQueryTest, AggregateErrors) {
  EXPECT_EQ(PlanError("SELECT path, count(*) FROM access_log GROUP BY status"),
            "line 1:8: 'path' must be an aggregate expression or appear in GROUP BY clause");
  EXPECT_EQ(PlanError("SELECT status FROM access_log GROUP BY status ORDER BY time"),
            "line 1:56: 'time' must be an aggregate expression or appear in GROUP BY clause");
  EXPECT_EQ(PlanError("SELECT uuid, count(*) FROM access_log"),
            "line 1:8: 'uuid' must be an aggregate expression or appear in GROUP BY clause");
  EXPECT_EQ(PlanError("SELECT count(*) FROM access_log GROUP BY 1"),
            "line 1:42: GROUP BY position 1 is an aggregate (count(*)); group by columns or expressions of them");
  EXPECT_EQ(PlanError("SELECT status FROM access_log GROUP BY 3"),
            "line 1:40: GROUP BY position 3 is not in select list (1..1)");
  EXPECT_EQ(PlanError("SELECT status FROM access_log GROUP BY count(*)"),
            "line 1:40: GROUP BY clause cannot contain aggregate functions: count(*)");
  EXPECT_EQ(PlanError("SELECT status FROM access_log GROUP BY status HAVING path"),
            "line 1:54: 'path' must be an aggregate expression or appear in GROUP BY clause");
  EXPECT_EQ(PlanError("SELECT status FROM access_log GROUP BY status HAVING count(*)"),
            "line 1:54: HAVING clause must evaluate to a boolean: actual type bigint");
}

TEST(BinderQueryTest, SelectDistinctGroupsByTheOutputs) {
  QueryPlan p = PlanOk("SELECT DISTINCT status, lower(method) AS m FROM access_log ORDER BY m, 1");
  EXPECT_TRUE(p.aggregate);
  ASSERT_EQ(p.group_keys.size(), 2u);
  EXPECT_EQ(p.group_keys[0]->index, 7);
  EXPECT_EQ(p.group_keys[1]->ToString(), "lower(method)");
  EXPECT_TRUE(p.aggregates.empty());
  EXPECT_EQ(p.outputs[1].expr->index, 1);
  EXPECT_EQ(p.order_by[0].expr->index, 1);
  EXPECT_EQ(p.order_by[1].expr->index, 0);
  EXPECT_EQ(PlanError("SELECT DISTINCT status FROM access_log ORDER BY time"),
            "line 1:49: for SELECT DISTINCT, ORDER BY expressions must appear in select list");
  QueryPlan star = PlanOk("SELECT DISTINCT * FROM access_log");
  EXPECT_EQ(star.group_keys.size(), 15u);
}

TEST(BinderQueryTest, TableNames) {
  EXPECT_EQ(PlanOk("SELECT uuid FROM ACCESS_LOG").table.name, "access_log");
  EXPECT_EQ(PlanOk("SELECT uuid FROM \"access_log\"").table.name, "access_log");
  EXPECT_EQ(PlanOk("SELECT uuid FROM awsdatacatalog.logs.access_log").table.name, "access_log");
  EXPECT_EQ(PlanOk("SELECT access_log.uuid FROM logs.access_log").outputs[0].expr->index, 0);
  // With an alias, the table's own name no longer qualifies columns (as in Trino).
  EXPECT_NE(PlanError("SELECT access_log.uuid FROM access_log a").find("cannot be resolved"), std::string::npos);
}

TEST(BinderQueryTest, FetchFirstIsALimit) {
  EXPECT_EQ(PlanOk("SELECT uuid FROM access_log FETCH FIRST 3 ROWS ONLY").limit, std::optional<int64_t>(3));
  EXPECT_EQ(PlanOk("SELECT uuid FROM access_log OFFSET 2 ROWS FETCH NEXT ROW ONLY").limit, std::optional<int64_t>(1));
}

TEST(BinderQueryTest, PlanToStringForExplain) {
  QueryPlan p = PlanOk(
      "SELECT status, count(*) FROM access_log WHERE time >= TIMESTAMP '2024-05-01 00:00:00' GROUP BY status "
      "ORDER BY 2 DESC LIMIT 5");
  std::string text = p.ToString();
  EXPECT_NE(text.find("filter: (time >= TIMESTAMP '2024-05-01 00:00:00.000000')"), std::string::npos) << text;
  EXPECT_NE(text.find("group by: status"), std::string::npos) << text;
  EXPECT_NE(text.find("limit: 5"), std::string::npos) << text;
}

}  // namespace
}  // namespace loglake::query
