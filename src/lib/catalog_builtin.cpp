// builtin_catalog(): the catalog compiled into the library, read from its image (catalog_image.hpp)
// rather than parsed from its text, so this takes no catalog loader with it.
#include "msgevents/catalog.hpp"

#include "catalog_image.hpp"

namespace msgevents {

namespace detail {
// generated/catalog_data.cpp (src/codegen/gen_catalog_data.cpp): the catalog's text as embedded,
// and its image, whose strings are mostly slices of that text.
extern const std::string_view kCatalogJson;
extern const std::string_view kCatalogImage;
}  // namespace detail

const Catalog& builtin_catalog() {
  // A bad image is caught by catalog_image_test (it compares this with parse_catalog of the text); at
  // run time an empty catalog is safer than aborting inside a library.
  static const Catalog catalog = [] {
    std::optional<Catalog> read = detail::read_catalog_image(detail::kCatalogImage, detail::kCatalogJson);
    return read ? std::move(*read) : Catalog{};
  }();
  return catalog;
}

}  // namespace msgevents
