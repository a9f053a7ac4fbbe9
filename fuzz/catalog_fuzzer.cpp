// libFuzzer harness: the catalog loader (parse_catalog). Any bytes either load or are refused
// with a message; a catalog that loads prints (catalog_to_json) to a catalog that loads again and
// prints the same, since both forms have one shape; nothing may crash, leak or hit undefined
// behaviour. A difference aborts the run.
#include <cstdio>
#include <string>

#include "msgevents/catalog.hpp"

namespace {

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "catalog_fuzzer: %s\n%s\n", what, detail.c_str());
  __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  const std::optional<msgevents::Catalog> catalog = msgevents::parse_catalog(text, &error);
  if (!catalog) {
    if (error.empty()) fail("refused without a message", std::string(text));
    return 0;
  }
  const std::string printed = msgevents::catalog_to_json(*catalog, false);
  std::string again_error;
  const std::optional<msgevents::Catalog> again = msgevents::parse_catalog(printed, &again_error);
  if (!again) fail("the printed catalog does not load", again_error + "\n" + printed);
  const std::string reprinted = msgevents::catalog_to_json(*again, false);
  if (reprinted != printed) fail("printing the reloaded catalog differs", printed + "\n---\n" + reprinted);
  return 0;
}
