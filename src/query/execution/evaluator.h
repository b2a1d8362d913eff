// Vectorized evaluation of bound expressions (query/expr.h) over columns.
//
// An ExprEvaluator is compiled once per expression (LIKE patterns become prefix/suffix/contains
// matchers or a small automaton, regexes are compiled, IN lists become hash sets, constants are
// prepared) and then evaluates batch after batch. Compile() checks what the binder promised
// (argument types per ExprKind/ScalarFunction) and returns InvalidArgument otherwise, so a bad
// plan is an error, never a crash. Evaluation errors (integer overflow, division by zero, an
// unparsable from_iso8601_timestamp argument, a failed cast) are InvalidArgument naming the
// function and the value, as Trino does.
//
// Semantics are Trino's: NULL in → NULL out for functions (except coalesce, IS NULL, AND/OR with
// three-valued logic, CASE); comparisons of varchar are by UTF-8 bytes (= code points);
// LIKE matches the whole string, '_' is one code point.
//
// Evaluation is lazy where Trino's is: AND/OR evaluate later arguments only on rows still
// undecided, CASE evaluates each THEN only on the rows its WHEN took, coalesce evaluates later
// arguments only where earlier ones are NULL. Select() narrows the row set conjunct by conjunct,
// so put cheap, selective conjuncts first. Constant subtrees are folded at Compile() (unless
// folding fails, in which case the error is raised only if a row needs the value).
//
// Where we differ from Trino (documented limits): lower/upper map ASCII, Latin-1, Latin
// Extended-A, Greek and basic Cyrillic only; trim removes Java white space; date_format
// supports %a %b %c %D %d %e %f %H %h %I %i %j %k %l %M %m %p %r %S %s %T %v %W %x %Y %y %%;
// to_iso8601 of a timestamp is "2024-05-01T12:34:56.123456" (timestamp(6), no zone);
// from_unixtime keeps microseconds; json_extract_scalar takes $.a.b, $.a[0], $["a"] paths
// (no wildcards) and returns numbers as written; the LIKE escape must be a one-byte character.
// Source layout: eval_node.h (internals), eval_compare/eval_logic/eval_like.cc (kinds),
// functions_{math,string,datetime,cast}.cc (kCall and kCast), like_matcher.h.
//
// A compiled evaluator is immutable: Evaluate/Select may run concurrently from many threads.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/column.h"
#include "common/status.h"
#include "query/expr.h"

namespace loglake::query {

// The columns an expression reads: columns[i] is what a kColumnRef with index i reads (nullptr
// for columns the expression does not reference). Every non-null column has num_rows rows.
struct EvalInput {
  std::vector<const Column*> columns;
  size_t num_rows = 0;
};

class ExprEvaluator {
 public:
  static Result<std::unique_ptr<ExprEvaluator>> Compile(const Expr& expr);
  virtual ~ExprEvaluator() = default;

  SqlType type() const { return type_; }

  // The value of the expression for rows `rows` of `input` (ascending row indexes; nullptr means
  // every row), as a column of PhysicalType(type()) with one entry per selected row.
  virtual Result<Column> Evaluate(const EvalInput& input, const std::vector<uint32_t>* rows) const = 0;

  // For a boolean expression: the rows among `rows` (nullptr: all) where it is TRUE (not FALSE,
  // not NULL), ascending, written to *selected (cleared first).
  virtual Status Select(const EvalInput& input, const std::vector<uint32_t>* rows,
                        std::vector<uint32_t>* selected) const = 0;

 protected:
  explicit ExprEvaluator(SqlType type) : type_(type) {}

 private:
  SqlType type_;
};

// Whether CAST(x AS to) exists for x of type `from` (Trino's rules as far as loglake has the
// types): among boolean, integer, bigint, double and varchar; varchar to and from timestamp and
// date; timestamp <-> date; a NULL of unknown type to anything.
bool CastSupported(SqlType from, SqlType to);

// Evaluates an expression that reads no column (a constant subtree) to its value.
Result<Value> EvaluateConstant(const Expr& expr);

}  // namespace loglake::query
