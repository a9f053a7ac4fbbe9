// What every typed event shares: the envelope, the actor, and the clock and random source that
// make() draws a new event's id and time from. The event types themselves are generated from the
// catalog into <msgevents/events.hpp>, which includes this header; include that one.
//
//   msgevents::events::SystemClock clock;
//   msgevents::events::SystemRandom random;
//   std::string id = msgevents::events::new_event_id(clock.now_unix_ms(), random);  // UUIDv7
//
// Tests pass a fixed clock and a seeded random source instead, so what make() gives is the same
// on every run.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace msgevents::events {

enum class ActorType { User, System };

constexpr std::string_view to_string(ActorType type) { return type == ActorType::User ? "user" : "system"; }

// parse<Enum>(text): the enumerator whose catalog value is `text` exactly, or nullopt. Defined
// for ActorType here and for every enum of <msgevents/events.hpp>; no other type has one.
template <class Enum>
std::optional<Enum> parse(std::string_view text) = delete;

template <>
inline std::optional<ActorType> parse<ActorType>(std::string_view text) {
  if (text == "user") return ActorType::User;
  if (text == "system") return ActorType::System;
  return std::nullopt;
}

// Who caused the change, by a stable opaque id (never a name, e-mail address or phone number).
struct Actor {
  ActorType type = ActorType::System;
  std::string id;

  bool operator==(const Actor& other) const { return type == other.type && id == other.id; }
  bool operator!=(const Actor& other) const { return !(*this == other); }
};

// The envelope fields an event carries besides event_name and aggregate_type, which its C++ type
// already says (each event struct has them as static constexpr members).
struct Envelope {
  std::string event_id;      // UUID (v7 from make()) or ULID
  std::string aggregate_id;  // equals the payload's id field (customer_id, contact_id, ...)
  std::string occurred_at;   // RFC 3339 in UTC, canonical: ends in "Z" (parse() turns "+00:00" into "Z")
  Actor actor;
  uint64_t version = 1;  // the aggregate's version after this event: 1 for a creating event
  std::optional<std::string> idempotency_key;
  // MAJOR.MINOR of the event type's definition; absent means the catalog's current version.
  std::optional<std::string> schema_version;

  bool operator==(const Envelope& other) const {
    return event_id == other.event_id && aggregate_id == other.aggregate_id && occurred_at == other.occurred_at &&
           actor == other.actor && version == other.version && idempotency_key == other.idempotency_key &&
           schema_version == other.schema_version;
  }
  bool operator!=(const Envelope& other) const { return !(*this == other); }
};

// The caller's clock. The library never reads the time itself: make() asks this.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t now_unix_ms() const = 0;  // milliseconds since the Unix epoch
};

// The caller's source of random bits for the event ids.
class Random {
 public:
  virtual ~Random() = default;
  virtual uint64_t next_u64() = 0;  // 64 uniformly random bits
};

// std::chrono::system_clock.
class SystemClock final : public Clock {
 public:
  int64_t now_unix_ms() const override;
};

// std::random_device: the operating system's random source.
class SystemRandom final : public Random {
 public:
  uint64_t next_u64() override;

 private:
  std::random_device device_;
};

// A UUID version 7 (RFC 9562 section 5.7): the 48-bit Unix time in milliseconds, then 74 random
// bits from `random`, in canonical lower-case text. Ids made later sort after ids made earlier
// (to the millisecond). `unix_ms` is clamped to 0 .. 2^48-1.
std::string new_event_id(int64_t unix_ms, Random& random);

// `unix_ms` as occurred_at text: "YYYY-MM-DDTHH:MM:SS.mmmZ". Clamped to years 0000 to 9999.
std::string format_occurred_at(int64_t unix_ms);

}  // namespace msgevents::events
