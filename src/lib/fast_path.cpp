#include "fast_path.hpp"

#include <cmath>
#include <optional>
#include <cstring>
#include <string>
#include <vector>

#include <rapidjson/reader.h>

#include "byte_scan.hpp"
#include "envelope_fields.hpp"  // generated from the catalog
#include "envelope_rules.hpp"
#include "event_parser.hpp"
#include "formats.hpp"
#include "plain_json_reader.hpp"
#include "text_util.hpp"

namespace msgevents::detail {
namespace {

// What the plain reader defers (escapes, exponents, long numbers) RapidJSON reads.
// Recursive, not iterative: the handler refuses anything deeper than kMaxFrames at its Start call,
// before RapidJSON recurses, so the stack stays shallow on any input; and it takes fewer
// instructions. Validating UTF-8, as the full path's reader does.
constexpr unsigned kFlags = rapidjson::kParseInsituFlag | rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseValidateEncodingFlag;
constexpr size_t kMaxUniqueItems = 64;
// The event, actor or payload, and an array of payload items: nothing deeper is a clean event.
constexpr size_t kMaxFrames = 3;

// The kinds of value, as the event parser names them (the content hash is ContentHash's).
using Kind = NodeKind;
constexpr Kind kNull = NodeKind::Null, kFalse = NodeKind::False, kTrue = NodeKind::True, kNumber = NodeKind::Number,
               kString = NodeKind::String;

// The envelope's members, as the catalog lists them (generated/envelope_fields.hpp).
using Envelope = EnvelopeField;

struct Scalar {
  bool present = false;
  Kind kind = kNull;
  std::string_view text;  // decoded string or raw number
  uint32_t offset = 0;    // of the value's first byte (a string's opening quote)
};

enum class Zone : uint8_t { Envelope, Actor, Payload, Items };

struct Frame {
  Zone zone;
  bool object;
  uint64_t hash;      // object: sum of member hashes
  uint64_t key_hash;  // object: the current member's key under the run's key
  ArrayHash items;    // array: its items so far (all scalars on the fast path)
};

}  // namespace

struct FastPath::Impl : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, FastPath::Impl> {
  Impl(const Options& opts, const Catalog& cat) : options(opts), catalog(cat) {
    for (const auto& aggregate : catalog.aggregates) aggregates_by_name.emplace(aggregate.name, &aggregate);
    for (const auto& event : catalog.events) {
      const auto aggregate = aggregates_by_name.find(event.aggregate);
      aggregate_of.push_back(aggregate == aggregates_by_name.end() ? nullptr : aggregate->second);
      creates_only.push_back(aggregate != aggregates_by_name.end() && only_creates(*aggregate->second, event.name));
      std::vector<FieldInfo>& infos = field_infos.emplace_back();
      for (const auto& f : event.fields) {
        FieldInfo info;
        info.format = find_format(f.format);
        info.item_format = find_format(f.item_format);
        info.is_kind = f.name == "kind";
        info.is_id_field = aggregate != aggregates_by_name.end() && f.name == aggregate->second->id_field;
        infos.push_back(info);
      }
    }
  }

  // What the fast path needs of a catalog field, worked out once instead of by string compares.
  struct FieldInfo {
    uint64_t key_hash = 0;  // its name's hash under the run's key
    std::optional<Format> format, item_format;
    bool is_kind = false;      // the sibling a channel_address depends on
    bool is_id_field = false;  // the aggregate's id: aggregate_id must equal it
  };
  std::vector<std::vector<FieldInfo>> field_infos;  // per catalog event, per field of it
  const FieldInfo* info = nullptr;  // of the payload member being read

  const Options& options;
  const Catalog& catalog;
  std::unordered_map<std::string_view, const AggregateSpec*> aggregates_by_name;
  std::vector<const AggregateSpec*> aggregate_of;  // per catalog event
  std::vector<uint8_t> creates_only;               // per catalog event: only_creates(), worked out once
  rapidjson::Reader reader;
  std::string buffer;
  const char* base = nullptr;
  rapidjson::InsituStringStream* stream = nullptr;
  const SipKey* key = nullptr;

  // Member names hash the same in every event: their keyed hashes are made once per key.
  SipKey hashed_under{~0ULL, ~0ULL};
  uint64_t envelope_key_hash[kEnvelopeFieldCount] = {};
  uint64_t actor_type_hash = 0, actor_id_hash = 0;
  void hash_names(const SipKey& k) {
    if (key && k.k0 == hashed_under.k0 && k.k1 == hashed_under.k1) return;
    hashed_under = k;
    key = &hashed_under;
    for (int e = 0; e < kEnvelopeFieldCount; ++e) envelope_key_hash[e] = sip(kEnvelopeFields[e].name);
    actor_type_hash = sip("type");
    actor_id_hash = sip("id");
    for (size_t e = 0; e < catalog.events.size(); ++e) {
      for (size_t i = 0; i < catalog.events[e].fields.size(); ++i) field_infos[e][i].key_hash = sip(catalog.events[e].fields[i].name);
    }
  }

