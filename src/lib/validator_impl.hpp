// The validator's state and its parts, shared by the files that implement them:
//   validator.cpp        the session: framing, parsing, the fast path, finding order and limits,
//                        positions, the stream checks, the public Validator API;
//   envelope_checks.cpp  the event as a whole and its envelope fields;
//   payload_checks.cpp   the payload against the catalog's fields of the event type.
// Private to the library (src/lib): nothing outside those three files includes it.
#pragma once

#include "msgevents/validator.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#ifndef __EMSCRIPTEN__
#include "check_pool.hpp"
#endif
#include "event_batch.hpp"
#include "event_framer.hpp"
#include "event_parser.hpp"
#include "envelope_fields.hpp"  // generated from the catalog
#include "envelope_rules.hpp"
#include "fast_path.hpp"
#include "finding_messages.hpp"
#include "formats.hpp"
#include "msgevents/catalog.hpp"
#include "msgevents/rules.hpp"
#include "rule_table.hpp"
#include "stream_checks.hpp"
#include "text_util.hpp"

namespace msgevents {

using detail::kNoNode;
using detail::Node;
using detail::NodeKind;
using detail::Position;
using detail::kind_name;
using detail::is_integer_text;
using detail::kFutureToleranceMs;

namespace validation {

inline std::string quoted(std::string_view text) { return detail::quoted_excerpt(text); }

inline bool matches_type(const Node& node, JsonType type) {
  switch (type) {
    case JsonType::String: return node.kind == NodeKind::String;
    case JsonType::Integer: return node.kind == NodeKind::Number && is_integer_text(node.value);
    case JsonType::Number: return node.kind == NodeKind::Number;
    case JsonType::Boolean: return node.kind == NodeKind::True || node.kind == NodeKind::False;
    case JsonType::Object: return node.kind == NodeKind::Object;
    case JsonType::Array: return node.kind == NodeKind::Array;
  }
  return false;
}

inline std::string_view type_phrase(JsonType type) {
  switch (type) {
    case JsonType::String: return "a string";
    case JsonType::Integer: return "an integer";
    case JsonType::Number: return "a number";
    case JsonType::Boolean: return "a boolean";
    case JsonType::Object: return "an object";
    case JsonType::Array: return "an array";
  }
  return "a value";
}

inline std::string join(const std::vector<std::string>& items, std::string_view separator = ", ") {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

// The catalog name closest to a misspelt one, if it is close enough to be a likely typo.
inline std::string closest(std::string_view wrong, const std::vector<std::string>& names) {
  return std::string(detail::closest_name(wrong, names));
}

// The per-event checks report detail::PendingFinding (finding_factory.hpp), whose pointer_node
// is one of the parser's nodes.
static_assert(detail::kNoPointerNode == kNoNode, "a pending finding's pointer_node is a parser node");

inline Options with_limits(Options options) {
  constexpr uint64_t kLargestEvent = (uint64_t{1} << 32) - 64;  // node offsets are 32-bit
  options.max_event_bytes = std::min(options.max_event_bytes, kLargestEvent);
  return options;
}

}  // namespace validation

struct Validator::Impl : detail::FramerSink, detail::BatchWorker {
  // A worker's checker (Options::jobs) shares the session's hash key: content hashes of events
  // checked on different threads are compared by the stream checks. Defined out of line
  // (validator.cpp), so the parts that make an Impl share one copy of it.
  explicit Impl(Options opts, const detail::SipKey* shared_key = nullptr);
  ~Impl() override;

  Options options;
  const Catalog& catalog;
  detail::EventFramer framer;
  detail::EventParser parser;
  detail::FindingFactory factory;
  detail::SipKey hash_key;  // this run's, for the content and identity hashes of the stream checks
  detail::StreamChecker stream;
  detail::FastPath fast;
  std::vector<detail::PendingFinding> fast_findings;  // the fast path's, kept between events: no allocation per event
  std::vector<std::string> event_names;
  std::vector<std::string> aggregate_names;
  std::unordered_map<std::string_view, const EventSpec*> events_by_name;  // looked up for every event
  std::unordered_map<std::string_view, const AggregateSpec*> aggregates_by_name;
  const AggregateSpec* find_aggregate(std::string_view name) const {
    const auto found = aggregates_by_name.find(name);
    return found == aggregates_by_name.end() ? nullptr : found->second;
  }

