#include "query/sql/parser.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "common/ascii.h"
#include "query/sql/lexer.h"

namespace loglake::query::sql {
namespace {


// Words that can never be a bare identifier or an implicit alias: Trino's reserved words that
// can appear in a SELECT, plus the clause words after which an alias would be ambiguous.
bool IsReserved(std::string_view lower) {
  static constexpr std::string_view kReserved[] = {
      "all",      "and",       "as",        "between",  "by",           "case",
      "cast",     "cross",     "current_date", "current_time", "current_timestamp", "distinct",
      "else",     "end",       "escape",    "except",   "exists",       "extract",
      "false",    "fetch",     "from",      "full",     "group",        "having",
      "in",       "inner",     "intersect", "is",       "join",         "left",
      "like",     "limit",     "localtime", "localtimestamp", "natural", "not",
      "null",     "offset",    "on",        "or",       "order",        "outer",
      "right",    "select",    "table",     "then",     "true",         "union",
      "unnest",   "using",     "values",    "when",     "where",        "window",
      "with",
  };
  for (std::string_view w : kReserved) {
    if (w == lower) return true;
  }
  return false;
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  Result<SelectStatement> Statement() {
    SelectStatement stmt;
    if (PeekWord("with")) return Unsupported(Peek().pos, "WITH (common table expressions) is not supported");
    if (PeekOp("(")) return Unsupported(Peek().pos, "parenthesized queries are not supported");
    if (!PeekWord("select")) {
      if (Peek().kind == TokenKind::kIdentifier) {
        return Unsupported(Peek().pos, "only SELECT statements are supported, found '" + Peek().text + "'");
      }
      return Expected("SELECT");
    }
    Next();
    if (AcceptWord("distinct")) {
      stmt.distinct = true;
    } else {
      AcceptWord("all");
    }
    RETURN_IF_ERROR(SelectList(&stmt));
    if (!PeekWord("from")) {
      if (Peek().kind == TokenKind::kEnd || PeekOp(";")) {
        return Unsupported(Peek().pos, "a query needs FROM <table>; queries without a table are not supported");
      }
      Status status = Expected("FROM");
      const std::optional<std::string>& alias = stmt.items.back().alias;
      if (implicit_alias_ && alias && LooksLikeFrom(*alias)) {
        // "SELECT uuid FORM access_log": FORM is read as uuid's alias, as in Trino; say so.
        status = Status::InvalidArgument(status.message() + " ('" + *alias +
                                         "' was read as an alias of the expression before it; did you mean FROM?)");
      }
      return status;
    }
    Next();
    RETURN_IF_ERROR(FromClause(&stmt));
    if (AcceptWord("where")) {
      ASSIGN_OR_RETURN(stmt.where, Expression());
    }
    if (PeekWord("group")) {
      stmt.group_by_pos = Peek().pos;
      Next();
      RETURN_IF_ERROR(ExpectWord("by"));
      for (const char* w : {"rollup", "cube", "grouping"}) {
        if (PeekWord(w)) return Unsupported(Peek().pos, "GROUP BY " + Upper(w) + " is not supported");
      }
      do {
        ASSIGN_OR_RETURN(AstPtr e, Expression());
        stmt.group_by.push_back(std::move(e));
      } while (AcceptOp(","));
    }
    if (AcceptWord("having")) {
      ASSIGN_OR_RETURN(stmt.having, Expression());
    }
    if (PeekWord("window")) return Unsupported(Peek().pos, "window functions are not supported");
    if (AcceptWord("order")) {
      RETURN_IF_ERROR(ExpectWord("by"));
      do {
        OrderItem item;
        ASSIGN_OR_RETURN(item.expr, Expression());
        if (AcceptWord("desc")) {
          item.descending = true;
        } else {
          AcceptWord("asc");
        }
        if (AcceptWord("nulls")) {
          if (AcceptWord("first")) {
            item.nulls_first = true;
          } else if (AcceptWord("last")) {
            item.nulls_first = false;
          } else {
            return Expected("FIRST or LAST");
          }
        }
        stmt.order_by.push_back(std::move(item));
      } while (AcceptOp(","));
    }
    // Trino's order is OFFSET then LIMIT (or FETCH); LIMIT then OFFSET is accepted too.
    for (int round = 0; round < 2; ++round) {
      if (!stmt.offset && PeekWord("offset")) {
        Next();
        ASSIGN_OR_RETURN(RowCount n, Count("OFFSET"));
        stmt.offset = n;
        if (!AcceptWord("rows")) AcceptWord("row");
      }
      if (!stmt.limit && !seen_limit_ && PeekWord("limit")) {
        Next();
        seen_limit_ = true;
        if (!AcceptWord("all")) {
          ASSIGN_OR_RETURN(RowCount n, Count("LIMIT"));
          stmt.limit = n;
        }
      }
      if (!stmt.limit && !seen_limit_ && PeekWord("fetch")) {
        Next();
        seen_limit_ = true;
        if (!AcceptWord("first") && !AcceptWord("next")) return Expected("FIRST or NEXT");
        RowCount one;
        one.pos = Peek().pos;
        one.literal = 1;
        if (Peek().kind == TokenKind::kInteger || PeekOp("?")) {
          ASSIGN_OR_RETURN(one, Count("FETCH FIRST"));
        }
        stmt.limit = one;
        if (!AcceptWord("rows") && !AcceptWord("row")) return Expected("ROWS");
        if (PeekWord("with")) return Unsupported(Peek().pos, "FETCH ... WITH TIES is not supported");
        RETURN_IF_ERROR(ExpectWord("only"));
      }
    }
    for (const char* w : {"union", "intersect", "except"}) {
      if (PeekWord(w)) return Unsupported(Peek().pos, Upper(w) + " is not supported: loglake runs one SELECT at a time");
    }
    if (PeekOp(";")) {
      SourcePos semicolon = Next().pos;
      if (Peek().kind != TokenKind::kEnd) {
        return Unsupported(semicolon, "only one statement per query is supported");
      }
    }
    if (Peek().kind != TokenKind::kEnd) return Expected("end of query");
    stmt.num_parameters = num_parameters_;
    return stmt;
  }

 private:
  // ---- token access ----

  const Token& Peek(size_t ahead = 0) const {
    size_t i = pos_ + ahead;
    return i < tokens_.size() ? tokens_[i] : tokens_.back();
  }
  const Token& Next() {
    const Token& t = Peek();
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }
  bool PeekWordAt(size_t ahead, std::string_view lower) const {
    const Token& t = Peek(ahead);
    return t.kind == TokenKind::kIdentifier && EqualsIgnoreCase(t.text, lower);
  }
  bool PeekWord(std::string_view lower) const { return PeekWordAt(0, lower); }
  bool PeekOp(std::string_view op) const { return Peek().kind == TokenKind::kOperator && Peek().text == op; }
  bool AcceptWord(std::string_view lower) {
    if (!PeekWord(lower)) return false;
    Next();
    return true;
  }
  bool AcceptOp(std::string_view op) {
    if (!PeekOp(op)) return false;
    Next();
    return true;
  }

  static std::string Upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return out;
  }

