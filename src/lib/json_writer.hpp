// A small JSON writer for the reports, the registry and the generated documents.
//
// It writes compact JSON (or indented, for documents people read) and escapes strings per RFC 8259.
// Input strings are expected to be valid UTF-8 (everything the parser accepted is); any invalid
// byte is written as U+FFFD so the output is always valid JSON.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace msgevents::detail {

class JsonWriter {
 public:
  explicit JsonWriter(int indent = 0) : indent_(indent) {}

  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }
  JsonWriter& key(std::string_view name);
  JsonWriter& string(std::string_view text);
  JsonWriter& number(int64_t value);
  JsonWriter& number(uint64_t value);
  JsonWriter& number(double value);
  JsonWriter& number(int value) { return number(static_cast<int64_t>(value)); }
  JsonWriter& number(uint32_t value) { return number(static_cast<uint64_t>(value)); }
  JsonWriter& boolean(bool value);
  JsonWriter& null();
  // Inserts already-serialised JSON as one value.
  JsonWriter& raw(std::string_view json);

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

  static void escape_into(std::string& out, std::string_view text);

 private:
  JsonWriter& open(char bracket);
  JsonWriter& close(char bracket);
  void before_value();
  void newline();

  std::string out_;
  std::vector<bool> has_items_;  // per open container
  bool after_key_ = false;
  int indent_;
};

}  // namespace msgevents::detail