  std::vector<Finding> findings;  // since the last drain
  std::vector<EventRecord> events;  // since the last drain_events (Options::list_events)
  void record_event(std::string_view name) {
    if (options.list_events) events.push_back({index, std::string(name), start.line, start.column});
  }
  Summary summary;
  int64_t next_index = 0;
  bool finished = false;

  // The event being checked.
  std::string_view text;
  Position start;
  int64_t index = 0;
  std::vector<detail::PendingFinding> pending;

  void count(Severity severity);
  void add_finding(Finding finding) {
    count(finding.severity);
    list(std::move(finding));
  }
  // Lists a finding already counted, within options.max_findings for the run: beyond it, one
  // input.findings_limit where the limit was reached, then only the count. A worker checking a
  // batch lists as many as the session may still list (the session applies the limit as it
  // merges, in input order: Batch::list_budget), and only counts the others.
  uint64_t findings_listed = 0;
  bool findings_limit_reached = false;
  uint64_t batch_budget = 0;  // the batch being checked, when capturing
  uint64_t list_budget() const {  // what a batch merged now may list
    if (findings_limit_reached) return 0;
    const uint64_t left = options.max_findings - std::min(findings_listed, options.max_findings);
    return left == UINT64_MAX ? left : left + 1;
  }
  uint64_t handed_out_budget() const { return std::min(list_budget(), detail::kBatchListCap); }
  void list(Finding finding) {
    if (capturing ? findings_listed < batch_budget : findings_listed < options.max_findings) {
      ++findings_listed;
      findings.push_back(std::move(finding));
      return;
    }
    ++summary.findings_omitted;
    if (!capturing && !findings_limit_reached) note_findings_limit(finding);  // the session says where
  }
  void note_findings_limit(const Finding& first_omitted);
  // Once the limit was reached (and said), what an event finds is only counted: its messages,
  // pointers and positions need not be built.
  bool only_counting() const { return capturing ? findings_listed >= batch_budget : findings_limit_reached; }

  void on_framing_error(const detail::FramingError& error) override;

  // Where offset (in the event text) is in the input: how the session places the pending findings
  // of the event's own checks and of the stream checks. Each call continues the scan from the
  // previous one (from the event's start again, after reset_cursor() or for an earlier offset).
  Position cursor_position;
  uint64_t cursor_offset = 0;
  void reset_cursor() {
    cursor_position = start;
    cursor_offset = 0;
  }
  Position position_of(uint64_t offset);

  // One event lists at most options.max_findings_per_event findings, the first in position
  // order; the others are counted (summary and a closing event.findings_truncated) but not kept,
  // so no event can hold more than a fixed number in memory. `pending` turns into a max-heap on
  // position order once full: each later finding either replaces the last kept one or is dropped.
  uint64_t sequence = 0;
  uint64_t omitted_in_event = 0;
  // Whether a finding at this offset would be listed (it is earlier than the last one kept).
  bool would_keep(uint64_t offset) const {
    return pending.size() < options.max_findings_per_event || (!pending.empty() && offset < pending.front().offset);
  }
  void drop(detail::RuleId rule) {
    ++omitted_in_event;
    count(factory.severity_of(rule));
  }
  void keep(detail::PendingFinding finding);
  void report(detail::RuleId rule, std::string message, std::string pointer, uint64_t offset) {
    keep({rule, std::move(message), std::move(pointer), kNoNode, offset, sequence++});
  }
  // For findings that can repeat once per node of a large event: the message and the pointer
  // (callables returning std::string) are built only when the finding is listed.
  template <typename Message, typename Pointer>
  void report_lazy(detail::RuleId rule, uint64_t offset, Message&& message, Pointer&& pointer) {
    if (!would_keep(offset)) return drop(rule);
    if (only_counting()) return keep({rule, std::string(), std::string(), kNoNode, offset, sequence++});
    keep({rule, message(), pointer(), kNoNode, offset, sequence++});
  }
  // The same, with the node's own pointer, built at the end for the findings listed.
  template <typename Message>
  void report_node(detail::RuleId rule, Message&& message, uint32_t node, uint64_t offset) {
    if (!would_keep(offset)) return drop(rule);
    keep({rule, only_counting() ? std::string() : message(), std::string(), node, offset, sequence++});
  }
  void report_at(detail::RuleId rule, std::string message, std::string pointer, uint32_t node) {
    report(rule, std::move(message), std::move(pointer), parser.node(node).begin);
  }

