// String functions: ||/concat, lower, upper, length, substr, strpos, replace, trim,
// starts_with, regexp_like (RE2, found anywhere in the string) and json_extract_scalar
// (simdjson On Demand). Lengths and positions are in code points, like Trino.
#include "query/execution/functions_string.h"

#include <re2/re2.h>
#include <simdjson.h>

#include <memory>

#include "common/utf8.h"
#include "query/execution/eval_node.h"

namespace loglake::query {
namespace {

uint32_t ToLowerCodePoint(uint32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c < 0xC0) return c;
  if (c <= 0xDE) return c == 0xD7 ? c : c + 0x20;
  if (c < 0x100) return c;
  if (c <= 0x17F) {
    if (c == 0x130) return 'i';
    if (c == 0x178) return 0xFF;
    bool even_upper = (c <= 0x137) || (c >= 0x14A && c <= 0x177);
    bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    if ((even_upper && c % 2 == 0) || (odd_upper && c % 2 == 1)) return c + 1;
    return c;
  }
  if (c == 0x386) return 0x3AC;
  if (c >= 0x388 && c <= 0x38A) return c + 37;
  if (c == 0x38C) return 0x3CC;
  if (c == 0x38E || c == 0x38F) return c + 63;
  if ((c >= 0x391 && c <= 0x3A1) || (c >= 0x3A3 && c <= 0x3AB)) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  return c;
}

uint32_t ToUpperCodePoint(uint32_t c) {
  if (c >= 'a' && c <= 'z') return c - 32;
  if (c < 0xB5) return c;
  if (c == 0xB5) return 0x39C;
  if (c < 0xE0) return c;
  if (c <= 0xFE) return c == 0xF7 ? c : c - 0x20;
  if (c == 0xFF) return 0x178;
  if (c <= 0x17F) {
    if (c == 0x131) return 'I';
    if (c == 0x17F) return 'S';
    bool odd_lower = (c <= 0x137) || (c >= 0x14B && c <= 0x177);
    bool even_lower = (c >= 0x13A && c <= 0x148) || (c >= 0x17A && c <= 0x17E);
    if ((odd_lower && c % 2 == 1) || (even_lower && c % 2 == 0)) return c - 1;
    return c;
  }
  if (c == 0x3AC) return 0x386;
  if (c >= 0x3AD && c <= 0x3AF) return c - 37;
  if (c == 0x3CC) return 0x38C;
  if (c == 0x3CD || c == 0x3CE) return c - 63;
  if (c == 0x3C2) return 0x3A3;
  if ((c >= 0x3B1 && c <= 0x3C1) || (c >= 0x3C3 && c <= 0x3CB)) return c - 32;
  if (c >= 0x430 && c <= 0x44F) return c - 32;
  if (c >= 0x450 && c <= 0x45F) return c - 80;
  return c;
}

template <uint32_t (*Map)(uint32_t)>
void AppendMapped(std::string_view s, std::string* out) {
  out->reserve(out->size() + s.size());
  for (size_t i = 0; i < s.size();) {
    const unsigned char b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      out->push_back(static_cast<char>(Map(b)));
      ++i;
      continue;
    }
    size_t len;
    const uint32_t cp = DecodeUtf8(s, i, &len);
    if (cp == kInvalidCodePoint) {
      out->push_back(static_cast<char>(b));
    } else {
      AppendUtf8(Map(cp), out);
    }
    i += len;
  }
}

// Byte offset after skipping `count` code points from byte `from`.
size_t SkipCodePoints(std::string_view s, size_t from, int64_t count) {
  size_t i = from;
  for (; count > 0 && i < s.size(); --count) i = NextCodePoint(s, i);
  return i;
}

bool IsJavaWhitespace(uint32_t c) {
  if (c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F)) return true;
  if (c < 0x1680) return false;
  return c == 0x1680 || (c >= 0x2000 && c <= 0x2006) || (c >= 0x2008 && c <= 0x200A) || c == 0x2028 ||
         c == 0x2029 || c == 0x205F || c == 0x3000;
}

}  // namespace

