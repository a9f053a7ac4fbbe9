// Redelivery and identity: stream.duplicate and stream.id_conflict.
// Private to the stream checks: included by stream_checks.cpp alone.
#pragma once

#include "stream_state.hpp"

namespace msgevents::detail {
// Redelivery and identity: a stream.duplicate (true: the event is a redelivery, nothing more to
// check) or a stream.id_conflict, and the event's identities remembered the first time.
MSGEVENTS_HOT bool StreamChecker::State::check_identity(const EventFacts& facts, const IdentityHashes& hashes, std::vector<PendingFinding>& out) {
  State& st = *this;
  // The idempotency_key names the logical event when present; the event_id names one delivery
  // attempt's event and must not be reused for different content.
  const uint64_t idem_key = IdentityTable::normal(hashes.idempotency_key);
  const uint64_t id_key = IdentityTable::normal(hashes.event_id);
  IdentityTable::Place idem_place, id_place;
  constexpr uint64_t kAbsent = IdentityTable::kAbsent;
  const uint64_t by_idem = facts.idempotency_key.empty() ? kAbsent : st.by_idempotency_key.find(idem_key, &idem_place);
  const uint64_t by_id = facts.event_id.empty() ? kAbsent : st.by_event_id.find(id_key, &id_place);
  const bool via_idem = by_idem != kAbsent;
  const uint64_t first = via_idem ? by_idem : by_id;
  if (first != kAbsent) {
    const char* field = via_idem ? "idempotency_key" : "event_id";
    const FieldLocation& at = via_idem ? facts.idempotency_key_at : facts.event_id_at;
    if (st.contents[first] == short_content(facts.content_hash)) {
      [&]() MSGEVENTS_COLD {
        out.push_back(located(MSGEVENTS_RULE("stream.duplicate"),
                              std::string("Redelivery of the event at ") + st.where_is(first) + ": same " + field +
                                  " and same content; a consumer processes it once.",
                              at));
      }();
      // A redelivery changes nothing: the version and lifecycle checks saw it the first time.
      return true;
    }
    [&]() MSGEVENTS_COLD {
      out.push_back(located(MSGEVENTS_RULE("stream.id_conflict"),
                            std::string("The ") + field + " of this event (line " + std::to_string(facts.start.line) +
                                ") is already used by the event at " + st.where_is(first) +
                                " with different content: two different events claim one identity, and a consumer "
                                "deduplicating on it would lose one.",
                            at));
    }();
  }
  const bool new_idem = !facts.idempotency_key.empty() && by_idem == kAbsent;
  const bool new_id = !facts.event_id.empty() && by_id == kAbsent;
  if ((new_idem || new_id) && st.events.size() < kMaxRemembered) {
    const uint32_t number = static_cast<uint32_t>(st.current_event(facts));
    if (new_idem) st.by_idempotency_key.insert(idem_key, number, idem_place);
    if (new_id) st.by_event_id.insert(id_key, number, id_place);
  }
  return false;
}

}  // namespace msgevents::detail
