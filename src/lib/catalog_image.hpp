// The catalog's image: what parse_catalog() made of src/catalog/catalog.json, written at build time
// in a compact binary form that builtin_catalog() reads back at start-up.
//
// Why: the library then needs no catalog loader to start (JSON parsing into a DOM, the loader's
// checks and their messages), so the WebAssembly validator module carries none of it (16 KB
// gzipped of what a page downloads) and starts faster. The loader stays for catalogs given at run
// time (compat, `msgevents release --catalog`), and the build's generator (src/codegen/gen_catalog_data.cpp)
// runs it on the catalog file, so the image holds exactly what the loader makes of it.
//
// Layout: each struct's members in the order members() lists them, one list for the writer and
// the reader. Integers and enums are LEB128 varints, bools one byte, doubles their IEEE 754 bits in 8
// bytes, little-endian, optionals a presence byte then the value, vectors a count then the items.
// A string is varint(length * 4 + form), then what the form says. Most strings are already in the
// embedded catalog text, so the image points there rather than holding them again:
//   kInline:   the bytes follow (length of them);
//   kSlice:    a varint offset: the text's bytes [offset, offset + length) are the string;
//   kEscaped:  the same, but the slice is the inside of a JSON string and is unescaped (a
//              description with quotes in it);
//   kReindent: the same, but the slice is a JSON value, laid out again as the catalog printer
//              does with an indent of 2 (an example event, nested deeper in the text or, in the
//              WebAssembly module's compact text, on one line).
// The writer uses a form only where reading it back gives the string exactly. The reader checks
// every length against what is left and fails (an empty catalog, caught by catalog_image_test)
// rather than reading past the end.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "json_writer.hpp"
#include "msgevents/catalog.hpp"

namespace msgevents::detail {

// The member lists: S is the struct, const for the writer. Add a member to a struct, add it here.
template <class A, class S>
void members_of_field(A& a, S& f) {
  a(f.name, f.type, f.required, f.privacy, f.description, f.enum_values, f.format, f.min_length, f.max_length,
    f.free_text, f.minimum, f.maximum, f.item_type, f.item_format, f.item_enum, f.items_are_aggregate_fields,
    f.min_items, f.max_items, f.unique_items);
}
template <class A, class S>
void members_of_event(A& a, S& e) {
  a(e.name, e.aggregate, e.purpose, e.schema_version.major, e.schema_version.minor, e.creates, e.fields, e.invariants,
    e.preconditions, e.postconditions, e.traceability, e.delivery.ordering_key, e.delivery.idempotency_key,
    e.delivery.duplicates, e.examples);
}
template <class A, class S>
void members_of_aggregate(A& a, S& g) {
  a(g.name, g.id_field, g.description, g.states, g.transitions, g.attributes);
}
template <class A, class S>
void members_of_catalog(A& a, S& c) {
  a(c.catalog_version, c.title, c.description, c.envelope, c.decisions, c.change_policy, c.aggregates, c.events);
}

// One overload set naming every struct's member list, for the writer and the reader alike.
template <class A, class S>
auto members(A& a, S& s) -> std::enable_if_t<std::is_same_v<std::remove_const_t<S>, FieldSpec>> {
  members_of_field(a, s);
}
template <class A, class S>
auto members(A& a, S& s) -> std::enable_if_t<std::is_same_v<std::remove_const_t<S>, EventSpec>> {
  members_of_event(a, s);
}
template <class A, class S>
auto members(A& a, S& s) -> std::enable_if_t<std::is_same_v<std::remove_const_t<S>, AggregateSpec>> {
  members_of_aggregate(a, s);
}
template <class A, class S>
auto members(A& a, S& s) -> std::enable_if_t<std::is_same_v<std::remove_const_t<S>, Catalog>> {
  members_of_catalog(a, s);
}
template <class A, class S>
auto members(A& a, S& s) -> std::enable_if_t<std::is_same_v<std::remove_const_t<S>, Transition>> {
  a(s.from, s.to, s.event);
}
template <class A, class S>
auto members(A& a, S& s) -> std::enable_if_t<std::is_same_v<std::remove_const_t<S>, Decision>> {
  a(s.topic, s.text);
}
template <class A, class S>
auto members(A& a, S& s) -> std::enable_if_t<std::is_same_v<std::remove_const_t<S>, EnvelopeFieldDoc>> {
  a(s.name, s.type, s.required, s.description);
}

enum StringForm : uint64_t { kInline = 0, kSlice = 1, kEscaped = 2, kReindent = 3 };

// The text less its line breaks and the spaces after them: the WebAssembly module's compact text.
// A raw line break cannot be inside a JSON string, so no value changes.
inline std::string without_layout(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n') {
      out.push_back(text[i]);
      continue;
    }
    while (i + 1 < text.size() && text[i + 1] == ' ') ++i;
  }
  return out;
}

inline void append_utf8(std::string& out, uint32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3f)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3f)));
  }
}