void AppendLower(std::string_view s, std::string* out) { AppendMapped<ToLowerCodePoint>(s, out); }
void AppendUpper(std::string_view s, std::string* out) { AppendMapped<ToUpperCodePoint>(s, out); }

int64_t CodePointCount(std::string_view s) {
  int64_t n = 0;
  for (char c : s) n += IsUtf8Continuation(static_cast<unsigned char>(c)) ? 0 : 1;
  return n;
}

std::string_view Substr(std::string_view s, int64_t start, int64_t length) {
  if (start == 0 || length <= 0) return {};
  if (start < 0) {
    int64_t count = CodePointCount(s);
    start = count + start + 1;
    if (start <= 0) return {};
  }
  size_t begin = SkipCodePoints(s, 0, start - 1);
  if (begin >= s.size()) return {};
  size_t end = SkipCodePoints(s, begin, length);
  return s.substr(begin, end - begin);
}

std::string_view TrimWhitespace(std::string_view s) {
  size_t begin = 0, end = s.size();
  while (begin < end) {
    size_t len;
    const uint32_t cp = DecodeUtf8(s, begin, &len);
    if (cp == kInvalidCodePoint || !IsJavaWhitespace(cp)) break;
    begin += len;
  }
  while (end > begin) {
    size_t start = end - 1;
    while (start > begin && IsUtf8Continuation(static_cast<unsigned char>(s[start]))) --start;
    size_t len;
    const uint32_t cp = DecodeUtf8(s, start, &len);
    if (cp == kInvalidCodePoint || start + len != end || !IsJavaWhitespace(cp)) break;
    end = start;
  }
  return s.substr(begin, end - begin);
}

void AppendReplaced(std::string_view s, std::string_view search, std::string_view replacement, std::string* out) {
  if (search.empty()) {
    size_t i = 0;
    while (i < s.size()) {
      out->append(replacement);
      size_t next = SkipCodePoints(s, i, 1);
      out->append(s.substr(i, next - i));
      i = next;
    }
    out->append(replacement);
    return;
  }
  size_t pos = 0;
  while (true) {
    size_t hit = s.find(search, pos);
    if (hit == std::string_view::npos) break;
    out->append(s.substr(pos, hit - pos));
    out->append(replacement);
    pos = hit + search.size();
  }
  out->append(s.substr(pos));
}

bool JsonPathToPointer(std::string_view path, std::string* pointer) {
  pointer->clear();
  if (path.empty() || path[0] != '$') return false;
  auto append_token = [pointer](std::string_view token) {
    pointer->push_back('/');
    for (char c : token) {
      if (c == '~') {
        pointer->append("~0");
      } else if (c == '/') {
        pointer->append("~1");
      } else {
        pointer->push_back(c);
      }
    }
  };
  size_t i = 1;
  while (i < path.size()) {
    if (path[i] == '.') {
      size_t start = ++i;
      while (i < path.size() && path[i] != '.' && path[i] != '[') ++i;
      if (i == start) return false;
      append_token(path.substr(start, i - start));
    } else if (path[i] == '[') {
      ++i;
      if (i < path.size() && (path[i] == '"' || path[i] == '\'')) {
        char quote = path[i++];
        size_t end = path.find(quote, i);
        if (end == std::string_view::npos || end + 1 >= path.size() || path[end + 1] != ']') return false;
        append_token(path.substr(i, end - i));
        i = end + 2;
      } else {
        size_t start = i;
        while (i < path.size() && path[i] >= '0' && path[i] <= '9') ++i;
        if (i == start || i >= path.size() || path[i] != ']') return false;
        append_token(path.substr(start, i - start));
        ++i;
      }
    } else {
      return false;
    }
  }
  return true;
}

