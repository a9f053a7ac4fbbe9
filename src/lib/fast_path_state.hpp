// FastPath::Impl: what the fast path holds while it reads one event (the SAX handler the plain
// reader and RapidJSON drive), and the declarations of its checks. The SAX events are defined in
// fast_path.cpp, the envelope's checks in fast_path_envelope.hpp, the payload's in
// fast_path_payload.hpp; all inline, so the readers' template instances inline them as before.
// What only an event with findings needs is out of line, in fast_path_findings.cpp.
// Private to the fast path: included by fast_path.cpp and fast_path_findings.cpp (through those
// headers) alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <rapidjson/reader.h>

#include "envelope_fields.hpp"  // generated from the catalog
#include "event_parser.hpp"
#include "fast_path.hpp"
#include "fast_path_tables.hpp"
#include "finding_factory.hpp"
#include "formats.hpp"
#include "rule_table.hpp"

namespace msgevents::detail {
namespace fast {

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
  uint64_t text_hash = 0;  // of a string or number: its SipHash under the run's key
};

enum class Zone : uint8_t { Envelope, Actor, Payload, Items };

// A member the catalog does not name where it is: an unknown envelope or payload member, a
// credential-named one, or any member of the payload of an unknown event type. The full path
// reports it by name (or, in an unknown type's payload, only if it is a credential); its value
// is a scalar or an array of scalars, only hashed.
struct OtherMember {
  Zone zone;  // Envelope or Payload
  bool credential;
  std::string_view name;
  uint32_t offset;  // of its key's opening quote
};
constexpr size_t kMaxOtherMembers = 32;
// The envelope slot an other member's value goes to (past the fields', read by no check): no
// branch for it where every scalar is stored.
constexpr int kOtherSlot = kEnvelopeFieldCount;

struct Frame {
  Zone zone;
  bool object;
  uint64_t hash;      // object: sum of member hashes
  uint64_t key_hash;  // object: the current member's key under the run's key
  ArrayHash items;    // array: its items so far (all scalars on the fast path)
};

}  // namespace fast

using namespace fast;  // NOLINT: a private header, as the unnamed namespace it replaces

struct FastPath::Impl : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, FastPath::Impl>, Tables {
  Impl(const Options& opts, const Catalog& cat) : Tables(cat), options(opts) {}

  const FieldInfo* info = nullptr;  // of the payload member being read

  const Options& options;
  rapidjson::Reader reader;
  std::string buffer;
  bool in_place = true;  // the last event was read where it is, not from `buffer`
  const char* base = nullptr;
  rapidjson::InsituStringStream* stream = nullptr;

  // The event being read.
  Frame frames[kMaxFrames];
  size_t depth = 0;
  Frame& top() { return frames[depth - 1]; }
  uint64_t root_hash = 0;
  Scalar envelope[kEnvelopeFieldCount + 1];
  int slot = kOtherSlot;  // the envelope member being read
  uint32_t root_begin = 0, actor_begin = 0;  // offsets of their '{': where a missing member is reported
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
  // What the event's findings are made of: they are made once it is complete (envelope_complete).
  bool unknown_name = false;  // event_name is a string the catalog does not know: spec stays null
  std::vector<OtherMember> others;
  struct FieldNote {
    uint32_t field;   // index in spec->fields
    uint32_t offset;  // of its value
  };
  std::vector<FieldNote> contact_identifiers;  // payload identifiers that look like contact data
  std::vector<PendingFinding>* found = nullptr;  // the event's findings, in the full path's report order
  const StreamChecker* prefetcher = nullptr;      // check()'s: told the event's identities as its payload begins

  void reset() {
    depth = 0;
    root_hash = 0;
    for (auto& s : envelope) s = Scalar{};
    slot = kOtherSlot;
    actor_type = actor_id = Scalar{};
    actor_slot = nullptr;
    actor_seen = payload_seen = false;
    spec = nullptr;
    aggregate = nullptr;
    field = nullptr;
    channel_kind = payload_id = {};
    channel_addresses.clear();
    unknown_name = false;
    others.clear();
    contact_identifiers.clear();
    event_id_valid = aggregate_id_valid = false;
    occurred_at_ms.reset();
    version.reset();
    found->clear();
  }

  uint32_t here() const { return static_cast<uint32_t>(stream->Tell()); }

  // A value is complete: fold its hash into its container's.
  void deliver(uint64_t h) {
    if (depth == 0) {
      root_hash = h;
      return;
    }
    Frame& f = top();
    f.hash += ContentHash::member(f.key_hash, h);  // arrays take their items in scalar()
  }

  // ---- SAX events (fast_path.cpp) ------------------------------------------------------------

  bool Null();
  bool Bool(bool value);
  bool RawNumber(const char* text, rapidjson::SizeType length, bool);
  bool String(const char* text, rapidjson::SizeType length, bool);
  bool Key(const char* text, rapidjson::SizeType length, bool);
  bool StartObject();
  bool EndObject(rapidjson::SizeType);
  bool StartArray();
  bool EndArray(rapidjson::SizeType);
  bool open(Zone zone, bool object);
  bool scalar(Kind kind, std::string_view text, uint32_t offset);
  // Records a member the catalog does not name there (OtherMember) and its key's hash; false
  // for a duplicate. `name` points into the text read (its key's opening quote is before it).
  bool other_member(Zone zone, std::string_view name);
  void note(RuleId rule, std::string message, std::string pointer, uint32_t offset) {
    found->push_back({rule, std::move(message), std::move(pointer), kNoPointerNode, offset, found->size()});
  }

  // ---- the envelope (fast_path_envelope.hpp) -------------------------------------------------

  bool event_name(Kind kind, std::string_view name);
  const Scalar& env(Envelope e) const { return envelope[static_cast<size_t>(e)]; }
  // The stream checks' slots of the identities read so far (a member not read yet hashes as 0: a
  // wasted prefetch, no more), so that they are loaded while the payload is checked.
  void prefetch_stream() const {
    IdentityHashes hashes;
    hashes.event_id = env(Envelope::EventId).text_hash;
    hashes.idempotency_key = env(Envelope::IdempotencyKey).text_hash;
    hashes.aggregate_id = env(Envelope::AggregateId).text_hash;
    prefetcher->prefetch(hashes, env(Envelope::AggregateType).text, spec);
  }
  bool string_member(Envelope e, bool required) const {
    const Scalar& s = env(e);
    return s.present ? s.kind == kString : !required;
  }
  // On the complete event: false when it is the full path's; else its findings are in *found.
  bool envelope_complete();
  bool envelope_clean();  // the common case, decided without noting anything
  bool envelope_findings();
  bool envelope_readable() const;
  // The facts the full path sets only for a valid value.
  bool event_id_valid = false, aggregate_id_valid = false;
  std::optional<int64_t> occurred_at_ms;
  std::optional<uint64_t> version;
  void note_identity();
  void note_occurred_at();
  void note_actor();
  void note_version();
  void note_members();
  bool schema_version_ok(std::string_view value) const;

  // ---- the payload (fast_path_payload.hpp) ---------------------------------------------------

  // Producers write the fields in the catalog's order, so the search starts after the last one found.
  size_t next_field = 0;
  bool payload_key(std::string_view name);
  bool payload_value(Kind kind, std::string_view text, uint32_t offset);
  bool string_ok(const FieldSpec& f, std::string_view value, std::optional<Format> format, uint32_t offset);
  bool payload_complete();
  bool item(Kind kind, std::string_view text);
};

}  // namespace msgevents::detail