// The inside of a JSON string, unescaped; nullopt for what is not one (the writer then checks
// that reading back gives its string, so nothing here needs to be more than right on valid JSON).
inline std::optional<std::string> unescape_json(std::string_view in) {
  std::string out;
  auto hex4 = [&](size_t at, uint32_t* value) {
    if (at + 4 > in.size()) return false;
    *value = 0;
    for (size_t i = at; i < at + 4; ++i) {
      const char c = in[i];
      const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (digit < 0) return false;
      *value = *value * 16 + static_cast<uint32_t>(digit);
    }
    return true;
  };
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '"') return std::nullopt;
    if (in[i] != '\\') {
      out.push_back(in[i]);
      continue;
    }
    if (++i == in.size()) return std::nullopt;
    switch (in[i]) {
      case '"': case '\\': case '/': out.push_back(in[i]); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'u': {
        uint32_t unit = 0;
        if (!hex4(i + 1, &unit)) return std::nullopt;
        i += 4;
        uint32_t low = 0;
        if (unit >= 0xd800 && unit < 0xdc00 && i + 2 < in.size() && in[i + 1] == '\\' && in[i + 2] == 'u' &&
            hex4(i + 3, &low) && low >= 0xdc00 && low < 0xe000) {
          unit = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
          i += 6;
        }
        append_utf8(out, unit);
        break;
      }
      default: return std::nullopt;
    }
  }
  return out;
}

// A JSON value laid out as the catalog printer lays out an example (RapidJSON's PrettyWriter,
// indent 2): whatever whitespace the text has outside strings is replaced by that layout.
inline std::string reindent_json(std::string_view in) {
  std::string out;
  size_t depth = 0;
  auto next_token = [&](size_t from) {
    while (from < in.size() && (in[from] == ' ' || in[from] == '\n' || in[from] == '\r' || in[from] == '\t')) ++from;
    return from;
  };
  auto new_line = [&] {
    out.push_back('\n');
    out.append(2 * depth, ' ');
  };
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '"') {
      const size_t start = i;
      for (++i; i < in.size() && in[i] != '"'; ++i) {
        if (in[i] == '\\') ++i;
      }
      out.append(in.substr(start, i - start + 1));
    } else if (c == '{' || c == '[') {
      const size_t next = next_token(i + 1);
      if (next < in.size() && (in[next] == '}' || in[next] == ']')) {
        out.push_back(c);
        out.push_back(in[next]);
        i = next;
      } else {
        out.push_back(c);
        ++depth;
        new_line();
      }
    } else if (c == '}' || c == ']') {
      if (depth > 0) --depth;
      new_line();
      out.push_back(c);
    } else if (c == ',') {
      out.push_back(c);
      new_line();
    } else if (c == ':') {
      out.append(": ");
    } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
      out.push_back(c);
    }
  }
  return out;
}

// The largest value of each enum the image holds: the reader refuses anything beyond.
constexpr uint64_t enum_last(JsonType) { return static_cast<uint64_t>(JsonType::Array); }
constexpr uint64_t enum_last(Privacy) { return static_cast<uint64_t>(Privacy::Secret); }

// Writes an image (the build's generator, and tests).
class CatalogImageWriter {
 public:
  explicit CatalogImageWriter(std::string_view text) : text_(text) {}

  template <class... T>
  void operator()(const T&... values) {
    (put(values), ...);
  }
  const std::string& image() const { return out_; }

 private:
  void varint(uint64_t value) {
    while (value >= 0x80) {
      out_.push_back(static_cast<char>((value & 0x7f) | 0x80));
      value >>= 7;
    }
    out_.push_back(static_cast<char>(value));
  }
  void put(const std::string& s) {
    if (s.empty() || !(slice(s, s, kSlice) || slice(s, escaped(s), kEscaped) || example_slice(s))) {
      varint(uint64_t{s.size()} * 4 + kInline);
      out_ += s;
    }
  }
  // Points at `key` in the text if reading it back in `form` gives `s`.
  bool slice(const std::string& s, std::string_view key, StringForm form) {
    for (size_t at = text_.find(key); at != std::string_view::npos; at = text_.find(key, at + 1)) {
      const std::string_view found = text_.substr(at, key.size());
      const std::optional<std::string> back =
          form == kSlice ? std::string(found) : form == kEscaped ? unescape_json(found) : reindent_json(found);
      if (back != s) continue;
      varint(uint64_t{key.size()} * 4 + form);
      varint(at);
      return true;
    }
    return false;
  }
  // An example event: nested in the text, its lines are indented more (by `extra` spaces), or in
  // the compact text it is on one line.
  bool example_slice(const std::string& s) {
    if (s.empty() || s[0] != '{') return false;
    if (slice(s, without_layout(s), kReindent)) return true;
    for (size_t extra = 2; extra <= 16; extra += 2) {
      std::string nested;
      for (const char c : s) {
        nested.push_back(c);
        if (c == '\n') nested.append(extra, ' ');
      }
      if (slice(s, nested, kReindent)) return true;
    }
    return false;
  }
  // The string JSON-escaped (JsonWriter's escaping, the report writer's): where it differs from
  // the catalog printer's (RapidJSON writes \u001F where it writes \u001f), slice() finds no match
  // and the string goes inline, so a difference costs only size.
  static std::string escaped(std::string_view s) {
    std::string out;
    JsonWriter::escape_into(out, s);
    return out;
  }
  void put(bool b) { out_.push_back(b ? 1 : 0); }
  void put(uint32_t v) { varint(v); }
  void put(uint64_t v) { varint(v); }
  void put(double v) {
    uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
  }
  template <class E, std::enable_if_t<std::is_enum_v<E>, int> = 0>
  void put(E e) {
    varint(static_cast<uint64_t>(e));
  }
  template <class T>
  void put(const std::optional<T>& v) {
    put(v.has_value());
    if (v) put(*v);
  }
  template <class T>
  void put(const std::vector<T>& items) {
    varint(items.size());
    for (const T& item : items) put(item);
  }
  template <class S, class = decltype(members(std::declval<CatalogImageWriter&>(), std::declval<const S&>()))>
  void put(const S& s) {
    members(*this, s);
  }