  void on_event(const detail::FramedEvent& event) override;
  // Every check of one event on its own; then its findings are listed and its facts go to the
  // stream checks (or to the batch being checked, on a worker).
  void check_framed(const detail::FramedEvent& event, int64_t event_index);

  // ---- parallel validation (parallel_session.cpp, range_cutting.cpp, event_batch.hpp) --------

  // The session: frames, fills `batch`, submits it, merges the batches back in input order.
  unsigned jobs = 1;
  bool hand_out = false;  // Validator::handing_out_batches
  // What the session does with framed events when it batches them, set only by the parts that
  // batch (jobs > 1, handing_out_batches): reached through these pointers, the batching code is
  // not linked into a build that never batches (the WebAssembly validator module).
  struct Batching {
    void (*push)(Impl&, std::string_view bytes);  // Validator::push
    void (*event)(Impl&, const detail::FramedEvent&, int64_t event_index);
    void (*framing_error)(Impl&, Finding);
    void (*merge_done)(Impl&);  // merges the batches checked meanwhile, without waiting
    void (*finish)(Impl&);      // frames the rest, then checks and merges every batch left
  };
  const Batching* batching = nullptr;
  static const Batching kBatching;  // parallel_session.cpp
  std::unique_ptr<detail::Batch> batch;  // being filled
#ifndef __EMSCRIPTEN__
  std::unique_ptr<detail::CheckPool> pool;  // started with the first full batch
#endif
  std::unique_ptr<Impl> inline_checker;  // for an input of one batch, or when no thread starts
  void check_inline(detail::Batch& work);
  // handing_out_batches: full batches wait in `ready` for take_batch(), then in `taken` for their
  // results (a handful at a time: a vector, erased at the front).
  std::vector<std::unique_ptr<detail::Batch>> ready, taken;
  bool input_closed = false;
  std::optional<std::string> take_batch();
  bool merge_batch(std::string_view results);
  void close_input();
  void batch_event(const detail::FramedEvent& event, int64_t event_index);
  void batch_framing_error(Finding finding);
  Options checker_options() const {
    Options checker = options;
    checker.jobs = 1;
    return checker;
  }
  void submit_batch(bool last);
  void merge_done(bool wait);

