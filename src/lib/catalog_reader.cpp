// The strict JSON reading of catalog_reader.hpp: each problem an error line with its JSON Pointer.
#include "catalog_reader.hpp"

#include <algorithm>
#include <set>
#include <unordered_set>

#include "text_util.hpp"

namespace msgevents::detail {

using Value = rapidjson::Value;

namespace {

// Enough to report every problem of a badly broken catalog without building an unbounded message.
constexpr size_t kMaxErrors = 50;
constexpr int kMaxDepth = 64;

std::string_view type_name(const Value& value) {
  if (value.IsNull()) return "null";
  if (value.IsBool()) return "a boolean";
  if (value.IsObject()) return "an object";
  if (value.IsArray()) return "an array";
  if (value.IsString()) return "a string";
  return "a number";
}

}  // namespace

std::string child(const std::string& pointer, std::string_view key) { return pointer + "/" + pointer_token(key); }

std::string child(const std::string& pointer, size_t index) { return pointer + "/" + std::to_string(index); }

void CatalogReader::error(const std::string& pointer, const std::string& message) {
  if (errors.size() < kMaxErrors) errors.push_back((pointer.empty() ? std::string("/") : pointer) + ": " + message);
}

bool CatalogReader::expect_object(const Value& value, const std::string& pointer, std::string_view what) {
  if (value.IsObject()) return true;
  error(pointer, std::string(what) + " must be an object, not " + std::string(type_name(value)));
  return false;
}

void CatalogReader::check_keys(const Value& object, const std::string& pointer, std::initializer_list<std::string_view> allowed) {
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
    std::string_view key(it->name.GetString(), it->name.GetStringLength());
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string expected;
      for (std::string_view name : allowed) {
        if (!expected.empty()) expected += ", ";
        expected.append(name);
      }
      error(child(pointer, key), "unknown key " + quoted(key) + " (expected one of: " + expected + ")");
    }
  }
}

const Value* CatalogReader::member(const Value& object, const std::string& pointer, std::string_view key, bool required) {
  auto it = object.FindMember(rapidjson::StringRef(key.data(), key.size()));
  if (it == object.MemberEnd()) {
    if (required) error(pointer, "missing required key " + quoted(key));
    return nullptr;
  }
  return &it->value;
}

bool CatalogReader::get_string(const Value& object, const std::string& pointer, std::string_view key, std::string* out,
                               bool required, bool non_empty) {
  const Value* value = member(object, pointer, key, required);
  if (value == nullptr) return false;
  if (!value->IsString()) {
    error(child(pointer, key), std::string(key) + " must be a string, not " + std::string(type_name(*value)));
    return false;
  }
  if (non_empty && value->GetStringLength() == 0) {
    error(child(pointer, key), std::string(key) + " must not be empty");
    return false;
  }
  out->assign(value->GetString(), value->GetStringLength());
  return true;
}

bool CatalogReader::get_bool(const Value& object, const std::string& pointer, std::string_view key, bool* out, bool required) {
  const Value* value = member(object, pointer, key, required);
  if (value == nullptr) return false;
  if (!value->IsBool()) {
    error(child(pointer, key), std::string(key) + " must be true or false, not " + std::string(type_name(*value)));
    return false;
  }
  *out = value->GetBool();
  return true;
}

bool CatalogReader::get_count(const Value& object, const std::string& pointer, std::string_view key, std::optional<uint64_t>* out) {
  const Value* value = member(object, pointer, key, false);
  if (value == nullptr) return false;
  if (!value->IsUint64()) {
    error(child(pointer, key), std::string(key) + " must be a non-negative integer");
    return false;
  }
  *out = value->GetUint64();
  return true;
}

bool CatalogReader::get_number(const Value& object, const std::string& pointer, std::string_view key, std::optional<double>* out) {
  const Value* value = member(object, pointer, key, false);
  if (value == nullptr) return false;
  if (!value->IsNumber()) {
    error(child(pointer, key), std::string(key) + " must be a number, not " + std::string(type_name(*value)));
    return false;
  }
  *out = value->GetDouble();
  return true;
}

bool CatalogReader::get_string_array(const Value& object, const std::string& pointer, std::string_view key,
                                     std::vector<std::string>* out, bool required, bool unique) {
  const Value* value = member(object, pointer, key, required);
  if (value == nullptr) return false;
  std::string here = child(pointer, key);
  if (!value->IsArray()) {
    error(here, std::string(key) + " must be an array of strings, not " + std::string(type_name(*value)));
    return false;
  }
  bool ok = true;
  std::unordered_set<std::string_view> seen;  // views into the document, which outlives this
  for (rapidjson::SizeType i = 0; i < value->Size(); ++i) {
    const Value& item = (*value)[i];
    if (!item.IsString() || item.GetStringLength() == 0) {
      error(child(here, i), "must be a non-empty string");
      ok = false;
      continue;
    }
    std::string text(item.GetString(), item.GetStringLength());
    if (unique && !seen.emplace(item.GetString(), item.GetStringLength()).second) {
      error(child(here, i), "duplicate value " + quoted(text));
      ok = false;
      continue;
    }
    out->push_back(std::move(text));
  }
  return ok;
}

void CatalogReader::check_duplicate_keys(const Value& value, const std::string& pointer, int depth) {
  if (depth > kMaxDepth) {
    error(pointer, "nested deeper than " + std::to_string(kMaxDepth) + " levels");
    return;
  }
  if (value.IsObject()) {
    std::set<std::string_view> seen;
    for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
      std::string_view key(it->name.GetString(), it->name.GetStringLength());
      if (!seen.insert(key).second) error(child(pointer, key), "duplicate key " + quoted(key));
      check_duplicate_keys(it->value, child(pointer, key), depth + 1);
    }
  } else if (value.IsArray()) {
    for (rapidjson::SizeType i = 0; i < value.Size(); ++i) check_duplicate_keys(value[i], child(pointer, i), depth + 1);
  }
}

const Value* CatalogReader::array_member(const Value& object, const std::string& pointer, std::string_view key,
                                         bool required) {
  const Value* value = member(object, pointer, key, required);
  if (value == nullptr) return nullptr;
  if (!value->IsArray()) {
    error(child(pointer, key), std::string(key) + " must be an array, not " + std::string(type_name(*value)));
    return nullptr;
  }
  return value;
}

}  // namespace msgevents::detail