  Status Expected(const std::string& what) const {
    return Status::InvalidArgument(FormatPos(Peek().pos) + ": expected " + what + ", found " + Peek().Describe());
  }
  static Status Unsupported(const SourcePos& pos, const std::string& what) {
    return Status::Unimplemented(FormatPos(pos) + ": " + what);
  }
  static Status Invalid(const SourcePos& pos, const std::string& what) {
    return Status::InvalidArgument(FormatPos(pos) + ": " + what);
  }
  Status ExpectWord(std::string_view lower) {
    if (!AcceptWord(lower)) return Expected(Upper(lower));
    return Status::OK();
  }
  Status ExpectOp(std::string_view op) {
    if (!AcceptOp(op)) return Expected("'" + std::string(op) + "'");
    return Status::OK();
  }

  // An identifier usable as a name here: a quoted one, or a bare word that is not reserved.
  bool PeekName(size_t ahead = 0) const {
    const Token& t = Peek(ahead);
    if (t.kind == TokenKind::kQuotedIdentifier) return true;
    return t.kind == TokenKind::kIdentifier && !IsReserved(AsciiLowered(t.text));
  }
  // Unquoted names fold to lower case, as Trino does; quoted ones are kept as written.
  std::string TakeName(bool* quoted = nullptr) {
    const Token& t = Next();
    if (quoted != nullptr) *quoted = t.kind == TokenKind::kQuotedIdentifier;
    return t.kind == TokenKind::kQuotedIdentifier ? t.text : AsciiLowered(t.text);
  }

