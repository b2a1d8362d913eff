#include "query/sql/lexer.h"

namespace loglake::query::sql {

std::string FormatPos(const SourcePos& pos) {
  return "line " + std::to_string(pos.line) + ":" + std::to_string(pos.column);
}

std::string Token::Describe() const {
  switch (kind) {
    case TokenKind::kEnd: return "end of input";
    case TokenKind::kString: return "string '" + text + "'";
    case TokenKind::kQuotedIdentifier: return "'\"" + text + "\"'";
    default: return "'" + text + "'";
  }
}

namespace {

bool IsIdentifierStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentifierPart(char c) { return IsIdentifierStart(c) || IsDigit(c); }

class Lexer {
 public:
  explicit Lexer(std::string_view sql) : sql_(sql) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> tokens;
    while (true) {
      RETURN_IF_ERROR(SkipSpaceAndComments());
      Token t;
      t.pos = pos_;
      if (at_ >= sql_.size()) {
        t.kind = TokenKind::kEnd;
        tokens.push_back(std::move(t));
        return tokens;
      }
      char c = sql_[at_];
      if (IsIdentifierStart(c)) {
        size_t start = at_;
        while (at_ < sql_.size() && IsIdentifierPart(sql_[at_])) Advance();
        t.kind = TokenKind::kIdentifier;
        t.text = std::string(sql_.substr(start, at_ - start));
      } else if (IsDigit(c) || (c == '.' && at_ + 1 < sql_.size() && IsDigit(sql_[at_ + 1]))) {
        RETURN_IF_ERROR(Number(&t));
      } else if (c == '\'') {
        RETURN_IF_ERROR(Quoted('\'', "string literal", &t.text));
        t.kind = TokenKind::kString;
      } else if (c == '"') {
        RETURN_IF_ERROR(Quoted('"', "quoted identifier", &t.text));
        if (t.text.empty()) return Error(t.pos, "zero-length delimited identifier \"\"");
        t.kind = TokenKind::kQuotedIdentifier;
      } else if (c == '`') {
        return Error(t.pos, "backquoted identifiers are not supported; use double quotes (\"name\")");
      } else {
        RETURN_IF_ERROR(Operator(&t));
      }
      tokens.push_back(std::move(t));
    }
  }

 private:
  Status Error(const SourcePos& pos, const std::string& what) const {
    return Status::InvalidArgument(FormatPos(pos) + ": " + what);
  }

  // Moves past one byte; columns count code points, so UTF-8 continuation bytes do not count.
  void Advance() {
    char c = sql_[at_++];
    if (c == '\n') {
      ++pos_.line;
      pos_.column = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++pos_.column;
    }
  }

  Status SkipSpaceAndComments() {
    while (at_ < sql_.size()) {
      char c = sql_[at_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        Advance();
      } else if (c == '-' && at_ + 1 < sql_.size() && sql_[at_ + 1] == '-') {
        while (at_ < sql_.size() && sql_[at_] != '\n') Advance();
      } else if (c == '/' && at_ + 1 < sql_.size() && sql_[at_ + 1] == '*') {
        SourcePos start = pos_;
        Advance();
        Advance();
        while (true) {
          if (at_ >= sql_.size()) return Error(start, "unterminated comment: '/*' has no closing '*/'");
          if (sql_[at_] == '*' && at_ + 1 < sql_.size() && sql_[at_ + 1] == '/') {
            Advance();
            Advance();
            break;
          }
          Advance();
        }
      } else {
        break;
      }
    }
    return Status::OK();
  }

  Status Number(Token* t) {
    size_t start = at_;
    bool decimal = false;
    while (at_ < sql_.size() && IsDigit(sql_[at_])) Advance();
    if (at_ < sql_.size() && sql_[at_] == '.') {
      decimal = true;
      Advance();
      while (at_ < sql_.size() && IsDigit(sql_[at_])) Advance();
    }
    if (at_ < sql_.size() && (sql_[at_] == 'e' || sql_[at_] == 'E')) {
      size_t look = at_ + 1;
      if (look < sql_.size() && (sql_[look] == '+' || sql_[look] == '-')) ++look;
      if (look < sql_.size() && IsDigit(sql_[look])) {
        decimal = true;
        while (at_ < look) Advance();
        while (at_ < sql_.size() && IsDigit(sql_[at_])) Advance();
      }
    }
    // "123abc" is one bad token in Trino, not a number followed by an alias.
    if (at_ < sql_.size() && IsIdentifierStart(sql_[at_])) {
      while (at_ < sql_.size() && IsIdentifierPart(sql_[at_])) Advance();
      return Error(t->pos, "invalid number '" + std::string(sql_.substr(start, at_ - start)) +
                               "' (identifiers cannot start with a digit; quote them: \"name\")");
    }
    t->kind = decimal ? TokenKind::kDecimal : TokenKind::kInteger;
    t->text = std::string(sql_.substr(start, at_ - start));
    return Status::OK();
  }

  Status Quoted(char quote, const char* what, std::string* out) {
    SourcePos start = pos_;
    Advance();
    while (true) {
      if (at_ >= sql_.size()) {
        return Error(start, std::string("unterminated ") + what + ": missing closing " + quote);
      }
      char c = sql_[at_];
      Advance();
      if (c == quote) {
        if (at_ < sql_.size() && sql_[at_] == quote) {
          out->push_back(quote);
          Advance();
          continue;
        }
        return Status::OK();
      }
      out->push_back(c);
    }
  }

  Status Operator(Token* t) {
    static constexpr std::string_view kTwoChar[] = {"<>", "!=", "<=", ">=", "||"};
    std::string_view rest = sql_.substr(at_);
    for (std::string_view op : kTwoChar) {
      if (rest.substr(0, 2) == op) {
        t->kind = TokenKind::kOperator;
        t->text = std::string(op);
        Advance();
        Advance();
        return Status::OK();
      }
    }
    static constexpr std::string_view kOneChar = "=<>+-*/%(),.;?";
    char c = sql_[at_];
    if (kOneChar.find(c) == std::string_view::npos) {
      unsigned char u = static_cast<unsigned char>(c);
      if (u < 0x20 || u >= 0x7F) {
        char hex[8];
        static constexpr char kDigits[] = "0123456789ABCDEF";
        hex[0] = '0';
        hex[1] = 'x';
        hex[2] = kDigits[u >> 4];
        hex[3] = kDigits[u & 15];
        hex[4] = 0;
        return Error(t->pos, std::string("unexpected byte ") + hex +
                                 " (identifiers are ASCII; non-ASCII text belongs in 'strings' or \"quotes\")");
      }
      return Error(t->pos, std::string("unexpected character '") + c + "'");
    }
    t->kind = TokenKind::kOperator;
    t->text = std::string(1, c);
    Advance();
    return Status::OK();
  }

  std::string_view sql_;
  size_t at_ = 0;
  SourcePos pos_;
};

}  // namespace

Result<std::vector<Token>> Tokenize(std::string_view sql) { return Lexer(sql).Run(); }

}  // namespace loglake::query::sql
