// Statement-level binding: FROM, the select list, WHERE, GROUP BY, HAVING, ORDER BY, OFFSET,
// LIMIT → QueryPlan. Expressions are bound by binder/expression_binder.h.
#include "query/binder.h"

#include "common/ascii.h"

#include "query/binder/coercion.h"
#include "query/binder/expression_binder.h"
#include "query/sql/parser.h"

namespace loglake::query {

using binder::AggregateState;
using binder::ErrorAt;
using binder::ExpressionBinder;
using binder::TableScope;
using sql::AstKind;
using sql::AstNode;

namespace {

// One entry of the select list after `*` expansion.
struct SelectOutput {
  std::string name;
  const AstNode* ast = nullptr;
  sql::AstPtr owned;  // the synthetic column reference of a `*` expansion
};

std::string Plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// The 1-based ordinal an ORDER BY / GROUP BY item means when it is an integer literal.
std::optional<int64_t> Ordinal(const AstNode& ast) {
  if (ast.kind != AstKind::kLiteral || ast.value.is_null()) return std::nullopt;
  if (ast.value.type() != SqlType::kInteger && ast.value.type() != SqlType::kBigint) return std::nullopt;
  return ast.value.AsInt64();
}

Result<ExprPtr> RequireBoolean(ExprPtr e, const AstNode& ast, const char* clause) {
  if (!binder::ImplicitlyCoercible(e->type, SqlType::kBoolean)) {
    return ErrorAt(ast.pos, std::string(clause) + " clause must evaluate to a boolean: actual type " +
                                SqlTypeName(e->type));
  }
  return binder::CastExpr(std::move(e), SqlType::kBoolean);
}

class StatementBinder {
 public:
  StatementBinder(const sql::SelectStatement& stmt, const std::vector<Value>& params, int64_t now_micros)
      : stmt_(stmt), params_(params), now_micros_(now_micros) {}

  Result<QueryPlan> Bind(const TableResolver& resolve) {
    if (static_cast<size_t>(stmt_.num_parameters) != params_.size()) {
      return Status::InvalidArgument("the query has " +
                                     Plural(static_cast<size_t>(stmt_.num_parameters), "parameter", "parameters") +
                                     " (?) but " + Plural(params_.size(), "value was", "values were") + " given");
    }
    ASSIGN_OR_RETURN(plan_.table, resolve(stmt_.table_parts.back()));
    scope_.table = &plan_.table;
    for (const Field& f : plan_.table.columns) {
      scope_.column_names.push_back(f.name);
      scope_.column_types.push_back(SqlTypeOf(f.type));
    }
    scope_.column_names.push_back(kDatePathColumn);
    scope_.column_types.push_back(SqlType::kVarchar);
    scope_.qualifier = stmt_.table_alias ? *stmt_.table_alias : stmt_.table_parts.back();
    scope_.params = &params_;
    scope_.now_micros = now_micros_;

    RETURN_IF_ERROR(ExpandSelectList());
    if (stmt_.where) {
      ExpressionBinder b(scope_);
      ASSIGN_OR_RETURN(ExprPtr filter, b.BindTableLevel(*stmt_.where, "WHERE"));
      ASSIGN_OR_RETURN(plan_.filter, RequireBoolean(std::move(filter), *stmt_.where, "WHERE"));
    }
    bool has_aggregates = !stmt_.group_by.empty() || stmt_.having != nullptr;
    for (const SelectOutput& o : outputs_) has_aggregates = has_aggregates || binder::ContainsAggregate(*o.ast);
    for (const sql::OrderItem& o : stmt_.order_by) has_aggregates = has_aggregates || binder::ContainsAggregate(*o.expr);

    if (has_aggregates && stmt_.distinct) {
      return Status::Unimplemented("SELECT DISTINCT together with GROUP BY or aggregate functions is not supported");
    }
    if (has_aggregates) {
      RETURN_IF_ERROR(BindAggregateQuery());
    } else if (stmt_.distinct) {
      RETURN_IF_ERROR(BindDistinctQuery());
    } else {
      RETURN_IF_ERROR(BindPlainQuery());
    }
    if (stmt_.offset) {
      ASSIGN_OR_RETURN(plan_.offset, RowCount(*stmt_.offset, "OFFSET"));
    }
    if (stmt_.limit) {
      ASSIGN_OR_RETURN(int64_t limit, RowCount(*stmt_.limit, "LIMIT"));
      plan_.limit = limit;
    }
    return std::move(plan_);
  }

