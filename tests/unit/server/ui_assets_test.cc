#include "server/ui_assets.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace loglake::server {
namespace {

std::string Header(const UiAnswer& a, const std::string& name) {
  for (const auto& [n, v] : a.headers) {
    if (n == name) return v;
  }
  return "";
}

TEST(UiAssets, EmbedsThePageWithItsContentTypes) {
  const UiAsset* index = FindUiAsset("index.html");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  EXPECT_TRUE(index->content().starts_with("<!doctype html>"));
  EXPECT_NE(index->content().find("\"ui/js/app.mjs\""), std::string_view::npos);

  const UiAsset* app = FindUiAsset("js/app.mjs");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->content_type, "text/javascript; charset=utf-8");
  const UiAsset* css = FindUiAsset("search.css");
  ASSERT_NE(css, nullptr);
  EXPECT_EQ(css->content_type, "text/css; charset=utf-8");
  const UiAsset* icon = FindUiAsset("favicon.svg");
  ASSERT_NE(icon, nullptr);
  EXPECT_EQ(icon->content_type, "image/svg+xml");
  // The embedded bytes end with a NUL that is not part of the file.
  EXPECT_EQ(app->data[app->size], 0);
  EXPECT_NE(app->content().back(), '\0');
}

TEST(UiAssets, ListIsSortedWithDistinctStrongEtags) {
  std::set<std::string_view> etags;
  std::string_view previous;
  ASSERT_GE(UiAssets().size(), 5u);
  for (const UiAsset& a : UiAssets()) {
    EXPECT_LT(previous, a.path);
    previous = a.path;
    EXPECT_FALSE(a.path.starts_with("/")) << a.path;
    ASSERT_EQ(a.etag.size(), 34u) << a.path;  // a quoted 32-hex-digit SHA-256 prefix, not weak
    EXPECT_EQ(a.etag.front(), '"');
    EXPECT_EQ(a.etag.back(), '"');
    EXPECT_TRUE(etags.insert(a.etag).second) << "two files share the ETag " << a.etag;
    EXPECT_EQ(FindUiAsset(a.path), &a);
  }
}

TEST(UiAssets, OnlyExactPathsMatch) {
  for (const char* path : {"", "/index.html", "index.html/", "js/../index.html", "../index.html", "js//app.mjs",
                           "JS/app.mjs", "index.html?x=1", "js", "js/", "nothing.html", "%2e%2e/index.html"}) {
    EXPECT_EQ(FindUiAsset(path), nullptr) << path;
  }
}

TEST(UiAssets, EtagMatching) {
  const std::string_view etag = "\"abc\"";
  EXPECT_TRUE(EtagMatches("\"abc\"", etag));
  EXPECT_TRUE(EtagMatches("W/\"abc\"", etag));
  EXPECT_TRUE(EtagMatches("\"x\", \"abc\"", etag));
  EXPECT_TRUE(EtagMatches(" \"x\" ,\t\"abc\" ", etag));
  EXPECT_TRUE(EtagMatches("*", etag));
  EXPECT_FALSE(EtagMatches("", etag));
  EXPECT_FALSE(EtagMatches("abc", etag));
  EXPECT_FALSE(EtagMatches("\"abcd\"", etag));
  EXPECT_FALSE(EtagMatches("\"ab\", \"c\"", etag));
  EXPECT_FALSE(EtagMatches(",,", etag));
}

TEST(UiAssets, AnswersWithHeadersAndRevalidation) {
  const UiAsset* index = FindUiAsset("index.html");
  ASSERT_NE(index, nullptr);
  UiAnswer page = AnswerUiRequest("", "");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(page.body, index->content());
  EXPECT_EQ(Header(page, "ETag"), index->etag);
  EXPECT_EQ(Header(page, "Cache-Control"), "no-cache");
  EXPECT_EQ(Header(page, "X-Content-Type-Options"), "nosniff");
  EXPECT_NE(Header(page, "Content-Security-Policy").find("default-src 'self'"), std::string::npos);

  UiAnswer again = AnswerUiRequest("index.html", std::string(index->etag));
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(Header(again, "ETag"), index->etag);

  UiAnswer stale = AnswerUiRequest("index.html", "\"0000\"");
  EXPECT_EQ(stale.status, 200);

  UiAnswer css = AnswerUiRequest("search.css", "");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
  EXPECT_EQ(Header(css, "Content-Security-Policy"), "");  // a policy belongs to documents

  UiAnswer missing = AnswerUiRequest("js/nope.mjs", "*");
  EXPECT_EQ(missing.status, 404);
  EXPECT_TRUE(missing.headers.empty());
}

}  // namespace
}  // namespace loglake::server
