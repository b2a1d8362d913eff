// Scalar function binding: the names, signatures and constant-argument rules of the functions in
// query/expr.h ScalarFunction. Arguments convert implicitly as in Trino (integer → bigint →
// double, date → timestamp, NULL → anything); anything else is an error listing the types given
// and the signatures that exist.
#include <re2/re2.h>

#include <string>
#include <vector>

#include "common/ascii.h"
#include "query/binder/coercion.h"
#include "query/binder/constant_folding.h"
#include "query/binder/expression_binder.h"

namespace loglake::query::binder {
namespace {

using sql::AstNode;

// A parameter type of a signature: a concrete type, or a type shared by the marked args.
enum class Param : uint8_t {
  kVarchar,
  kBoolean,
  kBigint,
  kInteger,
  kDouble,
  kTimestamp,
  kNumeric,  // integer, bigint or double; the args marked so share the widest of them
  kAny,      // any type; the args marked so share their common super type
};

SqlType Concrete(Param p) {
  switch (p) {
    case Param::kVarchar: return SqlType::kVarchar;
    case Param::kBoolean: return SqlType::kBoolean;
    case Param::kBigint: return SqlType::kBigint;
    case Param::kInteger: return SqlType::kInteger;
    case Param::kDouble: return SqlType::kDouble;
    case Param::kTimestamp: return SqlType::kTimestamp;
    default: return SqlType::kUnknown;
  }
}

const char* ParamName(Param p) {
  switch (p) {
    case Param::kNumeric: return "numeric";
    case Param::kAny: return "T";
    default: return SqlTypeName(Concrete(p));
  }
}

struct Signature {
  std::vector<Param> params;
  bool variadic = false;  // the last param repeats (at least once)
};

struct FunctionInfo {
  const char* name;
  ScalarFunction function;
  std::vector<Signature> signatures;
  // The result type: a concrete type, or (kNumeric/kAny) the type the generic args resolved to.
  Param result;
};

const std::vector<FunctionInfo>& Functions() {
  using P = Param;
  static const std::vector<FunctionInfo> kFunctions = {
      {"lower", ScalarFunction::kLower, {{{P::kVarchar}}}, P::kVarchar},
      {"upper", ScalarFunction::kUpper, {{{P::kVarchar}}}, P::kVarchar},
      {"length", ScalarFunction::kLength, {{{P::kVarchar}}}, P::kBigint},
      {"substr", ScalarFunction::kSubstr, {{{P::kVarchar, P::kBigint}}, {{P::kVarchar, P::kBigint, P::kBigint}}},
       P::kVarchar},
      {"substring", ScalarFunction::kSubstr,
       {{{P::kVarchar, P::kBigint}}, {{P::kVarchar, P::kBigint, P::kBigint}}}, P::kVarchar},
      {"strpos", ScalarFunction::kStrpos, {{{P::kVarchar, P::kVarchar}}}, P::kBigint},
      {"replace", ScalarFunction::kReplace,
       {{{P::kVarchar, P::kVarchar}}, {{P::kVarchar, P::kVarchar, P::kVarchar}}}, P::kVarchar},
      {"trim", ScalarFunction::kTrim, {{{P::kVarchar}}}, P::kVarchar},
      {"starts_with", ScalarFunction::kStartsWith, {{{P::kVarchar, P::kVarchar}}}, P::kBoolean},
      {"concat", ScalarFunction::kConcat, {{{P::kVarchar, P::kVarchar}, true}}, P::kVarchar},
      {"coalesce", ScalarFunction::kCoalesce, {{{P::kAny}, true}}, P::kAny},
      {"nullif", ScalarFunction::kNullIf, {{{P::kAny, P::kAny}}}, P::kAny},
      {"abs", ScalarFunction::kAbs, {{{P::kNumeric}}}, P::kNumeric},
      {"round", ScalarFunction::kRound, {{{P::kNumeric}}, {{P::kNumeric, P::kInteger}}}, P::kNumeric},
      {"date_trunc", ScalarFunction::kDateTrunc, {{{P::kVarchar, P::kTimestamp}}}, P::kTimestamp},
      {"date_format", ScalarFunction::kDateFormat, {{{P::kTimestamp, P::kVarchar}}}, P::kVarchar},
      {"from_iso8601_timestamp", ScalarFunction::kFromIso8601Timestamp, {{{P::kVarchar}}}, P::kTimestamp},
      {"to_iso8601", ScalarFunction::kToIso8601, {{{P::kTimestamp}}}, P::kVarchar},
      {"to_unixtime", ScalarFunction::kToUnixtime, {{{P::kTimestamp}}}, P::kDouble},
      {"from_unixtime", ScalarFunction::kFromUnixtime, {{{P::kDouble}}}, P::kTimestamp},
      {"year", ScalarFunction::kYear, {{{P::kTimestamp}}}, P::kBigint},
      {"month", ScalarFunction::kMonth, {{{P::kTimestamp}}}, P::kBigint},
      {"day", ScalarFunction::kDay, {{{P::kTimestamp}}}, P::kBigint},
      {"day_of_month", ScalarFunction::kDay, {{{P::kTimestamp}}}, P::kBigint},
      {"hour", ScalarFunction::kHour, {{{P::kTimestamp}}}, P::kBigint},
      {"minute", ScalarFunction::kMinute, {{{P::kTimestamp}}}, P::kBigint},
      {"second", ScalarFunction::kSecond, {{{P::kTimestamp}}}, P::kBigint},
      {"date_diff", ScalarFunction::kDateDiff, {{{P::kVarchar, P::kTimestamp, P::kTimestamp}}}, P::kBigint},
      {"date_add", ScalarFunction::kDateAdd, {{{P::kVarchar, P::kBigint, P::kTimestamp}}}, P::kTimestamp},
      {"regexp_like", ScalarFunction::kRegexpLike, {{{P::kVarchar, P::kVarchar}}}, P::kBoolean},
      {"json_extract_scalar", ScalarFunction::kJsonExtractScalar, {{{P::kVarchar, P::kVarchar}}}, P::kVarchar},
  };
  return kFunctions;
}



std::string SignatureText(const FunctionInfo& f) {
  std::string out;
  for (size_t i = 0; i < f.signatures.size(); ++i) {
    const Signature& s = f.signatures[i];
    if (i > 0) out += i + 1 == f.signatures.size() ? " or " : ", ";
    out += std::string(f.name) + "(";
    for (size_t j = 0; j < s.params.size(); ++j) out += (j ? ", " : "") + std::string(ParamName(s.params[j]));
    if (s.variadic) out += ", ...";
    out += ")";
  }
  return out;
}

// Checks `args` against one signature. On a match, fills the shared type of the generic
// parameters (unknown when every generic arg is NULL).
bool Matches(const Signature& sig, const std::vector<ExprPtr>& args, SqlType* generic) {
  if (sig.variadic ? args.size() < sig.params.size() : args.size() != sig.params.size()) return false;
  std::optional<SqlType> shared = SqlType::kUnknown;
  for (size_t i = 0; i < args.size(); ++i) {
    Param p = i < sig.params.size() ? sig.params[i] : sig.params.back();
    SqlType t = args[i]->type;
    if (p == Param::kNumeric) {
      if (!IsNumeric(t) && t != SqlType::kUnknown) return false;
      shared = CommonSuperType(*shared, t);
    } else if (p == Param::kAny) {
      shared = CommonSuperType(*shared, t);
      if (!shared) return false;
    } else if (!ImplicitlyCoercible(t, Concrete(p))) {
      return false;
    }
  }
  *generic = *shared;
  return true;
}

Status ConstantArgError(const AstNode& ast, size_t arg, const std::string& what) {
  const sql::SourcePos& pos = arg < ast.args.size() ? ast.args[arg]->pos : ast.pos;
  return ErrorAt(pos, what);
}

// The constant string value of args[i], or nullptr when it is not a non-NULL constant.
const std::string* ConstantString(const std::vector<ExprPtr>& args, size_t i) {
  if (i >= args.size() || !args[i]->IsConstant() || args[i]->constant.is_null()) return nullptr;
  return &args[i]->constant.AsString();
}

Status CheckUnit(const AstNode& ast, std::vector<ExprPtr>* args, const std::vector<std::string>& units) {
  const std::string* unit = ConstantString(*args, 0);
  std::string list;
  for (size_t i = 0; i < units.size(); ++i) list += (i ? ", '" : "'") + units[i] + "'";
  if (unit == nullptr) {
    return ConstantArgError(ast, 0, ast.name + " unit must be a constant string, one of " + list);
  }
  std::string lower = AsciiLowered(*unit);
  for (const std::string& u : units) {
    if (u == lower) {
      (*args)[0] = Expr::Constant(Value::Varchar(lower));
      return Status::OK();
    }
  }
  return ConstantArgError(ast, 0, "'" + *unit + "' is not a valid " + ast.name + " unit; use one of " + list);
}

// What the executor needs to be constant, checked here so the user sees the position.
Status CheckConstantArgs(const AstNode& ast, ScalarFunction f, std::vector<ExprPtr>* args) {
  switch (f) {
    case ScalarFunction::kDateTrunc:
      return CheckUnit(ast, args, {"second", "minute", "hour", "day", "week", "month", "quarter", "year"});
    case ScalarFunction::kDateDiff:
    case ScalarFunction::kDateAdd:
      return CheckUnit(ast, args,
                       {"millisecond", "second", "minute", "hour", "day", "week", "month", "quarter", "year"});
    case ScalarFunction::kDateFormat:
      if (ConstantString(*args, 1) == nullptr) {
        return ConstantArgError(ast, 1, "date_format format must be a constant string such as '%Y-%m-%d %H:%i:%s'");
      }
      return Status::OK();
    case ScalarFunction::kRegexpLike: {
      const std::string* pattern = ConstantString(*args, 1);
      if (pattern == nullptr) return ConstantArgError(ast, 1, "regexp_like pattern must be a constant string");
      RE2::Options options;
      options.set_log_errors(false);
      RE2 re(*pattern, options);
      if (!re.ok()) {
        return ConstantArgError(ast, 1, "invalid regular expression " + args->at(1)->constant.ToSqlLiteral() + ": " +
                                            re.error());
      }
      return Status::OK();
    }
    case ScalarFunction::kJsonExtractScalar: {
      const std::string* path = ConstantString(*args, 1);
      if (path == nullptr || path->empty() || (*path)[0] != '$') {
        return ConstantArgError(ast, 1, "json_extract_scalar path must be a constant string starting with '$', "
                                        "such as '$.user.id'");
      }
      return Status::OK();
    }
    default: return Status::OK();
  }
}

}  // namespace

Result<ExprPtr> BindScalarFunction(const AstNode& ast, std::vector<ExprPtr> args) {
  const FunctionInfo* info = nullptr;
  std::vector<std::string> names;
  for (const FunctionInfo& f : Functions()) {
    names.push_back(f.name);
    if (ast.name == f.name) info = &f;
  }
  if (info == nullptr) {
    for (const char* agg : {"count", "sum", "min", "max", "avg"}) names.push_back(agg);
    std::string message = "function '" + ast.name + "' not found";
    std::string closest = ClosestName(ast.name, names);
    if (!closest.empty()) message += "; did you mean '" + closest + "'?";
    message += " (docs/sql.md lists the functions)";
    return ErrorAt(ast.pos, message);
  }
  const Signature* match = nullptr;
  SqlType generic = SqlType::kUnknown;
  for (const Signature& sig : info->signatures) {
    if (Matches(sig, args, &generic)) {
      match = &sig;
      break;
    }
  }
  if (match == nullptr) {
    std::string given;
    for (size_t i = 0; i < args.size(); ++i) given += (i ? ", " : "") + std::string(SqlTypeName(args[i]->type));
    return ErrorAt(ast.pos, "unexpected parameters (" + given + ") for function " + info->name + "; expected " +
                                SignatureText(*info));
  }
  bool numeric_generic = false;
  for (Param p : match->params) numeric_generic = numeric_generic || p == Param::kNumeric;
  if (generic == SqlType::kUnknown) {
    // Every generic argument is NULL: coalesce(NULL) and nullif(NULL, NULL) are NULL.
    if (!numeric_generic && info->result == Param::kAny) return Expr::Constant(Value::Null(SqlType::kUnknown));
    generic = SqlType::kBigint;
  }
  for (size_t i = 0; i < args.size(); ++i) {
    Param p = i < match->params.size() ? match->params[i] : match->params.back();
    SqlType to = p == Param::kNumeric || p == Param::kAny ? generic : Concrete(p);
    ASSIGN_OR_RETURN(args[i], CastExpr(std::move(args[i]), to));
  }
  RETURN_IF_ERROR(CheckConstantArgs(ast, info->function, &args));
  SqlType result = info->result == Param::kNumeric || info->result == Param::kAny ? generic : Concrete(info->result);
  return FoldConstants(Expr::Call(info->function, result, std::move(args)));
}

}  // namespace loglake::query::binder