 private:
  Status ExpandSelectList() {
    for (size_t i = 0; i < stmt_.items.size(); ++i) {
      const sql::SelectItem& item = stmt_.items[i];
      if (item.star) {
        if (!item.star_qualifier.empty() && !EqualsIgnoreCase(item.star_qualifier.back(), scope_.qualifier)) {
          return ErrorAt(item.pos, "'" + item.star_qualifier.back() + ".*' cannot be resolved: the table is referred to as '" +
                                       scope_.qualifier + "'");
        }
        for (const std::string& name : scope_.column_names) {
          SelectOutput o;
          o.name = name;
          o.owned = std::make_unique<AstNode>();
          o.owned->kind = AstKind::kColumn;
          o.owned->pos = item.pos;
          o.owned->parts.push_back(name);
          o.owned->quoted.push_back(true);
          o.ast = o.owned.get();
          outputs_.push_back(std::move(o));
        }
        continue;
      }
      SelectOutput o;
      o.ast = item.expr.get();
      if (item.alias) {
        o.name = *item.alias;
      } else if (item.expr->kind == AstKind::kColumn) {
        ExpressionBinder b(scope_);
        int index = b.FindColumn(item.expr->parts.back());
        o.name = index >= 0 ? scope_.column_names[static_cast<size_t>(index)] : item.expr->parts.back();
      } else {
        o.name = "_col" + std::to_string(outputs_.size());
      }
      outputs_.push_back(std::move(o));
    }
    return Status::OK();
  }

  // An ORDER BY item that names an output (by alias or column name) or gives its position:
  // the output's index; nullopt for any other expression.
  Result<std::optional<size_t>> OrderByOutput(const AstNode& ast) {
    if (std::optional<int64_t> ordinal = Ordinal(ast)) {
      if (*ordinal < 1 || static_cast<uint64_t>(*ordinal) > outputs_.size()) {
        return ErrorAt(ast.pos, "ORDER BY position " + std::to_string(*ordinal) + " is not in select list (1.." +
                                    std::to_string(outputs_.size()) + ")");
      }
      return std::optional<size_t>(static_cast<size_t>(*ordinal - 1));
    }
    if (ast.kind != AstKind::kColumn || ast.parts.size() != 1) return std::optional<size_t>();
    std::optional<size_t> found;
    for (size_t i = 0; i < outputs_.size(); ++i) {
      if (!EqualsIgnoreCase(outputs_[i].name, ast.parts[0])) continue;
      if (found && outputs_[*found].ast->ToString() != outputs_[i].ast->ToString()) {
        return ErrorAt(ast.pos, "ORDER BY '" + ast.parts[0] + "' is ambiguous: several outputs have that name");
      }
      if (!found) found = i;
    }
    return found;
  }

  Result<SortKey> SortKeyFor(const sql::OrderItem& item, ExprPtr expr) {
    SortKey key;
    key.expr = std::move(expr);
    key.descending = item.descending;
    key.nulls_first = item.nulls_first.value_or(false);
    return key;
  }

  Status BindPlainQuery() {
    for (const SelectOutput& o : outputs_) {
      ExpressionBinder b(scope_);
      ASSIGN_OR_RETURN(ExprPtr e, b.BindTableLevel(*o.ast, "SELECT"));
      plan_.outputs.push_back({o.name, std::move(e)});
    }
    for (const sql::OrderItem& item : stmt_.order_by) {
      ASSIGN_OR_RETURN(std::optional<size_t> output, OrderByOutput(*item.expr));
      ExprPtr e;
      if (output) {
        e = plan_.outputs[*output].expr->Clone();
      } else {
        ExpressionBinder b(scope_);
        ASSIGN_OR_RETURN(e, b.BindTableLevel(*item.expr, "ORDER BY"));
      }
      ASSIGN_OR_RETURN(SortKey key, SortKeyFor(item, std::move(e)));
      plan_.order_by.push_back(std::move(key));
    }
    return Status::OK();
  }

  Status AddGroupKey(ExprPtr key) {
    for (const ExprPtr& k : state_.group_keys) {
      if (k->SameAs(*key)) return Status::OK();
    }
    state_.group_keys.push_back(std::move(key));
    return Status::OK();
  }

