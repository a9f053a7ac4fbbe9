// The fast path's payload checks: each member looked up among the event type's fields as its key
// is read, each scalar and array item checked as the full path's check_string and check_array
// would, and the required fields and channel addresses decided once the payload is complete.
// Private to the fast path: included by fast_path.cpp alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "fast_path_state.hpp"
#include "formats.hpp"
#include "text_util.hpp"

namespace msgevents::detail {

// A member of the event type (field set), or another one (field null: reported by name); false
// for what the full path reports otherwise (a duplicate, a member classed secret).
inline bool FastPath::Impl::payload_key(std::string_view name) {
  field = nullptr;
  if (!spec) return other_member(Zone::Payload, name);  // an unknown event type's payload
  const size_t n = spec->fields.size();
  for (size_t k = 0; k < n; ++k) {
    const size_t i = (next_field + k) % n;
    if (same_text(spec->fields[i].name, name)) {
      if (field_seen[i]) return false;  // a duplicate
      field = &spec->fields[i];
      info = &field_infos[static_cast<size_t>(spec - catalog.events.data())][i];
      field_seen[i] = 1;
      next_field = i + 1;
      break;
    }
  }
  if (!field) return other_member(Zone::Payload, name);
  if (field->privacy != Privacy::Secret) return true;
  // A field classed secret is reported as any credential-named member is, when it is named as
  // one (scan_all_members), its value unread; else by its class (rare: the full path's).
  if (!is_credential_name(name)) return false;
  field = nullptr;
  return other_member(Zone::Payload, name);
}

inline bool FastPath::Impl::payload_value(Kind kind, std::string_view text, uint32_t offset) {
  if (!field) return true;  // an other member's: only hashed
  switch (field->type) {
    case JsonType::String:
      if (kind != kString) return false;
      if (info->is_kind) channel_kind = text;
      if (info->is_id_field) payload_id = text;
      if (info->format == Format::ChannelAddress) {
        channel_addresses.emplace_back(field, text);
        return string_ok(*field, text, std::nullopt, offset);
      }
      return string_ok(*field, text, info->format, offset);
    case JsonType::Boolean: return kind == kTrue || kind == kFalse;
    case JsonType::Integer:
    case JsonType::Number: {
      if (kind != kNumber || (field->type == JsonType::Integer && !is_integer_text(text))) return false;
      return within_bounds(*field, text);
    }
    case JsonType::Array:
    case JsonType::Object: return false;  // a scalar where a container belongs
  }
  return false;
}

// The full path's check_string finds nothing, or only that an identifier looks like contact data
// (noted); the format of a channel_address is checked when the payload's `kind` is known.
inline bool FastPath::Impl::string_ok(const FieldSpec& f, std::string_view value, std::optional<Format> format, uint32_t offset) {
  const bool pii = f.privacy == Privacy::Pii;
  if (pii && is_redaction_token(value)) return true;
  if (pii && options.profile == Profile::Public) return false;
  if (!f.enum_values.empty()) {
    bool found = false;
    for (const auto& allowed : f.enum_values) found = found || same_text(allowed, value);
    if (!found) return false;
  }
  if (format && !format_ok(*format, value)) return false;
  if (f.min_length || f.max_length) {
    // A text has no more code points than bytes and at least a quarter as many: counted only
    // when its size alone does not tell.
    const uint64_t most = value.size(), least = (value.size() + 3) / 4;
    if ((f.min_length && least < *f.min_length) || (f.max_length && most > *f.max_length)) {
      const uint64_t length = code_points(value);
      if ((f.min_length && length < *f.min_length) || (f.max_length && length > *f.max_length)) return false;
    }
  }
  if (f.privacy == Privacy::Identifier && looks_like_contact_data(value)) {
    contact_identifiers.push_back({static_cast<uint32_t>(&f - spec->fields.data()), offset});
  }
  return !(f.free_text && find_contact_data(value));
}

inline bool FastPath::Impl::payload_complete() {
  if (!spec) return true;  // an unknown event type's payload: only its members' names are checked
  for (size_t i = 0; i < spec->fields.size(); ++i) {
    if (spec->fields[i].required && !field_seen[i]) return false;
  }
  for (const auto& [f, value] : channel_addresses) {
    if (f->privacy == Privacy::Pii && is_redaction_token(value)) continue;
    if (!format_ok(Format::ChannelAddress, value, channel_kind)) return false;
  }
  return true;
}

// One array item (the full path's check_array; items are scalars here).
inline bool FastPath::Impl::item(Kind kind, std::string_view text) {
  ++items;
  if (!field) return true;  // an other member's: only hashed
  const FieldSpec& f = *field;
  const bool is_string = kind == kString, is_number = kind == kNumber;
  if (f.item_type) {
    const bool matches = (*f.item_type == JsonType::String && is_string) || (*f.item_type == JsonType::Number && is_number) ||
                         (*f.item_type == JsonType::Integer && is_number && is_integer_text(text)) ||
                         (*f.item_type == JsonType::Boolean && (kind == kTrue || kind == kFalse));
    if (!matches) return false;
  }
  if (!is_string && !is_number) return true;
  if (f.unique_items) {
    if (unique_seen.size() == kMaxUniqueItems) return false;
    for (std::string_view seen : unique_seen) {
      if (seen == text) return false;
    }
    unique_seen.push_back(text);
  }
  if (!is_string) return true;
  if (f.items_are_aggregate_fields && aggregate) {
    bool found = false;
    for (const auto& attribute : aggregate->attributes) found = found || same_text(attribute, text);
    if (!found) return false;
  }
  if (!f.item_enum.empty()) {
    bool found = false;
    for (const auto& allowed : f.item_enum) found = found || same_text(allowed, text);
    if (!found) return false;
  }
  if (info->item_format) {
    if (!format_ok(*info->item_format, text)) return false;
    if (info->item_format == Format::Identifier && looks_like_contact_data(text)) return false;
  }
  return true;
}

}  // namespace msgevents::detail
