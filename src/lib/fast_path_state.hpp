// FastPath::Impl: what the fast path holds while it reads one event (the SAX handler the plain
// reader and RapidJSON drive), and the declarations of its checks. The SAX events are defined in
// fast_path.cpp, the envelope's checks in fast_path_envelope.hpp, the payload's in
// fast_path_payload.hpp; all inline, so the readers' template instances inline them as before.
// Private to the fast path: included by fast_path.cpp (through those two headers) alone.
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
#include "formats.hpp"

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
};

enum class Zone : uint8_t { Envelope, Actor, Payload, Items };

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
  const char* base = nullptr;
  rapidjson::InsituStringStream* stream = nullptr;

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

  // ---- the envelope (fast_path_envelope.hpp) -------------------------------------------------

  bool event_name(Kind kind, std::string_view name);
  const Scalar& env(Envelope e) const { return envelope[static_cast<size_t>(e)]; }
  bool string_member(Envelope e, bool required) const {
    const Scalar& s = env(e);
    return s.present ? s.kind == kString : !required;
  }
  bool envelope_complete();
  int64_t occurred_at_ms = 0;
  uint64_t version = 0;
  bool actor_ok() const;
  bool version_ok();
  static bool idempotency_key_ok(std::string_view key);
  bool schema_version_ok(std::string_view value) const;

  // ---- the payload (fast_path_payload.hpp) ---------------------------------------------------

  // Producers write the fields in the catalog's order, so the search starts after the last one found.
  size_t next_field = 0;
  bool payload_key(std::string_view name);
  bool payload_value(Kind kind, std::string_view text);
  bool string_ok(const FieldSpec& f, std::string_view value, std::optional<Format> format) const;
  bool payload_complete();
  bool item(Kind kind, std::string_view text);
};

}  // namespace msgevents::detail