  Status BindAggregateQuery() {
    plan_.aggregate = true;
    for (const sql::AstPtr& g : stmt_.group_by) {
      const AstNode* ast = g.get();
      if (std::optional<int64_t> ordinal = Ordinal(*g)) {
        if (*ordinal < 1 || static_cast<uint64_t>(*ordinal) > outputs_.size()) {
          return ErrorAt(g->pos, "GROUP BY position " + std::to_string(*ordinal) + " is not in select list (1.." +
                                     std::to_string(outputs_.size()) + ")");
        }
        ast = outputs_[static_cast<size_t>(*ordinal - 1)].ast;
        if (binder::ContainsAggregate(*ast)) {
          return ErrorAt(g->pos, "GROUP BY position " + std::to_string(*ordinal) + " is an aggregate (" +
                                     ast->ToString() + "); group by columns or expressions of them");
        }
      } else if (g->kind == AstKind::kColumn && g->parts.size() == 1) {
        // Not Trino, but what users of other engines expect: a GROUP BY name that is no column
        // but an output alias means that output. Columns win when both exist.
        ExpressionBinder b(scope_);
        if (b.FindColumn(g->parts[0]) < 0) {
          for (const SelectOutput& o : outputs_) {
            if (EqualsIgnoreCase(o.name, g->parts[0]) && !binder::ContainsAggregate(*o.ast)) {
              ast = o.ast;
              break;
            }
          }
        }
      }
      ExpressionBinder b(scope_);
      ASSIGN_OR_RETURN(ExprPtr key, b.BindTableLevel(*ast, "GROUP BY"));
      RETURN_IF_ERROR(AddGroupKey(std::move(key)));
    }
    for (const SelectOutput& o : outputs_) {
      ExpressionBinder b(scope_);
      ASSIGN_OR_RETURN(ExprPtr e, b.BindAggregateLevel(*o.ast, &state_));
      plan_.outputs.push_back({o.name, std::move(e)});
    }
    if (stmt_.having) {
      ExpressionBinder b(scope_);
      ASSIGN_OR_RETURN(ExprPtr having, b.BindAggregateLevel(*stmt_.having, &state_));
      ASSIGN_OR_RETURN(plan_.having, RequireBoolean(std::move(having), *stmt_.having, "HAVING"));
    }
    RETURN_IF_ERROR(BindAggregateOrderBy());
    plan_.group_keys = std::move(state_.group_keys);
    plan_.aggregates = std::move(state_.aggregates);
    return Status::OK();
  }

  Status BindAggregateOrderBy() {
    for (const sql::OrderItem& item : stmt_.order_by) {
      ASSIGN_OR_RETURN(std::optional<size_t> output, OrderByOutput(*item.expr));
      ExprPtr e;
      if (output) {
        e = plan_.outputs[*output].expr->Clone();
      } else {
        ExpressionBinder b(scope_);
        ASSIGN_OR_RETURN(e, b.BindAggregateLevel(*item.expr, &state_));
      }
      ASSIGN_OR_RETURN(SortKey key, SortKeyFor(item, std::move(e)));
      plan_.order_by.push_back(std::move(key));
    }
    return Status::OK();
  }

  // SELECT DISTINCT a, b ... is SELECT a, b ... GROUP BY a, b.
  Status BindDistinctQuery() {
    plan_.aggregate = true;
    for (const SelectOutput& o : outputs_) {
      ExpressionBinder b(scope_);
      ASSIGN_OR_RETURN(ExprPtr key, b.BindTableLevel(*o.ast, "SELECT"));
      RETURN_IF_ERROR(AddGroupKey(std::move(key)));
    }
    state_.ungrouped_message = "for SELECT DISTINCT, ORDER BY expressions must appear in select list";
    for (const SelectOutput& o : outputs_) {
      ExpressionBinder b(scope_);
      ASSIGN_OR_RETURN(ExprPtr e, b.BindAggregateLevel(*o.ast, &state_));
      plan_.outputs.push_back({o.name, std::move(e)});
    }
    RETURN_IF_ERROR(BindAggregateOrderBy());
    plan_.group_keys = std::move(state_.group_keys);
    plan_.aggregates = std::move(state_.aggregates);
    return Status::OK();
  }

  Result<int64_t> RowCount(const sql::RowCount& count, const char* clause) {
    if (count.literal) return *count.literal;
    const Value& v = params_[static_cast<size_t>(count.parameter_index)];
    if (v.is_null() || (v.type() != SqlType::kInteger && v.type() != SqlType::kBigint) || v.AsInt64() < 0) {
      return ErrorAt(count.pos, std::string(clause) + " must be a non-negative integer; parameter " +
                                    std::to_string(count.parameter_index + 1) + " is " +
                                    (v.is_null() ? std::string("NULL") : v.ToSqlLiteral() + " (" +
                                                                             SqlTypeName(v.type()) + ")"));
    }
    return v.AsInt64();
  }

  const sql::SelectStatement& stmt_;
  const std::vector<Value>& params_;
  int64_t now_micros_;
  QueryPlan plan_;
  TableScope scope_;
  std::vector<SelectOutput> outputs_;
  AggregateState state_;
};

}  // namespace

Result<QueryPlan> PlanQuery(std::string_view sql, const std::vector<Value>& params, const TableResolver& resolve,
                            int64_t now_micros) {
  ASSIGN_OR_RETURN(sql::SelectStatement stmt, sql::ParseSelect(sql));
  return StatementBinder(stmt, params, now_micros).Bind(resolve);
}

}  // namespace loglake::query