  // Ranges (event_batch.hpp): once the framer has seen the input is NDJSON and stands at a line
  // start, push() only cuts the bytes into ranges of whole lines, which checkers frame; a line
  // longer than options.max_event_bytes is skipped unkept, as the framer would (its size goes
  // with the next range). JSON arrays and sequences are framed here, event by event.
  // range_cutting.cpp, but frame_range (parallel_session.cpp).
  void batch_push(std::string_view bytes);
  bool ranging = false;
  uint64_t bytes_ranged = 0;     // pushed since ranging began (the framer saw the others)
  std::string range_bytes;       // lines not cut into a range yet (copied from pushes)
  // Lines of pushes that last (Validator::push_lasting) not cut into a range yet: where the
  // caller keeps them, one view while each such push follows the last in memory (the pushes of
  // one mapped file). At most one of range_bytes and lasting_lines holds lines.
  std::string_view lasting_lines;
  bool pushing_lasting = false;  // in push_lasting()
  uint64_t range_offset = 0;     // where range_bytes (or the line being skipped) begins
  std::optional<detail::SkippedLine> skipping;  // a line too large to keep, still being passed over
  bool skipping_content = false;  // a byte other than whitespace has come on the skipped line
  std::optional<detail::SkippedLine> skipped;   // the last one, which the next range opens with
  uint64_t range_line = 1;       // the line the next range to merge begins on
  void range_push(std::string_view bytes);
  void lasting_range_push(std::string_view bytes);  // of push_lasting(), following lasting_lines
  void keep_lasting_lines();  // copies lasting_lines into range_bytes (a push that does not last)
  // Submits them; returns the bytes it cut. `lend`: the lines stay where they are until finish()
  // returns (push_lasting), so each range is lent to its checker (Batch::lent), not copied.
  size_t cut_whole_ranges(std::string_view lines, bool lend);
  // When the last line of `lines`, not ended yet, is larger than an event may be: submits the
  // lines before it and passes over it (skip_line_bytes). True when it took every line.
  bool skip_a_last_line_too_large(std::string_view lines, bool lend);
  void end_ranges();
  void submit_range(std::string_view lines, bool last, bool lend = false);
  void submit_range_text(std::string lines, bool last, std::string_view lent = {});  // lent, if any, else lines
  void hand_over_range_bytes();
  void skip_line_bytes(std::string_view& bytes);
  void frame_range(detail::Batch& work);  // a checker's
#ifndef __EMSCRIPTEN__
  // Checks the oldest batch no worker has taken here, or else waits for the oldest in flight;
  // then merges what is done.
  void help_or_wait();
#endif
  void merge(detail::Batch& checked);
  void merge_results(detail::Batch& checked);  // merge()'s, once the batch's results are whole
  void merge_rest(const detail::Batch& checked);
  void finish_batches();
  // A worker: checks a batch's events, capturing their facts instead of running the stream checks.
  void check(detail::Batch& work) override;
  detail::Batch* capturing = nullptr;
  detail::BatchEvent* capturing_event = nullptr;

  // Sorts the event's findings by position, computes line and column in one pass, then runs the
  // stream checks, whose findings follow the event's own.
  // `lasting`: the facts' views are into bytes that stay where they are until the push returns,
  // so their stream checks may be held back until then.
  void flush_event(detail::EventFacts* facts, bool lasting = false);
  void list_pending();  // flush_event's, when the event has findings
  // check_framed's rare cases, out of line: an event too large to read, and the full path.
  void skip_too_large(const detail::FramedEvent& event);
  void check_full();

  // The stream checks' findings follow the event's own: the session places them (position_of)
  // in the text of the event whose facts they are.
  std::vector<detail::PendingFinding> stream_findings;  // kept between events: no allocation per event
  void observe_stream(const detail::EventFacts& facts);
  void list_stream_findings(int64_t event_index);

  // The stream checks of the last few events the fast path read, held back until
  // StreamChecker::kMaxWarmed of them are waiting, so that the table slots they will read are
  // loaded together (StreamChecker::warm): their cache misses, one or two per event on a long
  // stream, then overlap instead of each stalling the event it belongs to. The checks still run
  // in input order, and before anything else is listed (another event's own findings, an error
  // of the framing, the end of a push), so the report is the same byte for byte. Only in a
  // session that checks its own events (no batches), and only for facts whose views are into
  // the pushed bytes, which stay where they are until the push returns: not those of the full
  // path (into the parser), of an event the fast path read from its copy (FastPath::read_in_place)
  // or of a line the framer put together from two pushes, each of which the next event may
  // overwrite. A push that throws drops what it held back (PushScope, validator.cpp).
  std::string_view pushed;  // the bytes of the push being framed (Validator::push)
  std::array<detail::EventFacts, detail::StreamChecker::kMaxWarmed> deferred;
  std::array<std::string_view, detail::StreamChecker::kMaxWarmed> deferred_text;
  size_t deferred_count = 0;
  bool may_defer() const { return options.stream_checks && !batching && !capturing; }
  void observe_deferred();  // runs the checks held back, if any