namespace eval {
namespace {

Status ExpectAllVarchar(const Expr& expr, size_t from = 0, size_t to = SIZE_MAX) {
  for (size_t i = from; i < expr.args.size() && i < to; ++i) {
    RETURN_IF_ERROR(ExpectType(expr, *expr.args[i], SqlType::kVarchar));
  }
  return Status::OK();
}

int64_t ReadInteger(const Operand& o, size_t i, SqlType t) { return t == SqlType::kInteger ? o.I32(i) : o.I64(i); }

Status ExpectInteger(const Expr& expr, const Expr& arg) {
  if (arg.type == SqlType::kInteger || arg.type == SqlType::kBigint) return Status::OK();
  return ExpectType(expr, arg, SqlType::kBigint);
}

// regexp_like(s, pattern): RE2 compiled once for a constant pattern.
class RegexpLikeNode final : public EvalNode {
 public:
  RegexpLikeNode(NodePtr value, NodePtr pattern)
      : EvalNode(SqlType::kBoolean), value_(std::move(value)), pattern_(std::move(pattern)) {}

  static Result<std::unique_ptr<RE2>> CompileRegex(std::string_view pattern) {
    RE2::Options options;
    options.set_log_errors(false);
    auto re = std::make_unique<RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
    if (!re->ok()) {
      return Status::InvalidArgument("regexp_like: invalid regular expression '" + std::string(pattern) +
                                     "': " + re->error());
    }
    return re;
  }

  Status Prepare() {
    const Value* p = pattern_->constant();
    if (p == nullptr) return Status::OK();
    if (p->is_null()) {
      always_null_ = true;
      return Status::OK();
    }
    ASSIGN_OR_RETURN(regex_, CompileRegex(p->AsString()));
    return Status::OK();
  }

  Result<Column> Evaluate(const EvalInput& input, const std::vector<uint32_t>* rows) const override {
    size_t n = NumPositions(input, rows);
    Column out(ColumnType::kBool);
    out.Reserve(n);
    if (always_null_) {
      for (size_t i = 0; i < n; ++i) out.AppendNull();
      return out;
    }
    Operand v, p;
    RETURN_IF_ERROR(value_->EvalOperand(input, rows, &v));
    if (regex_ == nullptr) RETURN_IF_ERROR(pattern_->EvalOperand(input, rows, &p));
    std::unique_ptr<RE2> row_regex;
    for (size_t i = 0; i < n; ++i) {
      if (v.IsNull(i) || (regex_ == nullptr && p.IsNull(i))) {
        out.AppendNull();
        continue;
      }
      const RE2* re = regex_.get();
      if (re == nullptr) {
        std::string_view pat = p.Str(i);
        if (row_regex == nullptr || row_regex->pattern() != pat) {
          ASSIGN_OR_RETURN(row_regex, CompileRegex(pat));
        }
        re = row_regex.get();
      }
      std::string_view s = v.Str(i);
      out.AppendBool(RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *re));
    }
    return out;
  }

 private:
  NodePtr value_, pattern_;
  bool always_null_ = false;
  std::unique_ptr<RE2> regex_;
};

// json_extract_scalar(json, path): the scalar at a constant path, as text; NULL when the JSON
// is invalid, the path is absent, or it leads to an object, an array or null. Numbers are
// returned as written in the document. The root path '$' alone gives NULL.
class JsonExtractScalarNode final : public EvalNode {
 public:
  JsonExtractScalarNode(NodePtr json, std::string pointer, bool always_null)
      : EvalNode(SqlType::kVarchar), json_(std::move(json)), pointer_(std::move(pointer)), always_null_(always_null) {}