  // The event being read.
  Frame frames[kMaxFrames];
  size_t depth = 0;
  Frame& top() { return frames[depth - 1]; }
  uint64_t root_hash = 0;
  Scalar envelope[kEnvelopeFieldCount];
  int slot = -1;  // the envelope member being read
  Scalar actor_type, actor_id;
  Scalar* actor_slot = nullptr;
  bool actor_seen = false, payload_seen = false;
  const EventSpec* spec = nullptr;
  const AggregateSpec* aggregate = nullptr;
  const FieldSpec* field = nullptr;  // the payload member being read
  std::vector<uint8_t> field_seen;   // per field of the spec
  std::string_view channel_kind, payload_id;
  std::vector<std::pair<const FieldSpec*, std::string_view>> channel_addresses;  // checked once `kind` is known
  uint64_t items = 0;
  std::vector<std::string_view> unique_seen;

  void reset() {
    depth = 0;
    root_hash = 0;
    for (auto& s : envelope) s = Scalar{};
    slot = -1;
    actor_type = actor_id = Scalar{};
    actor_slot = nullptr;
    actor_seen = payload_seen = false;
    spec = nullptr;
    aggregate = nullptr;
    field = nullptr;
    channel_kind = payload_id = {};
    channel_addresses.clear();
  }

  uint32_t here() const { return static_cast<uint32_t>(stream->Tell()); }
  uint64_t sip(std::string_view text) const { return siphash13(*key, text); }

  // A value is complete: fold its hash into its container's.
  void deliver(uint64_t h) {
    if (depth == 0) {
      root_hash = h;
      return;
    }
    Frame& f = top();
    f.hash += ContentHash::member(f.key_hash, h);  // arrays take their items in scalar()
  }

  // ---- SAX events ----------------------------------------------------------------------------

  bool Null() { return scalar(kNull, {}, here() - 4); }
  bool Bool(bool value) { return scalar(value ? kTrue : kFalse, {}, here() - (value ? 4 : 5)); }
  bool RawNumber(const char* text, rapidjson::SizeType length, bool) {
    const std::string_view number(text, length);
    if (number_range(number) != NumberRange::Fits) return false;
    return scalar(kNumber, number, static_cast<uint32_t>(text - base));
  }
  bool String(const char* text, rapidjson::SizeType length, bool) {
    return scalar(kString, std::string_view(text, length), static_cast<uint32_t>(text - base) - 1);
  }

  // Every member of a clean event is a known one (an envelope field, actor.type or .id, a field
  // of the event type), so a member seen twice is a slot filled twice: json.duplicate_key.
  bool Key(const char* text, rapidjson::SizeType length, bool) {
    const std::string_view name(text, length);
    Frame& f = top();
    switch (f.zone) {
      case Zone::Envelope:
        slot = envelope_field_named(name);
        if (slot < 0 || envelope[slot].present || (slot == static_cast<int>(Envelope::Actor) && actor_seen) ||
            (slot == static_cast<int>(Envelope::Payload) && payload_seen)) {
          return false;  // unknown or credential-named (the full path reports it), or a duplicate
        }
        f.key_hash = envelope_key_hash[slot];
        return true;
      case Zone::Actor:
        actor_slot = same_text(name, "type") ? &actor_type : same_text(name, "id") ? &actor_id : nullptr;
        if (!actor_slot || actor_slot->present) return false;
        f.key_hash = actor_slot == &actor_type ? actor_type_hash : actor_id_hash;
        return true;
      case Zone::Payload:
        if (!payload_key(name)) return false;
        f.key_hash = info->key_hash;
        return true;
      case Zone::Items: return false;
    }
    return false;
  }

  bool StartObject() {
    if (depth == 0) return open(Zone::Envelope, true);
    const Frame& f = top();
    if (f.zone != Zone::Envelope) return false;  // no object field in this catalog: full path
    if (slot == static_cast<int>(Envelope::Actor)) {
      actor_seen = true;
      return open(Zone::Actor, true);
    }
    if (slot == static_cast<int>(Envelope::Payload)) {
      // The payload is checked against the event type as it is read: it must come after
      // event_name (producers write it first; otherwise the full path checks the event).
      if (!spec) return false;
      payload_seen = true;
      field_seen.assign(spec->fields.size(), 0);
      next_field = 0;
      return open(Zone::Payload, true);
    }
    return false;
  }
  bool EndObject(rapidjson::SizeType) {
    const Frame f = frames[--depth];
    if (f.zone == Zone::Payload && !payload_complete()) return false;
    if (f.zone == Zone::Envelope && !envelope_complete()) return false;
    deliver(ContentHash::object(f.hash));
    return true;
  }
  bool StartArray() {
    if (depth == 0 || top().zone != Zone::Payload || !field || field->type != JsonType::Array) return false;
    items = 0;
    unique_seen.clear();
    return open(Zone::Items, false);
  }
  bool EndArray(rapidjson::SizeType) {
    const Frame& f = frames[--depth];
    if ((field->min_items && items < *field->min_items) || (field->max_items && items > *field->max_items)) return false;
    deliver(f.items.finish());
    return true;
  }