  std::string_view text_;
  std::string out_;
};

// Reads an image back; nullopt if it does not hold exactly one well-formed catalog.
class CatalogImageReader {
 public:
  CatalogImageReader(std::string_view image, std::string_view text) : in_(image), text_(text) {}

  template <class... T>
  void operator()(T&... values) {
    (get(values), ...);
  }
  std::optional<Catalog> read() {
    Catalog catalog;
    get(catalog);
    if (!ok_ || at_ != in_.size()) return std::nullopt;
    return catalog;
  }

 private:
  uint64_t varint() {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at_ >= in_.size()) break;
      const auto byte = static_cast<unsigned char>(in_[at_++]);
      value |= uint64_t{byte & 0x7fu} << shift;
      if (byte < 0x80) return value;
    }
    ok_ = false;
    return 0;
  }
  void get(std::string& s) {
    const uint64_t head = varint();
    const uint64_t length = head / 4;
    const uint64_t form = head % 4;
    if (form == kInline) {
      if (length > in_.size() - at_) return fail();
      s.assign(in_.data() + at_, length);
      at_ += length;
      return;
    }
    const uint64_t offset = varint();
    if (offset > text_.size() || length > text_.size() - offset) return fail();
    const std::string_view slice = text_.substr(offset, length);
    if (form == kSlice) {
      s.assign(slice.data(), slice.size());
    } else if (form == kReindent) {
      s = reindent_json(slice);
    } else if (std::optional<std::string> unescaped = unescape_json(slice)) {
      s = std::move(*unescaped);
    } else {
      fail();
    }
  }
  void get(bool& b) {
    const uint64_t v = varint();
    if (v > 1) return fail();
    b = v == 1;
  }
  void get(uint32_t& v) {
    const uint64_t wide = varint();
    if (wide > UINT32_MAX) return fail();
    v = static_cast<uint32_t>(wide);
  }
  void get(uint64_t& v) { v = varint(); }
  void get(double& v) {
    if (in_.size() - at_ < 8) return fail();
    uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits |= uint64_t{static_cast<unsigned char>(in_[at_ + i])} << (8 * i);
    at_ += 8;
    std::memcpy(&v, &bits, sizeof v);
  }
  template <class E, std::enable_if_t<std::is_enum_v<E>, int> = 0>
  void get(E& e) {
    const uint64_t v = varint();
    if (v > enum_last(E{})) return fail();
    e = static_cast<E>(v);
  }
  template <class T>
  void get(std::optional<T>& v) {
    bool present = false;
    get(present);
    if (!present) return v.reset();
    v.emplace();
    get(*v);
  }
  template <class T>
  void get(std::vector<T>& items) {
    const uint64_t count = varint();
    if (count > in_.size() - at_) return fail();  // every item takes at least one byte
    items.resize(count);
    for (T& item : items) {
      if (!ok_) return;
      get(item);
    }
  }
  template <class S, class = decltype(members(std::declval<CatalogImageReader&>(), std::declval<S&>()))>
  void get(S& s) {
    members(*this, s);
  }
  void fail() {
    ok_ = false;
    at_ = in_.size();
  }

  std::string_view in_;
  std::string_view text_;
  size_t at_ = 0;
  bool ok_ = true;
};

inline std::string write_catalog_image(const Catalog& catalog, std::string_view text) {
  CatalogImageWriter writer(text);
  writer(catalog);
  return writer.image();
}

inline std::optional<Catalog> read_catalog_image(std::string_view image, std::string_view text) {
  return CatalogImageReader(image, text).read();
}

}  // namespace msgevents::detail