  Result<Column> Evaluate(const EvalInput& input, const std::vector<uint32_t>* rows) const override {
    size_t n = NumPositions(input, rows);
    Column out(ColumnType::kString);
    out.Reserve(n);
    if (always_null_ || pointer_.empty()) {
      for (size_t i = 0; i < n; ++i) out.AppendNull();
      return out;
    }
    Operand j;
    RETURN_IF_ERROR(json_->EvalOperand(input, rows, &j));
    simdjson::ondemand::parser parser;
    std::string buffer;
    std::string text;
    for (size_t i = 0; i < n; ++i) {
      if (j.IsNull(i)) {
        out.AppendNull();
        continue;
      }
      std::string_view doc_text = j.Str(i);
      buffer.assign(doc_text);
      buffer.resize(doc_text.size() + simdjson::SIMDJSON_PADDING);
      if (Extract(parser, buffer, doc_text.size(), &text)) {
        out.AppendString(text);
      } else {
        out.AppendNull();
      }
    }
    return out;
  }

 private:
  bool Extract(simdjson::ondemand::parser& parser, std::string& buffer, size_t length, std::string* text) const {
    simdjson::ondemand::document doc;
    if (parser.iterate(buffer.data(), length, buffer.size()).get(doc) != simdjson::SUCCESS) return false;
    simdjson::ondemand::value value;
    if (doc.at_pointer(pointer_).get(value) != simdjson::SUCCESS) return false;
    simdjson::ondemand::json_type type;
    if (value.type().get(type) != simdjson::SUCCESS) return false;
    switch (type) {
      case simdjson::ondemand::json_type::string: {
        std::string_view s;
        if (value.get_string().get(s) != simdjson::SUCCESS) return false;
        text->assign(s);
        return true;
      }
      case simdjson::ondemand::json_type::number:
      case simdjson::ondemand::json_type::boolean: {
        std::string_view raw = value.raw_json_token();
        while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t')) {
          raw.remove_suffix(1);
        }
        text->assign(raw);
        return true;
      }
      default: return false;
    }
  }

  NodePtr json_;
  std::string pointer_;
  bool always_null_;
};

}  // namespace

