// LIKE: the compiled matcher's shapes and edge cases, and [NOT] LIKE as an expression.
#include "query/execution/like_matcher.h"

#include <gtest/gtest.h>

#include <random>

#include "eval_test_util.h"

namespace loglake::query {
namespace {

using Shape = LikeMatcher::Shape;

LikeMatcher Compiled(std::string_view pattern, std::optional<std::string_view> escape = std::nullopt) {
  auto m = LikeMatcher::Compile(pattern, escape);
  EXPECT_TRUE(m.ok()) << pattern << ": " << m.status().ToString();
  return m.ok() ? *m : *LikeMatcher::Compile("", std::nullopt);
}

bool Matches(std::string_view text, std::string_view pattern, std::optional<std::string_view> escape = std::nullopt) {
  return Compiled(pattern, escape).Matches(text);
}

TEST(LikeMatcher, RecognizesShapes) {
  EXPECT_EQ(Compiled("abc").shape(), Shape::kExact);
  EXPECT_EQ(Compiled("abc%").shape(), Shape::kPrefix);
  EXPECT_EQ(Compiled("%abc").shape(), Shape::kSuffix);
  EXPECT_EQ(Compiled("%abc%").shape(), Shape::kContains);
  EXPECT_EQ(Compiled("%%abc%%%").shape(), Shape::kContains);
  EXPECT_EQ(Compiled("%").shape(), Shape::kAny);
  EXPECT_EQ(Compiled("%%").shape(), Shape::kAny);
  EXPECT_EQ(Compiled("").shape(), Shape::kExact);
  EXPECT_EQ(Compiled("a%c").shape(), Shape::kGeneral);
  EXPECT_EQ(Compiled("a_c").shape(), Shape::kGeneral);
  EXPECT_EQ(Compiled("/api/%").literal(), "/api/");
  // Escaped wildcards are literal, so the shape stays simple.
  EXPECT_EQ(Compiled("100\\%%", "\\").shape(), Shape::kPrefix);
  EXPECT_EQ(Compiled("100\\%%", "\\").literal(), "100%");
}

TEST(LikeMatcher, SimpleShapes) {
  EXPECT_TRUE(Matches("abc", "abc"));
  EXPECT_FALSE(Matches("abcd", "abc"));
  EXPECT_FALSE(Matches("ABC", "abc"));  // case-sensitive
  EXPECT_TRUE(Matches("/api/users", "/api/%"));
  EXPECT_TRUE(Matches("/api/", "/api/%"));
  EXPECT_FALSE(Matches("/ap", "/api/%"));
  EXPECT_TRUE(Matches("image.png", "%.png"));
  EXPECT_FALSE(Matches("png", "%.png"));
  EXPECT_TRUE(Matches("Mozilla/5.0 (Windows NT)", "%Windows%"));
  EXPECT_TRUE(Matches("Windows", "%Windows%"));
  EXPECT_FALSE(Matches("Window", "%Windows%"));
  EXPECT_TRUE(Matches("", "%"));
  EXPECT_TRUE(Matches("", "%%"));
  EXPECT_TRUE(Matches("anything", "%%"));
}

TEST(LikeMatcher, EmptyPatternMatchesOnlyEmpty) {
  EXPECT_TRUE(Matches("", ""));
  EXPECT_FALSE(Matches("a", ""));
}

TEST(LikeMatcher, UnderscoreIsOneCodePoint) {
  EXPECT_TRUE(Matches("abc", "a_c"));
  EXPECT_FALSE(Matches("ac", "a_c"));
  EXPECT_FALSE(Matches("abbc", "a_c"));
  EXPECT_TRUE(Matches("aéc", "a_c"));      // é is 2 bytes
  EXPECT_TRUE(Matches("a日c", "a_c"));     // 3 bytes
  EXPECT_TRUE(Matches("a😀c", "a_c"));     // 4 bytes
  EXPECT_FALSE(Matches("a😀c", "a__c"));
  EXPECT_TRUE(Matches("日本", "__"));
  EXPECT_FALSE(Matches("日本", "_"));
  EXPECT_TRUE(Matches("x", "_"));
  EXPECT_FALSE(Matches("", "_"));
  EXPECT_TRUE(Matches("é", "%_%"));
  EXPECT_TRUE(Matches("abé", "%é"));
}

TEST(LikeMatcher, GeneralPatternsBacktrack) {
  EXPECT_TRUE(Matches("abcbcd", "a%bcd"));
  EXPECT_TRUE(Matches("mississippi", "m%iss%ppi"));
  EXPECT_FALSE(Matches("mississippi", "m%iss%ppx"));
  EXPECT_TRUE(Matches("aaa", "a%a%a"));
  EXPECT_FALSE(Matches("aa", "a%a%a"));
  EXPECT_TRUE(Matches("xay", "%a_"));
  EXPECT_FALSE(Matches("xa", "%a_"));
  EXPECT_TRUE(Matches("é日x", "%日_"));
  EXPECT_TRUE(Matches("/api/v1/users/42", "/api/v_/%/__"));
  EXPECT_FALSE(Matches("/api/v1/users/42", "/api/v_/%/___"));
  // Pathological shape stays correct (and fast enough).
  std::string text(2000, 'a');
  EXPECT_FALSE(Matches(text, "%a%a%a%a%a%b"));
  EXPECT_TRUE(Matches(text + "b", "%a%a%a%a%a%b"));
}

TEST(LikeMatcher, Escape) {
  EXPECT_TRUE(Matches("100%", "100\\%", "\\"));
  EXPECT_FALSE(Matches("1000", "100\\%", "\\"));
  EXPECT_TRUE(Matches("a_b", "a#_b", "#"));
  EXPECT_FALSE(Matches("axb", "a#_b", "#"));
  EXPECT_TRUE(Matches("a#b", "a##b", "#"));
  EXPECT_TRUE(Matches("50% off", "%\\%%", "\\"));
  EXPECT_FALSE(Matches("50 off", "%\\%%", "\\"));
  // Without ESCAPE, backslash is an ordinary character.
  EXPECT_TRUE(Matches("a\\b", "a\\b"));
}

TEST(LikeMatcher, InvalidEscapesAreErrors) {
  EXPECT_FALSE(LikeMatcher::Compile("abc#", "#").ok());   // escape at the end
  EXPECT_FALSE(LikeMatcher::Compile("a#bc", "#").ok());   // escape before an ordinary character
  EXPECT_FALSE(LikeMatcher::Compile("abc", "##").ok());   // not one character
  EXPECT_FALSE(LikeMatcher::Compile("abc", "").ok());
  auto s = LikeMatcher::Compile("a#b", "#");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
}

// Reference: straightforward recursive matcher over code points, for cross-checking.
std::vector<std::string> CodePoints(std::string_view s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    size_t len = 1;
    unsigned char b = static_cast<unsigned char>(s[i]);
    if (b >= 0xF0) {
      len = 4;
    } else if (b >= 0xE0) {
      len = 3;
    } else if (b >= 0xC0) {
      len = 2;
    }
    out.emplace_back(s.substr(i, len));
    i += len;
  }
  return out;
}

bool RefMatch(const std::vector<std::string>& t, size_t ti, const std::vector<std::string>& p, size_t pi) {
  if (pi == p.size()) return ti == t.size();
  if (p[pi] == "%") {
    for (size_t k = ti; k <= t.size(); ++k) {
      if (RefMatch(t, k, p, pi + 1)) return true;
    }
    return false;
  }
  if (ti == t.size()) return false;
  if (p[pi] == "_" || p[pi] == t[ti]) return RefMatch(t, ti + 1, p, pi + 1);
  return false;
}

TEST(LikeMatcher, AgreesWithReferenceOnRandomInputs) {
  std::mt19937 rng(7);
  const char* alphabet[] = {"a", "b", "é", "日"};
  const char* pattern_alphabet[] = {"a", "b", "é", "日", "%", "_"};
  for (int iter = 0; iter < 3000; ++iter) {
    std::string text, pattern;
    int tl = rng() % 7, pl = rng() % 6;
    for (int i = 0; i < tl; ++i) text += alphabet[rng() % 4];
    for (int i = 0; i < pl; ++i) pattern += pattern_alphabet[rng() % 6];
    bool want = RefMatch(CodePoints(text), 0, CodePoints(pattern), 0);
    EXPECT_EQ(Matches(text, pattern), want) << "'" << text << "' LIKE '" << pattern << "'";
  }
}

TEST(LikeMatcher, ContainsAgreesWithFindAcrossBlockBoundaries) {
  // Long texts exercise the 16-byte candidate filter and its scalar tail.
  std::mt19937 rng(11);
  const char alphabet[] = "abcab/ ";
  for (int iter = 0; iter < 4000; ++iter) {
    std::string text, needle;
    int tl = rng() % 80, nl = 1 + rng() % 6;
    for (int i = 0; i < tl; ++i) text += alphabet[rng() % 7];
    for (int i = 0; i < nl; ++i) needle += alphabet[rng() % 7];
    if (needle.find('%') != std::string::npos || needle.find('_') != std::string::npos) continue;
    LikeMatcher m = Compiled("%" + needle + "%");
    ASSERT_EQ(m.shape(), Shape::kContains);
    EXPECT_EQ(m.Matches(text), text.find(needle) != std::string::npos) << "'" << text << "' contains '" << needle << "'";
  }
  // A match that starts in one 16-byte block and ends in the next, and one in the last bytes.
  std::string text = std::string(14, 'x') + "needle" + std::string(30, 'y') + "tail";
  EXPECT_TRUE(Matches(text, "%needle%"));
  EXPECT_TRUE(Matches(text, "%ytail%"));
  EXPECT_FALSE(Matches(text, "%tails%"));
}

// ---- LIKE as an expression ----

using namespace evaltest;
using Rows = std::vector<uint32_t>;

ExprPtr LikeEscape(ExprPtr value, std::string pattern, ExprPtr escape) {
  return Kind(ExprKind::kLike, SqlType::kBoolean, std::move(value), Str(std::move(pattern)), std::move(escape));
}

TEST(EvalLike, SelectAndEvaluateEveryShape) {
  Batch b{{Strings({"/api/users", "/static/app.js", std::nullopt, "/api/", "", "/API/x"})}};
  auto path = [] { return Ref(0, SqlType::kVarchar); };
  EXPECT_EQ(Select(*Like(path(), "/api/%"), b), (Rows{0, 3}));
  EXPECT_EQ(Select(*Like(path(), "%.js"), b), (Rows{1}));
  EXPECT_EQ(Select(*Like(path(), "%api%"), b), (Rows{0, 3}));
  EXPECT_EQ(Select(*Like(path(), "/api/"), b), (Rows{3}));
  EXPECT_EQ(Select(*Like(path(), "%"), b), (Rows{0, 1, 3, 4, 5}));  // not NULL
  EXPECT_EQ(Select(*Like(path(), ""), b), (Rows{4}));
  EXPECT_EQ(Select(*Like(path(), "/%/_%"), b), (Rows{0, 1, 5}));
  EXPECT_EQ(Select(*Negated(Like(path(), "/api/%")), b), (Rows{1, 4, 5}));  // NULL is neither
  EXPECT_EQ(Eval(*Negated(Like(path(), "%api%")), b),
            (std::vector<Value>{B(false), B(true), B({}), B(false), B(true), B(true)}));
  Rows rows = {1, 2, 3};
  EXPECT_EQ(Select(*Like(path(), "/%"), b, &rows), (Rows{1, 3}));
  EXPECT_EQ(Select(*Like(path(), "%.js"), b, &rows), (Rows{1}));
}

TEST(EvalLike, OverAnExpressionAndWithEscape) {
  Batch b{{Strings({"ABC_1", "abcx1", "100%"})}};
  ExprPtr lower = Fn(ScalarFunction::kLower, SqlType::kVarchar, Ref(0, SqlType::kVarchar));
  EXPECT_EQ(Select(*LikeEscape(std::move(lower), "abc!_%", Str("!")), b), (Rows{0}));
  EXPECT_EQ(Select(*LikeEscape(Ref(0, SqlType::kVarchar), "%!%", Str("!")), b), (Rows{2}));
  auto bad = ExprEvaluator::Compile(*LikeEscape(Ref(0, SqlType::kVarchar), "a!", Str("!")));
  EXPECT_FALSE(bad.ok());
}

TEST(EvalLike, NullPatternAndPatternFromAColumn) {
  Batch b{{Strings({"abc", "abd", "x"}), Strings({"ab%", "%c", std::nullopt})}};
  ExprPtr null_pattern = Kind(ExprKind::kLike, SqlType::kBoolean, Ref(0, SqlType::kVarchar), Null(SqlType::kVarchar));
  EXPECT_EQ(Eval(*null_pattern, b), (std::vector<Value>{B({}), B({}), B({})}));
  EXPECT_EQ(Select(*null_pattern, b), Rows{});
  ExprPtr dynamic = Kind(ExprKind::kLike, SqlType::kBoolean, Ref(0, SqlType::kVarchar), Ref(1, SqlType::kVarchar));
  EXPECT_EQ(Eval(*dynamic, b), (std::vector<Value>{B(true), B(false), B({})}));
  EXPECT_EQ(Select(*dynamic, b), (Rows{0}));
}

}  // namespace
}  // namespace loglake::query
