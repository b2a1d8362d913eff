#include <gtest/gtest.h>

#include "query/sql/lexer.h"

namespace loglake::query::sql {
namespace {

std::vector<Token> Lex(std::string_view sql) {
  Result<std::vector<Token>> r = Tokenize(sql);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : std::vector<Token>{};
}

std::string LexError(std::string_view sql) {
  Result<std::vector<Token>> r = Tokenize(sql);
  EXPECT_FALSE(r.ok()) << "expected an error for: " << sql;
  return r.ok() ? "" : r.status().message();
}

TEST(SqlLexerTest, KindsAndTexts) {
  std::vector<Token> t = Lex("SELECT \"Quoted \"\"x\"\"\", 'it''s', 42, 1.5, .5, 1e3, 2E-2 FROM t");
  ASSERT_EQ(t.size(), 17u);
  EXPECT_EQ(t[0].kind, TokenKind::kIdentifier);
  EXPECT_EQ(t[0].text, "SELECT");
  EXPECT_EQ(t[1].kind, TokenKind::kQuotedIdentifier);
  EXPECT_EQ(t[1].text, "Quoted \"x\"");
  EXPECT_EQ(t[3].kind, TokenKind::kString);
  EXPECT_EQ(t[3].text, "it's");
  EXPECT_EQ(t[5].kind, TokenKind::kInteger);
  EXPECT_EQ(t[5].text, "42");
  EXPECT_EQ(t[7].kind, TokenKind::kDecimal);
  EXPECT_EQ(t[9].kind, TokenKind::kDecimal);
  EXPECT_EQ(t[9].text, ".5");
  EXPECT_EQ(t[11].kind, TokenKind::kDecimal);
  EXPECT_EQ(t[13].text, "2E-2");
  EXPECT_EQ(t.back().kind, TokenKind::kEnd);
}

TEST(SqlLexerTest, Operators) {
  std::vector<Token> t = Lex("= <> != < <= > >= + - * / % || ( ) , . ; ?");
  std::vector<std::string> texts;
  for (const Token& tok : t) {
    if (tok.kind == TokenKind::kOperator) texts.push_back(tok.text);
  }
  EXPECT_EQ(texts, (std::vector<std::string>{"=", "<>", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "||",
                                             "(", ")", ",", ".", ";", "?"}));
}

TEST(SqlLexerTest, CommentsAreSkipped) {
  std::vector<Token> t = Lex("a -- comment ' not a string\n/* block\n comment */ b");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].text, "a");
  EXPECT_EQ(t[1].text, "b");
  EXPECT_EQ(t[1].pos.line, 3);
  EXPECT_EQ(t[1].pos.column, 13);
}

TEST(SqlLexerTest, PositionsCountLinesAndCodePoints) {
  std::vector<Token> t = Lex("SELECT 'héllo', x\n  FROM t");
  EXPECT_EQ(t[1].pos.line, 1);
  EXPECT_EQ(t[1].pos.column, 8);
  // 'héllo' is 7 code points (9 bytes): the comma is at column 15.
  EXPECT_EQ(t[2].pos.column, 15);
  EXPECT_EQ(t[4].pos.line, 2);
  EXPECT_EQ(t[4].pos.column, 3);
  EXPECT_EQ(t.back().pos.line, 2);
  EXPECT_EQ(t.back().pos.column, 9);
}

TEST(SqlLexerTest, MinusMinusInsideStringIsText) {
  std::vector<Token> t = Lex("'a -- b' /* x */");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].text, "a -- b");
}

TEST(SqlLexerTest, Errors) {
  EXPECT_EQ(LexError("SELECT 'abc"), "line 1:8: unterminated string literal: missing closing '");
  EXPECT_EQ(LexError("SELECT \"abc"), "line 1:8: unterminated quoted identifier: missing closing \"");
  EXPECT_EQ(LexError("a /* never closed"), "line 1:3: unterminated comment: '/*' has no closing '*/'");
  EXPECT_NE(LexError("SELECT `x`").find("line 1:8: backquoted identifiers are not supported"), std::string::npos);
  EXPECT_EQ(LexError("SELECT a # b"), "line 1:10: unexpected character '#'");
  EXPECT_NE(LexError("SELECT 12abc").find("line 1:8: invalid number '12abc'"), std::string::npos);
  EXPECT_NE(LexError("SELECT \"\"").find("zero-length"), std::string::npos);
  EXPECT_NE(LexError("SELECT \x01").find("unexpected byte 0x01"), std::string::npos);
  EXPECT_NE(LexError("SELECT é").find("line 1:8: unexpected byte 0xC3"), std::string::npos);
}

}  // namespace
}  // namespace loglake::query::sql
