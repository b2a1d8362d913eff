// Parser: tokens → SelectStatement, by recursive descent over Trino's grammar for one SELECT.
//
// Operator precedence, loosest first: OR, AND, NOT, predicates (comparison, IS [NOT] NULL,
// [NOT] IN, [NOT] BETWEEN, [NOT] LIKE; one per operand, `a = b = c` is an error as in Trino),
// ||, binary + -, * / %, unary - +.
//
// Errors are InvalidArgument "line L:C: expected X, found 'Y'". SQL that is valid Trino but
// outside loglake's dialect (joins, subqueries, WITH, UNION, window functions...) is
// Unimplemented "line L:C: ... not supported", so the user knows the query is not wrong, only
// unsupported. Expressions nested deeper than kMaxExpressionHeight are InvalidArgument
// "expression too deeply nested", which bounds every recursion over the tree (parser, binder,
// evaluator) no matter the input.
#pragma once

#include <string_view>

#include "common/status.h"
#include "query/sql/ast.h"

namespace loglake::query::sql {

inline constexpr int kMaxExpressionHeight = 100;
// Longer query text is refused before lexing.
inline constexpr size_t kMaxQueryBytes = 1 << 20;

Result<SelectStatement> ParseSelect(std::string_view sql);

}  // namespace loglake::query::sql