Result<NodePtr> CompileStringCall(const Expr& expr, std::vector<NodePtr> args) {
  switch (expr.function) {
    case ScalarFunction::kConcat:
      RETURN_IF_ERROR(ExpectArgs(expr, 1, SIZE_MAX));
      RETURN_IF_ERROR(ExpectAllVarchar(expr));
      return MakeStrictMap(SqlType::kVarchar, std::move(args), [n = expr.args.size()](const Operand* o, size_t i,
                                                                                       Column* out, Status*) {
        std::string& s = ScratchString();
        for (size_t a = 0; a < n; ++a) s.append(o[a].Str(i));
        out->AppendString(s);
        return true;
      });
    case ScalarFunction::kLower:
    case ScalarFunction::kUpper: {
      RETURN_IF_ERROR(ExpectArgs(expr, 1, 1));
      RETURN_IF_ERROR(ExpectAllVarchar(expr));
      bool lower = expr.function == ScalarFunction::kLower;
      return MakeStrictMap(SqlType::kVarchar, std::move(args), [lower](const Operand* o, size_t i, Column* out, Status*) {
        std::string& s = ScratchString();
        if (lower) {
          AppendLower(o[0].Str(i), &s);
        } else {
          AppendUpper(o[0].Str(i), &s);
        }
        out->AppendString(s);
        return true;
      });
    }
    case ScalarFunction::kLength:
      RETURN_IF_ERROR(ExpectArgs(expr, 1, 1));
      RETURN_IF_ERROR(ExpectAllVarchar(expr));
      return MakeStrictMap(SqlType::kBigint, std::move(args), [](const Operand* o, size_t i, Column* out, Status*) {
        out->AppendInt64(CodePointCount(o[0].Str(i)));
        return true;
      });
    case ScalarFunction::kSubstr: {
      RETURN_IF_ERROR(ExpectArgs(expr, 2, 3));
      RETURN_IF_ERROR(ExpectAllVarchar(expr, 0, 1));
      RETURN_IF_ERROR(ExpectInteger(expr, *expr.args[1]));
      if (expr.args.size() == 3) RETURN_IF_ERROR(ExpectInteger(expr, *expr.args[2]));
      SqlType st = expr.args[1]->type;
      SqlType lt = expr.args.size() == 3 ? expr.args[2]->type : SqlType::kBigint;
      bool has_length = expr.args.size() == 3;
      return MakeStrictMap(SqlType::kVarchar, std::move(args), [=](const Operand* o, size_t i, Column* out, Status*) {
        int64_t length = has_length ? ReadInteger(o[2], i, lt) : INT64_MAX;
        out->AppendString(Substr(o[0].Str(i), ReadInteger(o[1], i, st), length));
        return true;
      });
    }
    case ScalarFunction::kStrpos:
      RETURN_IF_ERROR(ExpectArgs(expr, 2, 2));
      RETURN_IF_ERROR(ExpectAllVarchar(expr));
      return MakeStrictMap(SqlType::kBigint, std::move(args), [](const Operand* o, size_t i, Column* out, Status*) {
        std::string_view s = o[0].Str(i);
        size_t hit = s.find(o[1].Str(i));
        out->AppendInt64(hit == std::string_view::npos ? 0 : CodePointCount(s.substr(0, hit)) + 1);
        return true;
      });
    case ScalarFunction::kReplace: {
      RETURN_IF_ERROR(ExpectArgs(expr, 2, 3));
      RETURN_IF_ERROR(ExpectAllVarchar(expr));
      bool has_replacement = expr.args.size() == 3;
      return MakeStrictMap(SqlType::kVarchar, std::move(args),
                           [has_replacement](const Operand* o, size_t i, Column* out, Status*) {
                             std::string& s = ScratchString();
                             AppendReplaced(o[0].Str(i), o[1].Str(i), has_replacement ? o[2].Str(i) : "", &s);
                             out->AppendString(s);
                             return true;
                           });
    }
    case ScalarFunction::kTrim:
      RETURN_IF_ERROR(ExpectArgs(expr, 1, 1));
      RETURN_IF_ERROR(ExpectAllVarchar(expr));
      return MakeStrictMap(SqlType::kVarchar, std::move(args), [](const Operand* o, size_t i, Column* out, Status*) {
        out->AppendString(TrimWhitespace(o[0].Str(i)));
        return true;
      });
    case ScalarFunction::kStartsWith:
      RETURN_IF_ERROR(ExpectArgs(expr, 2, 2));
      RETURN_IF_ERROR(ExpectAllVarchar(expr));
      return MakeStrictMap(SqlType::kBoolean, std::move(args), [](const Operand* o, size_t i, Column* out, Status*) {
        std::string_view s = o[0].Str(i), prefix = o[1].Str(i);
        out->AppendBool(s.substr(0, prefix.size()) == prefix);
        return true;
      });
    case ScalarFunction::kRegexpLike: {
      RETURN_IF_ERROR(ExpectArgs(expr, 2, 2));
      RETURN_IF_ERROR(ExpectAllVarchar(expr));
      auto node = std::make_unique<RegexpLikeNode>(std::move(args[0]), std::move(args[1]));
      RETURN_IF_ERROR(node->Prepare());
      return NodePtr(std::move(node));
    }
    case ScalarFunction::kJsonExtractScalar: {
      RETURN_IF_ERROR(ExpectArgs(expr, 2, 2));
      RETURN_IF_ERROR(ExpectAllVarchar(expr));
      const Value* path = args[1]->constant();
      if (path == nullptr) {
        return Status::InvalidArgument(expr.ToString() + ": the JSON path of json_extract_scalar must be a constant");
      }
      std::string pointer;
      if (!path->is_null() && !JsonPathToPointer(path->AsString(), &pointer)) {
        return Status::InvalidArgument("json_extract_scalar: invalid JSON path '" + path->AsString() +
                                       "' (use $.key, $.key[0] or $[\"key\"])");
      }
      return NodePtr(std::make_unique<JsonExtractScalarNode>(std::move(args[0]), std::move(pointer), path->is_null()));
    }
    default: break;
  }
  return Status::InvalidArgument("not a string function: " + expr.ToString());
}

}  // namespace eval
}  // namespace loglake::query