  // ---- clauses ----

  // True for a misspelling of FROM: one edit away (FORM, FRM, FRON) or two letters swapped.
  static bool LooksLikeFrom(std::string_view word) {
    static constexpr std::string_view kFrom = "from";
    if (word.size() < 3 || word.size() > 5) return false;
    // Levenshtein distance with adjacent transpositions, on at most 5 x 4 letters.
    size_t d[6][5];
    for (size_t i = 0; i <= word.size(); ++i) d[i][0] = i;
    for (size_t j = 0; j <= kFrom.size(); ++j) d[0][j] = j;
    for (size_t i = 1; i <= word.size(); ++i) {
      for (size_t j = 1; j <= kFrom.size(); ++j) {
        size_t cost = word[i - 1] == kFrom[j - 1] ? 0 : 1;
        d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
        if (i > 1 && j > 1 && word[i - 1] == kFrom[j - 2] && word[i - 2] == kFrom[j - 1]) {
          d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[word.size()][kFrom.size()] == 1;
  }

  Status SelectList(SelectStatement* stmt) {
    do {
      implicit_alias_ = false;
      SelectItem item;
      item.pos = Peek().pos;
      if (AcceptOp("*")) {
        item.star = true;
      } else if (PeekName() && Peek(1).kind == TokenKind::kOperator && Peek(1).text == "." &&
                 Peek(2).kind == TokenKind::kOperator && Peek(2).text == "*") {
        item.star = true;
        item.star_qualifier.push_back(TakeName());
        Next();
        Next();
      } else {
        ASSIGN_OR_RETURN(item.expr, Expression());
        if (AcceptWord("as")) {
          if (!PeekName()) return Expected("an alias");
          item.alias = TakeName();
        } else if (PeekName()) {
          item.alias = TakeName();
          implicit_alias_ = true;
        }
      }
      stmt->items.push_back(std::move(item));
    } while (AcceptOp(","));
    return Status::OK();
  }

  Status FromClause(SelectStatement* stmt) {
    stmt->table_pos = Peek().pos;
    if (PeekOp("(")) return Unsupported(Peek().pos, "subqueries are not supported: FROM takes a table name");
    if (PeekWord("unnest") || PeekWord("values") || PeekWord("table")) {
      return Unsupported(Peek().pos, Upper(Peek().text) + " in FROM is not supported: FROM takes a table name");
    }
    if (!PeekName()) return Expected("a table name");
    stmt->table_parts.push_back(TakeName());
    while (AcceptOp(".")) {
      if (!PeekName()) return Expected("a table name");
      stmt->table_parts.push_back(TakeName());
    }
    if (stmt->table_parts.size() > 3) return Invalid(stmt->table_pos, "too many parts in table name");
    if (stmt->table_parts.size() == 3) stmt->table_parts.erase(stmt->table_parts.begin());  // catalog
    if (AcceptWord("as")) {
      if (!PeekName()) return Expected("a table alias");
      stmt->table_alias = TakeName();
    } else if (PeekName()) {
      stmt->table_alias = TakeName();
    }
    if (PeekOp(",")) return Unsupported(Peek().pos, "joins are not supported: loglake queries one table at a time");
    for (const char* w : {"join", "inner", "left", "right", "full", "cross", "natural"}) {
      if (PeekWord(w)) return Unsupported(Peek().pos, "joins are not supported: loglake queries one table at a time");
    }
    return Status::OK();
  }

  Result<RowCount> Count(const char* clause) {
    RowCount n;
    n.pos = Peek().pos;
    if (AcceptOp("?")) {
      n.parameter_index = num_parameters_++;
      return n;
    }
    if (Peek().kind != TokenKind::kInteger) return Expected(std::string("a row count after ") + clause);
    int64_t v = 0;
    const std::string& text = Peek().text;
    auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (r.ec != std::errc() || r.ptr != text.data() + text.size()) {
      return Invalid(n.pos, std::string(clause) + " count " + text + " is too large");
    }
    Next();
    n.literal = v;
    return n;
  }

  // ---- expressions ----

  // Builds a node and enforces the height bound, so no later recursion can run away.
  Result<AstPtr> Make(AstKind kind, SourcePos pos, std::vector<AstPtr> args) {
    auto n = std::make_unique<AstNode>();
    n->kind = kind;
    n->pos = pos;
    int height = 0;
    for (const AstPtr& a : args) height = std::max(height, a->height);
    n->height = height + 1;
    n->args = std::move(args);
    if (n->height > kMaxExpressionHeight) return TooDeep(pos);
    return n;
  }
  static Status TooDeep(const SourcePos& pos) {
    return Invalid(pos, "expression too deeply nested (more than " + std::to_string(kMaxExpressionHeight) +
                            " levels)");
  }

  // Guards the recursion of the parser itself (parentheses nest without adding nodes).
  class DepthGuard {
   public:
    explicit DepthGuard(int* depth) : depth_(depth) { ++*depth_; }
    ~DepthGuard() { --*depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    int* depth_;
  };

  Result<AstPtr> Expression() {
    DepthGuard guard(&depth_);
    if (depth_ > kMaxExpressionHeight) return TooDeep(Peek().pos);
    return Or();
  }

  Result<AstPtr> Or() {
    SourcePos pos = Peek().pos;
    ASSIGN_OR_RETURN(AstPtr first, And());
    if (!PeekWord("or")) return first;
    std::vector<AstPtr> args;
    args.push_back(std::move(first));
    while (PeekWord("or")) {
      pos = Next().pos;
      ASSIGN_OR_RETURN(AstPtr e, And());
      args.push_back(std::move(e));
    }
    return Make(AstKind::kOr, pos, std::move(args));
  }

  Result<AstPtr> And() {
    ASSIGN_OR_RETURN(AstPtr first, Not());
    if (!PeekWord("and")) return first;
    std::vector<AstPtr> args;
    args.push_back(std::move(first));
    SourcePos pos = Peek().pos;
    while (PeekWord("and")) {
      Next();
      ASSIGN_OR_RETURN(AstPtr e, Not());
      args.push_back(std::move(e));
    }
    return Make(AstKind::kAnd, pos, std::move(args));
  }

  Result<AstPtr> Not() {
    if (!PeekWord("not")) return Predicate();
    DepthGuard guard(&depth_);
    if (depth_ > kMaxExpressionHeight) return TooDeep(Peek().pos);
    SourcePos pos = Next().pos;
    ASSIGN_OR_RETURN(AstPtr e, Not());
    std::vector<AstPtr> args;
    args.push_back(std::move(e));
    return Make(AstKind::kNot, pos, std::move(args));
  }

  static std::optional<CompareOp> CompareFor(const Token& t) {
    if (t.kind != TokenKind::kOperator) return std::nullopt;
    if (t.text == "=") return CompareOp::kEq;
    if (t.text == "<>" || t.text == "!=") return CompareOp::kNe;
    if (t.text == "<") return CompareOp::kLt;
    if (t.text == "<=") return CompareOp::kLe;
    if (t.text == ">") return CompareOp::kGt;
    if (t.text == ">=") return CompareOp::kGe;
    return std::nullopt;
  }

  Result<AstPtr> Predicate() {
    ASSIGN_OR_RETURN(AstPtr left, Concat());
    std::vector<AstPtr> args;
    if (std::optional<CompareOp> op = CompareFor(Peek())) {
      SourcePos pos = Next().pos;
      if (PeekWord("any") || PeekWord("some") || PeekWord("all")) {
        return Unsupported(Peek().pos, "quantified comparisons (ANY/SOME/ALL) are not supported");
      }
      ASSIGN_OR_RETURN(AstPtr right, Concat());
      args.push_back(std::move(left));
      args.push_back(std::move(right));
      ASSIGN_OR_RETURN(AstPtr n, Make(AstKind::kCompare, pos, std::move(args)));
      n->compare = *op;
      return n;
    }
    if (PeekWord("is")) {
      SourcePos pos = Next().pos;
      bool negated = AcceptWord("not");
      if (PeekWord("distinct")) return Unsupported(Peek().pos, "IS [NOT] DISTINCT FROM is not supported");
      if (PeekWord("true") || PeekWord("false")) {
        return Unsupported(Peek().pos, "IS TRUE / IS FALSE is not supported; compare with = true");
      }
      RETURN_IF_ERROR(ExpectWord("null"));
      args.push_back(std::move(left));
      ASSIGN_OR_RETURN(AstPtr n, Make(AstKind::kIsNull, pos, std::move(args)));
      n->negated = negated;
      return n;
    }
    bool negated = false;
    SourcePos pos = Peek().pos;
    if (PeekWord("not") && (PeekWordAt(1, "in") || PeekWordAt(1, "between") || PeekWordAt(1, "like"))) {
      Next();
      negated = true;
    }
    if (AcceptWord("in")) {
      RETURN_IF_ERROR(ExpectOp("("));
      if (PeekWord("select") || PeekWord("with")) return Unsupported(Peek().pos, "subqueries are not supported");
      args.push_back(std::move(left));
      do {
        ASSIGN_OR_RETURN(AstPtr e, Expression());
        args.push_back(std::move(e));
      } while (AcceptOp(","));
      RETURN_IF_ERROR(ExpectOp(")"));
      ASSIGN_OR_RETURN(AstPtr n, Make(AstKind::kIn, pos, std::move(args)));
      n->negated = negated;
      return n;
    }
    if (AcceptWord("between")) {
      ASSIGN_OR_RETURN(AstPtr low, Concat());
      RETURN_IF_ERROR(ExpectWord("and"));
      ASSIGN_OR_RETURN(AstPtr high, Concat());
      args.push_back(std::move(left));
      args.push_back(std::move(low));
      args.push_back(std::move(high));
      ASSIGN_OR_RETURN(AstPtr n, Make(AstKind::kBetween, pos, std::move(args)));
      n->negated = negated;
      return n;
    }
    if (AcceptWord("like")) {
      ASSIGN_OR_RETURN(AstPtr pattern, Concat());
      args.push_back(std::move(left));
      args.push_back(std::move(pattern));
      if (AcceptWord("escape")) {
        ASSIGN_OR_RETURN(AstPtr escape, Concat());
        args.push_back(std::move(escape));
      }
      ASSIGN_OR_RETURN(AstPtr n, Make(AstKind::kLike, pos, std::move(args)));
      n->negated = negated;
      return n;
    }
    return left;
  }

  Result<AstPtr> Binary(AstPtr left, const Token& op_token, AstPtr right) {
    std::vector<AstPtr> args;
    args.push_back(std::move(left));
    args.push_back(std::move(right));
    ASSIGN_OR_RETURN(AstPtr n, Make(AstKind::kArithmetic, op_token.pos, std::move(args)));
    n->op = op_token.text;
    return n;
  }

  Result<AstPtr> Concat() {
    ASSIGN_OR_RETURN(AstPtr left, Additive());
    while (PeekOp("||")) {
      Token op = Next();
      ASSIGN_OR_RETURN(AstPtr right, Additive());
      ASSIGN_OR_RETURN(left, Binary(std::move(left), op, std::move(right)));
    }
    return left;
  }

  Result<AstPtr> Additive() {
    ASSIGN_OR_RETURN(AstPtr left, Multiplicative());
    while (PeekOp("+") || PeekOp("-")) {
      Token op = Next();
      ASSIGN_OR_RETURN(AstPtr right, Multiplicative());
      ASSIGN_OR_RETURN(left, Binary(std::move(left), op, std::move(right)));
    }
    return left;
  }

  Result<AstPtr> Multiplicative() {
    ASSIGN_OR_RETURN(AstPtr left, Unary());
    while (PeekOp("*") || PeekOp("/") || PeekOp("%")) {
      Token op = Next();
      ASSIGN_OR_RETURN(AstPtr right, Unary());
      ASSIGN_OR_RETURN(left, Binary(std::move(left), op, std::move(right)));
    }
    return left;
  }

  Result<AstPtr> Unary() {
    if (!PeekOp("-") && !PeekOp("+")) return Primary();
    DepthGuard guard(&depth_);
    if (depth_ > kMaxExpressionHeight) return TooDeep(Peek().pos);
    Token op = Next();
    ASSIGN_OR_RETURN(AstPtr e, Unary());
    if (op.text == "+") return e;
    std::vector<AstPtr> args;
    args.push_back(std::move(e));
    return Make(AstKind::kNegate, op.pos, std::move(args));
  }

  Result<AstPtr> Literal(SourcePos pos, Value v) {
    ASSIGN_OR_RETURN(AstPtr n, Make(AstKind::kLiteral, pos, {}));
    n->value = std::move(v);
    return n;
  }

  Result<AstPtr> Primary() {
    const Token& t = Peek();
    SourcePos pos = t.pos;
    switch (t.kind) {
      case TokenKind::kEnd: return Expected("an expression");
      case TokenKind::kString: {
        std::string s = Next().text;
        return Literal(pos, Value::Varchar(std::move(s)));
      }
      case TokenKind::kInteger: {
        std::string text = Next().text;
        int64_t v = 0;
        auto r = std::from_chars(text.data(), text.data() + text.size(), v);
        if (r.ec != std::errc() || r.ptr != text.data() + text.size()) {
          return Invalid(pos, "integer literal " + text + " is out of the bigint range");
        }
        if (v >= INT32_MIN && v <= INT32_MAX) return Literal(pos, Value::Integer(static_cast<int32_t>(v)));
        return Literal(pos, Value::Bigint(v));
      }
      case TokenKind::kDecimal: {
        std::string text = Next().text;
        // strtod, not from_chars: libc++ lacks floating from_chars on some platforms. The text is
        // digits, '.', 'e', sign only, so the locale's decimal point is the only concern and the
        // process keeps the "C" locale.
        char* end = nullptr;
        double v = std::strtod(text.c_str(), &end);
        if (end != text.c_str() + text.size()) return Invalid(pos, "invalid number " + text);
        return Literal(pos, Value::Double(v));
      }
      case TokenKind::kOperator:
        if (t.text == "?") {
          Next();
          ASSIGN_OR_RETURN(AstPtr n, Make(AstKind::kParameter, pos, {}));
          n->parameter_index = num_parameters_++;
          return n;
        }
        if (t.text == "(") {
          Next();
          if (PeekWord("select") || PeekWord("with")) return Unsupported(Peek().pos, "subqueries are not supported");
          ASSIGN_OR_RETURN(AstPtr e, Expression());
          if (PeekOp(",")) return Unsupported(Peek().pos, "row constructors are not supported");
          RETURN_IF_ERROR(ExpectOp(")"));
          return e;
        }
        return Expected("an expression");
      case TokenKind::kQuotedIdentifier: return ColumnOrFunction();
      case TokenKind::kIdentifier: break;
    }
    std::string word = AsciiLowered(t.text);
    if (word == "null") {
      Next();
      return Literal(pos, Value::Null(SqlType::kUnknown));
    }
    if (word == "true" || word == "false") {
      Next();
      return Literal(pos, Value::Boolean(word == "true"));
    }
    if (word == "case") return Case();
    if (word == "cast") return Cast();
    if (word == "current_timestamp" || word == "current_date" || word == "localtimestamp") {
      Next();
      if (PeekOp("(")) {
        return Unsupported(Peek().pos, Upper(word) + " takes no precision argument here");
      }
      ASSIGN_OR_RETURN(AstPtr n, Make(AstKind::kCurrent, pos, {}));
      n->cast_type = word == "current_date" ? SqlType::kDate : SqlType::kTimestamp;
      return n;
    }
    if (word == "current_time" || word == "localtime") {
      return Unsupported(pos, Upper(word) + " is not supported (loglake has no TIME type)");
    }
    if (word == "exists") return Unsupported(pos, "subqueries (EXISTS) are not supported");
    if (word == "extract") return Unsupported(pos, "EXTRACT is not supported; use year(x), month(x), hour(x)...");
    if ((word == "timestamp" || word == "date") && Peek(1).kind == TokenKind::kString) {
      Next();
      ASSIGN_OR_RETURN(AstPtr n, Make(AstKind::kTypedLiteral, pos, {}));
      n->cast_type = word == "date" ? SqlType::kDate : SqlType::kTimestamp;
      n->text = Next().text;
      return n;
    }
    if (word == "time" && Peek(1).kind == TokenKind::kString) {
      return Unsupported(pos, "TIME literals are not supported (loglake has no TIME type); use TIMESTAMP '...'");
    }
    if (word == "interval" &&
        (Peek(1).kind == TokenKind::kString ||
         (Peek(1).kind == TokenKind::kOperator && (Peek(1).text == "-" || Peek(1).text == "+")))) {
      return Interval();
    }
    if (IsReserved(word)) return Expected("an expression");
    return ColumnOrFunction();
  }

  Result<AstPtr> ColumnOrFunction() {
    SourcePos pos = Peek().pos;
    bool quoted = false;
    std::string first = TakeName(&quoted);
    if (PeekOp("(")) return Function(pos, first);
    ASSIGN_OR_RETURN(AstPtr n, Make(AstKind::kColumn, pos, {}));
    n->parts.push_back(first);
    n->quoted.push_back(quoted);
    while (PeekOp(".")) {
      Next();
      if (!PeekName()) return Expected("a column name");
      n->parts.push_back(TakeName(&quoted));
      n->quoted.push_back(quoted);
      if (n->parts.size() > 3) return Invalid(pos, "too many parts in column name");
    }
    return n;
  }

  Result<AstPtr> Function(SourcePos pos, std::string name) {
    Next();  // (
    std::vector<AstPtr> args;
    bool distinct = false;
    bool star = false;
    if (AcceptOp("*")) {
      star = true;
    } else if (!PeekOp(")")) {
      if (AcceptWord("distinct")) {
        distinct = true;
      } else {
        AcceptWord("all");
      }
      do {
        ASSIGN_OR_RETURN(AstPtr e, Expression());
        args.push_back(std::move(e));
      } while (AcceptOp(","));
      if (PeekWord("order")) return Unsupported(Peek().pos, "ORDER BY inside a function call is not supported");
      if (PeekWord("from") || PeekWord("for")) {
        return Unsupported(Peek().pos, "the " + Upper(name) + "(... " + Upper(Peek().text) +
                                           " ...) syntax is not supported; use the comma form");
      }
    }
    RETURN_IF_ERROR(ExpectOp(")"));
    if (PeekWord("over")) return Unsupported(Peek().pos, "window functions (OVER) are not supported");
    if (PeekWord("filter")) return Unsupported(Peek().pos, "aggregate FILTER clauses are not supported");
    if (name == "now" && args.empty() && !star) {
      ASSIGN_OR_RETURN(AstPtr n, Make(AstKind::kCurrent, pos, {}));
      n->cast_type = SqlType::kTimestamp;
      return n;
    }
    ASSIGN_OR_RETURN(AstPtr n, Make(AstKind::kFunction, pos, std::move(args)));
    n->name = std::move(name);
    n->distinct = distinct;
    n->star = star;
    return n;
  }

  Result<AstPtr> Cast() {
    SourcePos pos = Next().pos;
    RETURN_IF_ERROR(ExpectOp("("));
    ASSIGN_OR_RETURN(AstPtr e, Expression());
    RETURN_IF_ERROR(ExpectWord("as"));
    ASSIGN_OR_RETURN(SqlType type, TypeName());
    RETURN_IF_ERROR(ExpectOp(")"));
    std::vector<AstPtr> args;
    args.push_back(std::move(e));
    ASSIGN_OR_RETURN(AstPtr n, Make(AstKind::kCast, pos, std::move(args)));
    n->cast_type = type;
    return n;
  }

  // A type name: boolean, integer/int, bigint, double [precision], varchar[(n)], timestamp[(p)],
  // date. Length and precision are accepted and ignored (loglake has one varchar and
  // microsecond timestamps).
  Result<SqlType> TypeName() {
    if (Peek().kind != TokenKind::kIdentifier) return Expected("a type name");
    SourcePos pos = Peek().pos;
    std::string word = AsciiLowered(Next().text);
    if (word == "double") AcceptWord("precision");
    if (word == "real") word = "double";
    std::optional<SqlType> type = ParseSqlTypeName(word);
    if (!type) {
      return Unsupported(pos, "type '" + word +
                                  "' is not supported; types are boolean, integer, bigint, double, varchar, "
                                  "timestamp, date");
    }
    if ((*type == SqlType::kVarchar || *type == SqlType::kTimestamp) && AcceptOp("(")) {
      if (Peek().kind != TokenKind::kInteger) return Expected("a length");
      Next();
      RETURN_IF_ERROR(ExpectOp(")"));
    }
    if (*type == SqlType::kTimestamp && PeekWord("with")) {
      return Unsupported(Peek().pos, "timestamp with time zone is not supported; timestamps are UTC");
    }
    return *type;
  }

  Result<AstPtr> Case() {
    SourcePos pos = Next().pos;
    std::vector<AstPtr> args;
    bool operand = false;
    if (!PeekWord("when")) {
      ASSIGN_OR_RETURN(AstPtr e, Expression());
      args.push_back(std::move(e));
      operand = true;
    }
    if (!PeekWord("when")) return Expected("WHEN");
    while (AcceptWord("when")) {
      ASSIGN_OR_RETURN(AstPtr when, Expression());
      RETURN_IF_ERROR(ExpectWord("then"));
      ASSIGN_OR_RETURN(AstPtr then, Expression());
      args.push_back(std::move(when));
      args.push_back(std::move(then));
    }
    bool has_else = false;
    if (AcceptWord("else")) {
      ASSIGN_OR_RETURN(AstPtr e, Expression());
      args.push_back(std::move(e));
      has_else = true;
    }
    RETURN_IF_ERROR(ExpectWord("end"));
    ASSIGN_OR_RETURN(AstPtr n, Make(AstKind::kCase, pos, std::move(args)));
    n->case_operand = operand;
    n->has_else = has_else;
    return n;
  }

  static std::optional<IntervalUnit> UnitFor(std::string_view lower) {
    if (lower == "year" || lower == "years") return IntervalUnit::kYear;
    if (lower == "month" || lower == "months") return IntervalUnit::kMonth;
    if (lower == "day" || lower == "days") return IntervalUnit::kDay;
    if (lower == "hour" || lower == "hours") return IntervalUnit::kHour;
    if (lower == "minute" || lower == "minutes") return IntervalUnit::kMinute;
    if (lower == "second" || lower == "seconds") return IntervalUnit::kSecond;
    return std::nullopt;
  }

  Result<AstPtr> Interval() {
    SourcePos pos = Next().pos;
    bool negated = false;
    if (AcceptOp("-")) {
      negated = true;
    } else {
      AcceptOp("+");
    }
    if (Peek().kind != TokenKind::kString) return Expected("an interval string such as '1'");
    std::string text = Next().text;
    if (Peek().kind != TokenKind::kIdentifier) return Expected("an interval unit (YEAR, MONTH, DAY, HOUR, MINUTE, SECOND)");
    std::optional<IntervalUnit> from = UnitFor(AsciiLowered(Peek().text));
    if (!from) return Expected("an interval unit (YEAR, MONTH, DAY, HOUR, MINUTE, SECOND)");
    Next();
    std::optional<IntervalUnit> to;
    if (AcceptWord("to")) {
      if (Peek().kind != TokenKind::kIdentifier || !UnitFor(AsciiLowered(Peek().text))) {
        return Expected("an interval unit (YEAR, MONTH, DAY, HOUR, MINUTE, SECOND)");
      }
      to = UnitFor(AsciiLowered(Next().text));
    }
    ASSIGN_OR_RETURN(AstPtr n, Make(AstKind::kInterval, pos, {}));
    n->text = std::move(text);
    n->interval_from = *from;
    n->interval_to = to;
    n->negated = negated;
    return n;
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
  int num_parameters_ = 0;
  bool seen_limit_ = false;
  bool implicit_alias_ = false;  // the last select item's alias had no AS
};

}  // namespace

Result<SelectStatement> ParseSelect(std::string_view sql) {
  if (sql.size() > kMaxQueryBytes) {
    return Status::InvalidArgument("query text is " + std::to_string(sql.size()) + " bytes; the limit is " +
                                   std::to_string(kMaxQueryBytes));
  }
  ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(sql));
  return Parser(std::move(tokens)).Statement();
}

}  // namespace loglake::query::sql