  bool open(Zone zone, bool object) {
    if (depth >= options.max_depth || depth == kMaxFrames) return false;
    Frame& f = frames[depth++];
    f.zone = zone;
    f.object = object;
    f.hash = 0;
    f.key_hash = 0;
    if (!object) f.items.reset(*key);
    return true;
  }

  bool scalar(Kind kind, std::string_view text, uint32_t offset) {
    if (depth == 0) return false;  // event.not_object
    if (top().zone == Zone::Items) {
      if (!item(kind, text)) return false;
      top().items.item(kind, text);
      return true;
    }
    const uint64_t h = ContentHash::scalar(*key, kind, text);
    bool ok = false;
    switch (top().zone) {
      case Zone::Envelope: {
        Scalar& s = envelope[slot];
        s = {true, kind, text, offset};
        ok = slot != static_cast<int>(Envelope::Actor) && slot != static_cast<int>(Envelope::Payload);
        if (ok && slot == static_cast<int>(Envelope::EventName)) ok = event_name(kind, text);
        break;
      }
      case Zone::Actor:
        *actor_slot = {true, kind, text, offset};
        ok = kind == kString;
        break;
      case Zone::Payload: ok = payload_value(kind, text); break;
      case Zone::Items: break;  // above
    }
    if (ok) deliver(h);
    return ok;
  }

  // ---- the envelope --------------------------------------------------------------------------

  bool event_name(Kind kind, std::string_view name) {
    if (kind != kString) return false;
    spec = nullptr;
    for (const EventSpec& event : catalog.events) {
      if (same_text(event.name, name)) {
        spec = &event;
        break;
      }
    }
    if (!spec) return false;
    aggregate = aggregate_of[static_cast<size_t>(spec - catalog.events.data())];
    return aggregate != nullptr;
  }

  const Scalar& env(Envelope e) const { return envelope[static_cast<size_t>(e)]; }

  bool string_member(Envelope e, bool required) const {
    const Scalar& s = env(e);
    return s.present ? s.kind == kString : !required;
  }

  // Every envelope rule, on the complete event (the full path's check_event and its helpers).
  bool envelope_complete() {
    if (!spec || !aggregate || !actor_seen || !payload_seen) return false;
    for (int e = 0; e < kEnvelopeFieldCount; ++e) {
      if (kEnvelopeFields[e].is_string && !string_member(static_cast<Envelope>(e), kEnvelopeFields[e].required)) return false;
    }
    const EventIdCheck id = check_event_id(env(Envelope::EventId).text);
    if (id.kind == IdKind::None || !id.canonical_case) return false;
    if (!same_text(env(Envelope::AggregateType).text, spec->aggregate)) return false;
    const std::string_view aggregate_id = env(Envelope::AggregateId).text;
    if (!identifier_ok(aggregate_id) || looks_like_contact_data(aggregate_id)) return false;
    if (!same_text(aggregate_id, payload_id)) return false;  // consistency.aggregate_id (the payload always has its id field)
    std::string problem;
    const auto ts = parse_rfc3339(env(Envelope::OccurredAt).text, &problem);
    if (!ts || !ts->utc || ts->offset_form) return false;
    if (options.now_unix_ms && ts->unix_ms > *options.now_unix_ms + kFutureToleranceMs) return false;
    occurred_at_ms = ts->unix_ms;
    if (!actor_ok()) return false;
    if (!version_ok()) return false;
    if (env(Envelope::IdempotencyKey).present && !idempotency_key_ok(env(Envelope::IdempotencyKey).text)) return false;
    if (env(Envelope::SchemaVersion).present && !schema_version_ok(env(Envelope::SchemaVersion).text)) return false;
    return true;
  }
  int64_t occurred_at_ms = 0;
  uint64_t version = 0;

  bool actor_ok() const {
    if (!actor_type.present || (!same_text(actor_type.text, "user") && !same_text(actor_type.text, "system"))) return false;
    if (!actor_id.present || !identifier_ok(actor_id.text)) return false;
    return !looks_like_contact_data(actor_id.text);
  }

