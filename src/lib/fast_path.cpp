#include "fast_path.hpp"

#include <cstdint>
#include <cstring>
#include <string_view>

#include <rapidjson/reader.h>

#include "byte_scan.hpp"
#include "envelope_fields.hpp"  // generated from the catalog
#include "fast_path_envelope.hpp"
#include "fast_path_payload.hpp"
#include "fast_path_state.hpp"
#include "plain_json_reader.hpp"
#include "text_util.hpp"

// The reader's half of the fast path: the SAX events that route each member to its zone
// (envelope, actor, payload, items) and each value to its check, and check(), which runs the plain
// reader (RapidJSON for what it defers) and hands the facts on.
namespace msgevents::detail {

inline bool FastPath::Impl::Null() { return scalar(kNull, {}, here() - 4); }
inline bool FastPath::Impl::Bool(bool value) { return scalar(value ? kTrue : kFalse, {}, here() - (value ? 4 : 5)); }
inline bool FastPath::Impl::RawNumber(const char* text, rapidjson::SizeType length, bool) {
  const std::string_view number(text, length);
  if (number_range(number) != NumberRange::Fits) return false;
  return scalar(kNumber, number, static_cast<uint32_t>(text - base));
}
inline bool FastPath::Impl::String(const char* text, rapidjson::SizeType length, bool) {
  return scalar(kString, std::string_view(text, length), static_cast<uint32_t>(text - base) - 1);
}

// A known member (an envelope field, actor.type or .id, a field of the event type) seen twice is
// a slot filled twice, and another member seen twice is in `others` already: json.duplicate_key.
inline bool FastPath::Impl::Key(const char* text, rapidjson::SizeType length, bool) {
  const std::string_view name(text, length);
  Frame& f = top();
  switch (f.zone) {
    case Zone::Envelope:
      slot = envelope_field_named(name);
      if (slot < 0) {
        slot = kOtherSlot;
        return other_member(Zone::Envelope, name);
      }
      if (envelope[slot].present || (slot == static_cast<int>(Envelope::Actor) && actor_seen) ||
          (slot == static_cast<int>(Envelope::Payload) && payload_seen)) {
        return false;  // a duplicate
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
      if (field) f.key_hash = info->key_hash;  // else other_member() set it
      return true;
    case Zone::Items: return false;
  }
  return false;
}

inline bool FastPath::Impl::StartObject() {
  const uint32_t begin = here() - 1;
  if (depth == 0) {
    root_begin = begin;
    return open(Zone::Envelope, true);
  }
  const Frame& f = top();
  if (f.zone != Zone::Envelope) return false;  // no object field in this catalog: full path
  if (slot == static_cast<int>(Envelope::Actor)) {
    actor_seen = true;
    actor_begin = begin;
    return open(Zone::Actor, true);
  }
  if (slot == static_cast<int>(Envelope::Payload)) {
    // The payload is checked against the event type as it is read: it must come after
    // event_name (producers write it first; otherwise the full path checks the event).
    if (!spec && !unknown_name) return false;
    payload_seen = true;
    if (kStreamPrefetch && prefetcher) prefetch_stream();
    if (spec) field_seen.assign(spec->fields.size(), 0);
    next_field = 0;
    return open(Zone::Payload, true);
  }
  return false;
}
inline bool FastPath::Impl::EndObject(rapidjson::SizeType) {
  const Frame f = frames[--depth];
  if (f.zone == Zone::Payload && !payload_complete()) return false;
  if (f.zone == Zone::Envelope && !envelope_complete()) return false;
  deliver(ContentHash::object(f.hash));
  return true;
}
// An array is a payload member's value: of an array field, or of an other member (field null).
inline bool FastPath::Impl::StartArray() {
  if (depth == 0 || top().zone != Zone::Payload || (field && field->type != JsonType::Array)) return false;
  items = 0;
  unique_seen.clear();
  return open(Zone::Items, false);
}
inline bool FastPath::Impl::EndArray(rapidjson::SizeType) {
  const Frame& f = frames[--depth];
  if (field && ((field->min_items && items < *field->min_items) || (field->max_items && items > *field->max_items))) return false;
  deliver(f.items.finish());
  return true;
}

inline bool FastPath::Impl::open(Zone zone, bool object) {
  if (depth >= options.max_depth || depth == kMaxFrames) return false;
  Frame& f = frames[depth++];
  f.zone = zone;
  f.object = object;
  f.hash = 0;
  f.key_hash = 0;
  if (!object) f.items.reset(*key);
  return true;
}

inline bool FastPath::Impl::scalar(Kind kind, std::string_view text, uint32_t offset) {
  if (depth == 0) return false;  // event.not_object
  if (top().zone == Zone::Items) {
    if (!item(kind, text)) return false;
    top().items.item(kind, text);
    return true;
  }
  const uint64_t text_hash = ContentHash::text_hash(*key, kind, text);
  const uint64_t h = ContentHash::scalar_of(kind, text_hash);
  bool ok = false;
  switch (top().zone) {
    case Zone::Envelope: {
      Scalar& s = envelope[slot];
      s = {true, kind, text, offset, text_hash};
      ok = slot != static_cast<int>(Envelope::Actor) && slot != static_cast<int>(Envelope::Payload);
      if (ok && slot == static_cast<int>(Envelope::EventName)) ok = event_name(kind, text);
      break;
    }
    case Zone::Actor:
      *actor_slot = {true, kind, text, offset};  // of any kind: envelope_complete() reports what is wrong
      ok = true;
      break;
    case Zone::Payload: ok = payload_value(kind, text, offset); break;
    case Zone::Items: break;  // above
  }
  if (ok) deliver(h);
  return ok;
}

FastPath::FastPath(const Options& options, const Catalog& catalog) : impl_(std::make_unique<Impl>(options, catalog)) {}
FastPath::~FastPath() = default;

FastVerdict FastPath::check(std::string_view text, const SipKey& key, EventFacts* facts, std::vector<PendingFinding>* findings,
                            const StreamChecker* prefetcher) {
  Impl& m = *impl_;
  m.prefetcher = prefetcher;
  findings->clear();
  const ByteClasses bytes = classify_bytes(text.data(), text.size());
  if (text.empty() || bytes.has_nul) return FastVerdict::FullPath;
  if (!bytes.ascii && !utf8_valid(text.data(), text.size())) return FastVerdict::FullPath;  // json.invalid_utf8: the full path says where
  m.found = findings;
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
  m.in_place = true;
  PlainJsonReader<Impl> plain(text.data(), text.data() + text.size(), stream);
  const PlainRead read = plain.read(m);
  bool ok = read == PlainRead::Accepted;
  if (read == PlainRead::Deferred) {
    // Out of line: RapidJSON's reader, inlined, was most of this function's code, for what the
    // plain reader seldom defers.
    ok = [&]() __attribute__((cold, noinline)) {
      // A stray control RapidJSON let through (byte_scan.hpp) makes the event the full path's,
      // which says where it is; the plain reader rejects every control in a string itself.
      m.in_place = false;
      m.buffer.assign(text.data(), text.size());
      m.buffer.append(16, '\0');  // RapidJSON's SIMD scan reads up to 16 bytes ahead
      read_in(m.buffer.data());
      return !m.reader.Parse<kFlags>(stream, m).IsError() && first_stray_control(text.data(), text.size()) == text.size();
    }();
  }
  if (!ok || m.depth != 0) {
    findings->clear();
    return FastVerdict::FullPath;
  }

  auto located = [&](FieldLocation& at, Envelope e) {
    const Scalar& s = m.env(e);
    if (!s.present) return;
    at.pointer = envelope_field(e).pointer;
    at.offset = s.offset;
  };
  facts->event_name = m.env(Envelope::EventName).text;
  facts->spec = m.spec;
  facts->aggregate_type = m.env(Envelope::AggregateType).text;
  // As the full path, only the valid values (aggregate_type and idempotency_key are, or the event
  // is the full path's).
  facts->aggregate_id = m.aggregate_id_valid ? m.env(Envelope::AggregateId).text : std::string_view();
  facts->event_id = m.event_id_valid ? m.env(Envelope::EventId).text : std::string_view();
  facts->idempotency_key = m.env(Envelope::IdempotencyKey).present ? m.env(Envelope::IdempotencyKey).text : std::string_view();
  facts->version = m.version;
  facts->occurred_at_ms = m.occurred_at_ms;
  located(facts->event_name_at, Envelope::EventName);
  located(facts->event_id_at, Envelope::EventId);
  located(facts->idempotency_key_at, Envelope::IdempotencyKey);
  located(facts->version_at, Envelope::Version);
  located(facts->occurred_at_at, Envelope::OccurredAt);
  facts->content_hash = m.root_hash;
  // The identities' hashes (identity_hashes()), made as their values were read.
  auto identity_hash = [&](std::string_view fact, Envelope e) { return fact.empty() ? m.empty_text_hash : m.env(e).text_hash; };
  facts->hashes.event_id = identity_hash(facts->event_id, Envelope::EventId);
  facts->hashes.idempotency_key = identity_hash(facts->idempotency_key, Envelope::IdempotencyKey);
  facts->hashes.aggregate_id = identity_hash(facts->aggregate_id, Envelope::AggregateId);
  facts->hashed = true;
  return findings->empty() ? FastVerdict::Clean : FastVerdict::Findings;
}

bool FastPath::read_in_place() const { return impl_->in_place; }

}  // namespace msgevents::detail