  void locate(detail::FieldLocation& location, std::string_view pointer, uint32_t node);

  // ---- the checks of one event -------------------------------------------------------------

  // Member names repeat from event to event: remember the verdict for the first few thousand.
  std::deque<std::string> credential_name_store;  // owns the names the map's views point at
  std::unordered_map<std::string_view, bool> credential_names;
  bool is_credential(std::string_view key);

  // ---- envelope_checks.cpp -----------------------------------------------------------------

  // A string envelope field: reports it missing (with `missing`, when the field is required) or
  // of the wrong type (with `type`); returns the node if it is a string, else kNoNode.
  uint32_t string_field(uint32_t node, detail::EnvelopeField field, std::optional<detail::RuleId> missing, detail::RuleId type);
  void check_event(detail::EventFacts& facts);
  // What JSON itself allows but readers disagree on: duplicate member names, numbers out of range.
  void check_json_level();
  // The node of each envelope member (the first, if one is there twice), kNoNode if absent; the
  // event's other members are credentials or envelope.unknown_field.
  struct EnvelopeMembers {
    EnvelopeMembers() { std::fill(std::begin(node), std::end(node), kNoNode); }
    uint32_t operator[](detail::EnvelopeField field) const { return node[static_cast<int>(field)]; }
    uint32_t node[detail::kEnvelopeFieldCount];
  };
  EnvelopeMembers envelope_members(const detail::Node& root);
  // The payload against its event type, and aggregate_id against the payload's id field.
  void check_payload_member(const EnvelopeMembers& m, const EventSpec* spec, const AggregateSpec* aggregate);
  // Every member anywhere in the event whose name marks a credential.
  void scan_all_members();
  void check_number_range(uint32_t i);
  // A number inside an array (packed: event_parser.hpp).
  void check_packed_number_range(uint32_t array, std::string_view value, uint32_t begin, uint32_t position);
  const EventSpec* check_event_name(uint32_t node, detail::EventFacts& facts);
  void check_event_id(uint32_t node, detail::EventFacts& facts);
  const AggregateSpec* check_aggregate_type(uint32_t node, const EventSpec* spec, detail::EventFacts& facts);
  void check_aggregate_id(uint32_t node, detail::EventFacts& facts);
  void check_occurred_at(uint32_t node, detail::EventFacts& facts);
  void check_actor(uint32_t node);
  void check_version(uint32_t node, const EventSpec* spec, const AggregateSpec* aggregate, detail::EventFacts& facts);
  void check_idempotency_key(uint32_t node, detail::EventFacts& facts);
  void check_schema_version(uint32_t node, const EventSpec* spec);

  // ---- payload_checks.cpp ------------------------------------------------------------------

  void check_payload(uint32_t payload, const EventSpec& spec, const AggregateSpec* aggregate);
  void check_value(uint32_t node, const FieldSpec& field, uint32_t payload, const AggregateSpec* aggregate);
  // The format problem of a payload value (detail::format_problem), with the sibling `kind` a
  // channel_address depends on.
  std::string format_problem(std::string_view format, std::string_view value, uint32_t payload);
  void check_string(uint32_t node, const FieldSpec& field, uint32_t payload);
  void check_array(uint32_t node, const FieldSpec& field, const AggregateSpec* aggregate);

  // Members the checks above recognised (envelope fields, actor.type and actor.id, catalog
  // payload fields that are not secret) are no credentials: only the others are looked at. The
  // unknown members of the event and its payload were already looked at, so their verdict is
  // kept too (a wide object's names are not folded and matched twice).
  static constexpr uint8_t kNotSeen = 0, kNoCredential = 1, kCredential = 2;
  std::vector<uint8_t> known_members;  // per node
  std::vector<uint32_t> field_nodes;  // per catalog field of the event type, its member (or kNoNode)
  // Pointers are built only when a finding needs one: most fields of most events are fine.
  static std::string field_pointer(const FieldSpec& field) { return "/payload/" + detail::pointer_token(field.name); }
};

}  // namespace msgevents