  bool version_ok() {
    const Scalar& v = env(Envelope::Version);
    if (!v.present || v.kind != kNumber || !is_integer_text(v.text)) return false;
    const std::optional<uint64_t> value = version_value(v.text);
    if (!value || (*value != 1 && creates_only[static_cast<size_t>(spec - catalog.events.data())])) return false;
    version = *value;
    return true;
  }

  static bool idempotency_key_ok(std::string_view key) { return idempotency_key_problem(key).empty(); }

  bool schema_version_ok(std::string_view value) const {
    uint64_t major = 0, minor = 0;
    return parse_schema_version(value, &major, &minor) && major == spec->schema_version.major && minor <= spec->schema_version.minor;
  }

  // ---- the payload ---------------------------------------------------------------------------

  // Producers write the fields in the catalog's order, so the search starts after the last one found.
  size_t next_field = 0;
  bool payload_key(std::string_view name) {
    field = nullptr;
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
    return field && field->privacy != Privacy::Secret;  // unknown, or a secret: the full path reports it
  }

  bool payload_value(Kind kind, std::string_view text) {
    switch (field->type) {
      case JsonType::String:
        if (kind != kString) return false;
        if (info->is_kind) channel_kind = text;
        if (info->is_id_field) payload_id = text;
        if (info->format == Format::ChannelAddress) {
          channel_addresses.emplace_back(field, text);
          return string_ok(*field, text, std::nullopt);
        }
        return string_ok(*field, text, info->format);
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

  // The full path's check_string finds nothing (the format of a channel_address is checked when
  // the payload's `kind` is known).
  bool string_ok(const FieldSpec& f, std::string_view value, std::optional<Format> format) const {
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
      const uint64_t length = code_points(value);
      if ((f.min_length && length < *f.min_length) || (f.max_length && length > *f.max_length)) return false;
    }
    if (f.privacy == Privacy::Identifier && looks_like_contact_data(value)) return false;
    return !(f.free_text && find_contact_data(value));
  }

  bool payload_complete() {
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
  bool item(Kind kind, std::string_view text) {
    ++items;
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
};

FastPath::FastPath(const Options& options, const Catalog& catalog) : impl_(std::make_unique<Impl>(options, catalog)) {}
FastPath::~FastPath() = default;

bool FastPath::check(std::string_view text, const SipKey& key, EventFacts* facts) {
  Impl& m = *impl_;
  const ByteClasses bytes = classify_bytes(text.data(), text.size());
  if (text.empty() || bytes.has_nul) return false;
  if (!bytes.ascii && !utf8_valid(text.data(), text.size())) return false;  // json.invalid_utf8: the full path says where
  m.hash_names(key);
  // The plain reader reads the event where it is; RapidJSON parses in situ, so it gets a copy.
  rapidjson::InsituStringStream stream(nullptr);
  m.stream = &stream;
  auto read_in = [&](const char* base) {
    m.reset();
    m.base = base;
    stream.src_ = stream.head_ = const_cast<char*>(base);  // the plain reader never writes through it
  };
  read_in(text.data());
  PlainJsonReader<Impl> plain(text.data(), text.data() + text.size(), stream);
  const PlainRead read = plain.read(m);
  bool ok = read == PlainRead::Accepted;
  if (read == PlainRead::Deferred) {
    // A stray control RapidJSON let through (byte_scan.hpp) makes the event the full path's,
    // which says where it is; the plain reader rejects every control in a string itself.
    m.buffer.assign(text.data(), text.size());
    m.buffer.append(16, '\0');  // RapidJSON's SIMD scan reads up to 16 bytes ahead
    read_in(m.buffer.data());
    ok = !m.reader.Parse<kFlags>(stream, m).IsError() && first_stray_control(text.data(), text.size()) == text.size();
  }
  if (!ok || m.depth != 0) return false;

  auto located = [&](FieldLocation& at, Envelope e) {
    const Scalar& s = m.env(e);
    if (!s.present) return;
    at.pointer = envelope_field(e).pointer;
    at.offset = s.offset;
  };
  facts->event_name = m.env(Envelope::EventName).text;
  facts->spec = m.spec;
  facts->aggregate_type = m.env(Envelope::AggregateType).text;
  facts->aggregate_id = m.env(Envelope::AggregateId).text;
  facts->event_id = m.env(Envelope::EventId).text;
  facts->idempotency_key = m.env(Envelope::IdempotencyKey).present ? m.env(Envelope::IdempotencyKey).text : std::string_view();
  facts->version = m.version;
  facts->occurred_at_ms = m.occurred_at_ms;
  located(facts->event_name_at, Envelope::EventName);
  located(facts->event_id_at, Envelope::EventId);
  located(facts->idempotency_key_at, Envelope::IdempotencyKey);
  located(facts->version_at, Envelope::Version);
  located(facts->occurred_at_at, Envelope::OccurredAt);
  facts->content_hash = m.root_hash;
  return true;
}

}  // namespace msgevents::detail
