// Reads a catalog's JSON strictly, for the catalog loader (catalog_loader.cpp): each accessor checks
// the type of what it reads, and every problem becomes one error line with its JSON Pointer, so
// that an author fixes a broken catalog in one pass. Internal to the library (RapidJSON types).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

namespace msgevents::detail {

// The JSON Pointer of a member or an element of the value at `pointer`.
std::string child(const std::string& pointer, std::string_view key);
std::string child(const std::string& pointer, size_t index);

class CatalogReader {
 public:
  using Value = rapidjson::Value;

  // At most kMaxErrors lines: every problem of a badly broken catalog, without an unbounded message.
  std::vector<std::string> errors;
  void error(const std::string& pointer, const std::string& message);

  bool expect_object(const Value& value, const std::string& pointer, std::string_view what);
  // Unknown keys are typos until proven otherwise: the catalog has no extension points.
  void check_keys(const Value& object, const std::string& pointer, std::initializer_list<std::string_view> allowed);
  const Value* member(const Value& object, const std::string& pointer, std::string_view key, bool required);
  const Value* array_member(const Value& object, const std::string& pointer, std::string_view key, bool required = true);
  // Each get_* returns whether the key was there with a value of the right type (and stored it).
  bool get_string(const Value& object, const std::string& pointer, std::string_view key, std::string* out,
                  bool required, bool non_empty = true);
  bool get_bool(const Value& object, const std::string& pointer, std::string_view key, bool* out, bool required);
  bool get_count(const Value& object, const std::string& pointer, std::string_view key, std::optional<uint64_t>* out);
  bool get_number(const Value& object, const std::string& pointer, std::string_view key, std::optional<double>* out);
  bool get_string_array(const Value& object, const std::string& pointer, std::string_view key,
                        std::vector<std::string>* out, bool required, bool unique = false);
  // RapidJSON keeps both members of a duplicated key; two readers of the catalog must not disagree.
  // Also bounds the nesting, so that the recursive walks that follow cannot exhaust the stack.
  void check_duplicate_keys(const Value& value, const std::string& pointer, int depth = 0);
};

}  // namespace msgevents::detail
