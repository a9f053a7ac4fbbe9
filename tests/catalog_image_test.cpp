// The catalog's image (src/lib/catalog_image.hpp): builtin_catalog() reads it instead of parsing
// the text, so it must hold exactly what the loader makes of the text, in the native build's text
// and in the WebAssembly module's compact one, and a damaged image must be refused, never read
// past its end.
#include "catalog_image.hpp"

#include <gtest/gtest.h>

#include <string>

#include "msgevents/catalog.hpp"

namespace msgevents::detail {
extern const std::string_view kCatalogJson;
extern const std::string_view kCatalogImage;
}  // namespace msgevents::detail

namespace {

using msgevents::Catalog;
using msgevents::detail::kCatalogImage;
using msgevents::detail::kCatalogJson;
using msgevents::detail::read_catalog_image;
using msgevents::detail::write_catalog_image;

// Every member the image lists, compared: both written with every string inline (no text).
std::string every_member(const Catalog& catalog) { return write_catalog_image(catalog, ""); }

Catalog parsed(std::string_view text) {
  std::string error;
  std::optional<Catalog> catalog = msgevents::parse_catalog(text, &error);
  EXPECT_TRUE(catalog.has_value()) << error;
  return catalog ? *catalog : Catalog{};
}

TEST(CatalogImage, TheBuiltinCatalogIsWhatTheLoaderMakesOfTheText) {
  const Catalog& builtin = msgevents::builtin_catalog();
  const Catalog loaded = parsed(kCatalogJson);
  ASSERT_EQ(builtin.events.size(), 21u);
  EXPECT_EQ(every_member(builtin), every_member(loaded));
  // And what the printer prints, in case a member is printed but missing from the image's lists.
  EXPECT_EQ(msgevents::catalog_to_json(builtin), msgevents::catalog_to_json(loaded));
  for (size_t i = 0; i < loaded.events.size(); ++i) EXPECT_EQ(builtin.events[i].examples, loaded.events[i].examples);
}

TEST(CatalogImage, TheCompactTextOfTheWebAssemblyModuleReadsBackTheSame) {
  const std::string compact = msgevents::detail::without_layout(kCatalogJson);
  ASSERT_LT(compact.size(), kCatalogJson.size());
  const Catalog loaded = parsed(compact);
  const std::string image = write_catalog_image(loaded, compact);
  const std::optional<Catalog> back = read_catalog_image(image, compact);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(every_member(*back), every_member(loaded));
  EXPECT_EQ(every_member(*back), every_member(parsed(kCatalogJson)));
}

// The image points into the text for nearly every string: it is a small part of the text's size.
// The examples and the descriptions with quotes in them are the largest strings; inline, they
// made the image 34 KB.
TEST(CatalogImage, StringsArePointersIntoTheText) {
  EXPECT_LT(kCatalogImage.size(), 9000u);
  const std::string compact = msgevents::detail::without_layout(kCatalogJson);
  EXPECT_LT(write_catalog_image(parsed(compact), compact).size(), 9000u);
}

TEST(CatalogImage, EachStringFormReadsBack) {
  const std::string text =
      "{\"a\": \"plain\", \"b\": \"say \\\"hi\\\" \\u00e9 \\ud83d\\ude00\\n\", \"c\": {\n    \"k\": [\n      1,\n      "
      "{}\n    ],\n    \"e\": []\n  }}";
  Catalog catalog;
  catalog.title = "plain";
  catalog.description = "say \"hi\" \xc3\xa9 \xf0\x9f\x98\x80\n";
  msgevents::EventSpec event;
  event.examples.push_back("{\n  \"k\": [\n    1,\n    {}\n  ],\n  \"e\": []\n}");
  event.examples.push_back("not in the text");
  event.fields.emplace_back();
  event.fields.back().minimum = -0.5;
  event.fields.back().max_length = 1ull << 40;
  catalog.events.push_back(event);
  const std::string image = write_catalog_image(catalog, text);
  // All three of the text's strings were pointed at: only "not in the text" is inline.
  EXPECT_LT(image.size(), every_member(catalog).size() - catalog.description.size() - event.examples[0].size() + 16);
  const std::optional<Catalog> back = read_catalog_image(image, text);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(every_member(*back), every_member(catalog));
  EXPECT_EQ(back->description, catalog.description);
  EXPECT_EQ(back->events.at(0).examples, event.examples);
  EXPECT_EQ(back->events.at(0).fields.at(0).minimum, -0.5);
}

TEST(CatalogImage, ADamagedImageIsRefusedAndNeverReadPastItsEnd) {
  const std::string image(kCatalogImage);
  ASSERT_TRUE(read_catalog_image(image, kCatalogJson).has_value());
  // Every shorter image is refused (under ASan, a copy of exactly that size: a read past the end
  // is caught).
  for (size_t size = 0; size < image.size(); size += 1 + size / 64) {
    const std::string cut = image.substr(0, size);
    EXPECT_FALSE(read_catalog_image(cut, kCatalogJson).has_value()) << size;
  }
  EXPECT_FALSE(read_catalog_image(image + "x", kCatalogJson).has_value());
  // Against a shorter text, a slice beyond it is refused.
  EXPECT_FALSE(read_catalog_image(image, kCatalogJson.substr(0, kCatalogJson.size() / 2)).has_value());
  // Any byte changed: refused or read, never a crash or an endless loop.
  for (size_t at = 0; at < image.size(); at += 7) {
    std::string changed = image;
    changed[at] = static_cast<char>(changed[at] ^ 0xff);
    (void)read_catalog_image(changed, kCatalogJson);
  }
}

}  // namespace
