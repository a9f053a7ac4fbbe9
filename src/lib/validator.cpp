// The validator session: frames the input into events, parses each, checks it against the
// envelope rules and the catalog, then hands its facts to the stream checks.
#include "msgevents/validator.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <unordered_map>

#include "event_framer.hpp"
#include "event_parser.hpp"
#include "envelope_rules.hpp"
#include "fast_path.hpp"
#include "formats.hpp"
#include "msgevents/catalog.hpp"
#include "msgevents/rules.hpp"
#include "stream_checks.hpp"
#include "text_util.hpp"

namespace msgevents {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::Info: return "info";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
    case Severity::Critical: return "critical";
  }
  return "error";
}

std::string_view to_string(Profile profile) { return profile == Profile::Public ? "public" : "internal"; }

std::optional<Profile> parse_profile(std::string_view text) {
  if (text == "internal") return Profile::Internal;
  if (text == "public") return Profile::Public;
  return std::nullopt;
}

std::optional<int64_t> parse_rfc3339_ms(std::string_view text) {
  std::string problem;
  const auto ts = detail::parse_rfc3339(text, &problem);
  if (!ts) return std::nullopt;
  return ts->unix_ms;
}

namespace detail {

Severity FindingFactory::severity_of(RuleId rule) const { return effective_severity(rule_of(rule), options_); }

Finding FindingFactory::make(RuleId rule, std::string message, std::string pointer, const Position& at,
                             int64_t event_index) const {
  Finding finding;
  finding.code = std::string(rule_of(rule).code);
  finding.severity = severity_of(rule);
  finding.message = std::move(message);
  finding.pointer = std::move(pointer);
  finding.line = at.line;
  finding.column = at.column;
  finding.event_index = event_index;
  return finding;
}

}  // namespace detail

namespace {

using detail::kNoNode;
using detail::Node;
using detail::NodeKind;
using detail::Position;


std::string quoted(std::string_view text) { return "\"" + detail::excerpt(text) + "\""; }

using detail::kind_name;

using detail::is_integer_text;
using detail::kFutureToleranceMs;

bool matches_type(const Node& node, JsonType type) {
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

std::string_view type_phrase(JsonType type) {
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

std::string join(const std::vector<std::string>& items, std::string_view separator = ", ") {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

// The catalog name closest to a misspelt one, if it is close enough to be a likely typo.
std::string closest(std::string_view wrong, const std::vector<std::string>& names) {
  std::string best;
  size_t best_distance = SIZE_MAX;
  for (const auto& name : names) {
    const size_t longer = std::max(wrong.size(), name.size());
    const size_t shorter = std::min(wrong.size(), name.size());
    if (longer - shorter >= best_distance || longer - shorter > std::max<size_t>(2, longer / 3)) continue;  // cannot win
    const size_t distance = detail::edit_distance(wrong, name);
    if (distance < best_distance) {
      best_distance = distance;
      best = name;
    }
  }
  const size_t allowed = std::max<size_t>(2, std::max(wrong.size(), best.size()) / 3);
  return best_distance <= allowed ? best : std::string();
}

// A raw finding before its position is known: positions are computed in one pass per event.
struct PendingFinding {
  detail::RuleId rule;
  std::string message;
  std::string pointer;
  uint32_t pointer_node;  // when not kNoNode, the pointer is this node's, built only if listed
  uint64_t offset;        // in the event text
  uint64_t sequence;      // report order, which breaks ties between equal offsets
};

// Position order of an event's findings (a max-heap on it keeps the first ones when capped).
bool earlier(const PendingFinding& a, const PendingFinding& b) {
  return a.offset != b.offset ? a.offset < b.offset : a.sequence < b.sequence;
}

Options with_limits(Options options) {
  constexpr uint64_t kLargestEvent = (uint64_t{1} << 32) - 64;  // node offsets are 32-bit
  options.max_event_bytes = std::min(options.max_event_bytes, kLargestEvent);
  return options;
}
}  // namespace

struct Validator::Impl : detail::FramerSink, detail::PositionResolver {
  explicit Impl(Options opts)
      : options(with_limits(opts)),
        catalog(builtin_catalog()),
        framer(options.max_event_bytes),
        factory(options),
        hash_key(detail::random_sip_key()),
        stream(options, catalog, hash_key),
        fast(options, catalog) {
    for (const auto& event : catalog.events) {
      event_names.push_back(event.name);
      events_by_name.emplace(event.name, &event);
    }
    for (const auto& aggregate : catalog.aggregates) {
      aggregate_names.push_back(aggregate.name);
      aggregates_by_name.emplace(aggregate.name, &aggregate);
    }
  }

  Options options;
  const Catalog& catalog;
  detail::EventFramer framer;
  detail::EventParser parser;
  detail::FindingFactory factory;
  detail::SipKey hash_key;  // this run's, for the content and identity hashes of the stream checks
  detail::StreamChecker stream;
  detail::FastPath fast;
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
  std::vector<PendingFinding> pending;

  void count(Severity severity) {
    switch (severity) {
      case Severity::Critical: ++summary.critical; break;
      case Severity::Error: ++summary.error; break;
      case Severity::Warning: ++summary.warning; break;
      case Severity::Info: ++summary.info; break;
    }
  }
  void add_finding(Finding finding) {
    count(finding.severity);
    findings.push_back(std::move(finding));
  }

  void on_framing_error(const detail::FramingError& error) override {
    if (error.rejects_input) summary.input_rejected = true;
    add_finding(factory.make(error.rule, error.message, "", error.at, -1));
  }

  // Where offset (in the event text) is in the input. Offsets must come in increasing order
  // between calls to reset_cursor(); each call continues the scan from the previous one.
  Position cursor_position;
  uint64_t cursor_offset = 0;
  void reset_cursor() {
    cursor_position = start;
    cursor_offset = 0;
  }
  Position position_of(uint64_t offset) override {
    if (offset < cursor_offset) reset_cursor();
    offset = std::min<uint64_t>(offset, text.size());
    for (; cursor_offset < offset; ++cursor_offset) detail::advance(cursor_position, static_cast<unsigned char>(text[cursor_offset]));
    return cursor_position;
  }

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
  void keep(PendingFinding finding) {
    const uint64_t cap = options.max_findings_per_event;
    if (pending.size() < cap) {
      pending.push_back(std::move(finding));
      if (pending.size() == cap) std::make_heap(pending.begin(), pending.end(), earlier);
      return;
    }
    if (cap == 0 || !earlier(finding, pending.front())) return drop(finding.rule);
    std::pop_heap(pending.begin(), pending.end(), earlier);
    drop(pending.back().rule);
    pending.back() = std::move(finding);
    std::push_heap(pending.begin(), pending.end(), earlier);
  }
  void report(detail::RuleId rule, std::string message, std::string pointer, uint64_t offset) {
    keep({rule, std::move(message), std::move(pointer), kNoNode, offset, sequence++});
  }
  // For findings that can repeat once per node of a large event: the message and the pointer
  // (callables returning std::string) are built only when the finding is listed.
  template <typename Message, typename Pointer>
  void report_lazy(detail::RuleId rule, uint64_t offset, Message&& message, Pointer&& pointer) {
    if (!would_keep(offset)) return drop(rule);
    keep({rule, message(), pointer(), kNoNode, offset, sequence++});
  }
  // The same, with the node's own pointer, built at the end for the findings listed.
  template <typename Message>
  void report_node(detail::RuleId rule, Message&& message, uint32_t node, uint64_t offset) {
    if (!would_keep(offset)) return drop(rule);
    keep({rule, message(), std::string(), node, offset, sequence++});
  }
  void report_at(detail::RuleId rule, std::string message, std::string pointer, uint32_t node) {
    report(rule, std::move(message), std::move(pointer), parser.node(node).begin);
  }

  void on_event(const detail::FramedEvent& event) override {
    index = next_index++;
    ++summary.events;
    start = event.start;
    text = event.text;
    pending.clear();
    omitted_in_event = 0;
    if (event.too_large) {
      record_event({});
      ++summary.events_skipped;
      add_finding(factory.make(MSGEVENTS_RULE("input.event_too_large"),
                               "event of " + std::to_string(event.size) + " bytes is larger than the limit of " +
                                   std::to_string(options.max_event_bytes) + " bytes: skipped unread",
                               "", event.start, index));
      return;
    }
    if (options.fast_path) {
      detail::EventFacts facts;
      if (fast.check(text, hash_key, &facts)) {
        // No finding of its own: only the stream checks remain.
        facts.index = index;
        facts.start = start;
        facts.resolver = this;
        flush_event(&facts);  // no finding of its own to flush: the event's record and its stream checks
        return;
      }
    }
    detail::ParseError error;
    if (!parser.parse(text, options.max_depth, &error)) {
      detail::RuleId code = MSGEVENTS_RULE("json.syntax");
      if (error.failure == detail::ParseFailure::InvalidUtf8) code = MSGEVENTS_RULE("json.invalid_utf8");
      if (error.failure == detail::ParseFailure::NulByte) code = MSGEVENTS_RULE("json.nul_byte");
      if (error.failure == detail::ParseFailure::TooDeep) code = MSGEVENTS_RULE("json.too_deep");
      report(code, error.message, "", error.offset);
      flush_event(nullptr);
      return;
    }
    detail::EventFacts facts;
    check_event(facts);
    flush_event(&facts);
  }

  // Sorts the event's findings by position, computes line and column in one pass, then runs the
  // stream checks, whose findings follow the event's own.
  void flush_event(detail::EventFacts* facts) {
    record_event(facts ? facts->event_name : std::string_view());
    std::sort(pending.begin(), pending.end(), earlier);
    reset_cursor();
    for (auto& p : pending) {
      if (p.pointer_node != kNoNode) p.pointer = parser.pointer(p.pointer_node);
      add_finding(factory.make(p.rule, std::move(p.message), std::move(p.pointer), position_of(p.offset), index));
    }
    pending.clear();
    if (omitted_in_event > 0) {
      summary.findings_omitted += omitted_in_event;
      add_finding(factory.make(MSGEVENTS_RULE("event.findings_truncated"),
                               "this event has " + std::to_string(omitted_in_event + options.max_findings_per_event) +
                                   " findings; only the first " + std::to_string(options.max_findings_per_event) +
                                   " are listed (the summary counts all of them): fix those and validate again",
                               "", start, index));
    }
    if (facts) observe_stream(*facts);
  }

  // The stream checks' findings follow the event's own.
  std::vector<Finding> stream_findings;  // kept between events: no allocation per event
  void observe_stream(const detail::EventFacts& facts) {
    if (!options.stream_checks) return;
    stream_findings.clear();
    stream.observe(facts, stream_findings);
    for (auto& f : stream_findings) add_finding(std::move(f));
  }

  void locate(detail::FieldLocation& location, std::string_view pointer, uint32_t node) {
    if (node == kNoNode) return;
    location.pointer = pointer;
    location.offset = parser.node(node).begin;
  }

  // ---- the checks of one event -------------------------------------------------------------

  // Member names repeat from event to event: remember the verdict for the first few thousand.
  std::deque<std::string> credential_name_store;  // owns the names the map's views point at
  std::unordered_map<std::string_view, bool> credential_names;
  bool is_credential(std::string_view key) {
    const auto found = credential_names.find(key);
    if (found != credential_names.end()) return found->second;
    const bool credential = detail::is_credential_name(key);
    if (credential_names.size() < 4096) credential_names.emplace(credential_name_store.emplace_back(key), credential);
    return credential;
  }

  void check_event(detail::EventFacts& facts) {
    const auto& nodes = parser.nodes();
    facts.index = index;
    facts.start = start;

    for (const auto& duplicate : parser.duplicate_keys()) {
      const Node& node = nodes[duplicate.node];
      report_node(MSGEVENTS_RULE("json.duplicate_key"), [&] {
        return "duplicate member name " + quoted(node.key) + ": readers disagree on which value counts; expected each name once per object";
      }, duplicate.node, node.key_begin);
    }
    for (uint32_t i = 0; i < nodes.size(); ++i) {
      if (nodes[i].kind == NodeKind::Number) check_number_range(i);
    }
    known_members.assign(nodes.size(), 0);
    const Node& root = nodes[0];
    if (root.kind != NodeKind::Object) {
      report(MSGEVENTS_RULE("event.not_object"), "an event must be a JSON object, found " + std::string(kind_name(root.kind)), "", root.begin);
      scan_all_members();
      return;
    }

    // Envelope members, first occurrence of each.
    uint32_t event_name = kNoNode, event_id = kNoNode, aggregate_type = kNoNode, aggregate_id = kNoNode,
             occurred_at = kNoNode, actor = kNoNode, version = kNoNode, idempotency_key = kNoNode,
             schema_version = kNoNode, payload = kNoNode;
    for (uint32_t m = root.first_child; m != kNoNode; m = nodes[m].next_sibling) {
      const std::string_view key = nodes[m].key;
      uint32_t* slot = nullptr;
      if (key == "event_name") slot = &event_name;
      else if (key == "event_id") slot = &event_id;
      else if (key == "aggregate_type") slot = &aggregate_type;
      else if (key == "aggregate_id") slot = &aggregate_id;
      else if (key == "occurred_at") slot = &occurred_at;
      else if (key == "actor") slot = &actor;
      else if (key == "version") slot = &version;
      else if (key == "idempotency_key") slot = &idempotency_key;
      else if (key == "schema_version") slot = &schema_version;
      else if (key == "payload") slot = &payload;
      if (slot) {
        if (*slot == kNoNode) *slot = m;
        known_members[m] = 1;
      } else if (!is_credential(key)) {
        report_lazy(MSGEVENTS_RULE("envelope.unknown_field"), nodes[m].key_begin, [&] {
          return "unknown envelope field " + quoted(key) + ": expected only the envelope fields (event_name, event_id, aggregate_type, aggregate_id, occurred_at, actor, version, idempotency_key, schema_version, payload)";
        }, [&] { return "/" + detail::pointer_token(key); });
      }
    }

    const EventSpec* spec = check_event_name(event_name, facts);
    check_event_id(event_id, facts);
    const AggregateSpec* aggregate = check_aggregate_type(aggregate_type, spec, facts);
    check_aggregate_id(aggregate_id, facts);
    check_occurred_at(occurred_at, facts);
    check_actor(actor);
    check_version(version, spec, aggregate, facts);
    check_idempotency_key(idempotency_key, facts);
    check_schema_version(schema_version, spec);

    if (payload == kNoNode) {
      report(MSGEVENTS_RULE("envelope.payload.missing"), "payload is missing: expected an object with the event type's fields", "/payload", root.begin);
    } else if (nodes[payload].kind != NodeKind::Object) {
      report_at(MSGEVENTS_RULE("envelope.payload.type"), "payload must be an object, found " + std::string(kind_name(nodes[payload].kind)), "/payload", payload);
    } else if (spec) {
      check_payload(payload, *spec, aggregate);
      if (aggregate && aggregate_id != kNoNode && nodes[aggregate_id].kind == NodeKind::String) {
        const uint32_t id_field = parser.member(payload, aggregate->id_field);
        if (id_field != kNoNode && nodes[id_field].kind == NodeKind::String && nodes[id_field].value != nodes[aggregate_id].value) {
          report_at(MSGEVENTS_RULE("consistency.aggregate_id"),
                    "aggregate_id must equal payload." + aggregate->id_field + " (" + quoted(nodes[id_field].value) + "), found " +
                        quoted(nodes[aggregate_id].value),
                    "/aggregate_id", aggregate_id);
        }
      }
    }

    scan_all_members();

    if (options.stream_checks) {
      facts.resolver = this;
      locate(facts.event_name_at, "/event_name", event_name);
      locate(facts.event_id_at, "/event_id", event_id);
      locate(facts.idempotency_key_at, "/idempotency_key", idempotency_key);
      locate(facts.version_at, "/version", version);
      locate(facts.occurred_at_at, "/occurred_at", occurred_at);
      facts.content_hash = parser.content_hash(0, hash_key);
    }
  }

  // Members the checks above recognised (envelope fields, actor.type and actor.id, catalog
  // payload fields that are not secret) are no credentials: only the others are looked at.
  std::vector<uint8_t> known_members;

  // Every member anywhere in the event whose name marks a credential.
  void scan_all_members() {
    const auto& nodes = parser.nodes();
    for (uint32_t i = 0; i < nodes.size(); ++i) {
      const Node& node = nodes[i];
      if (!known_members[i] && node.parent != kNoNode && nodes[node.parent].kind == NodeKind::Object && is_credential(node.key)) {
        report_node(MSGEVENTS_RULE("privacy.secret_field"), [&] {
          return "member " + quoted(node.key) +
                 " looks like a credential: secrets never travel in events (value not shown); send a reference to the secret store instead";
        }, i, node.key_begin);
      }
    }
  }

  void check_number_range(uint32_t i) {
    const Node& node = parser.node(i);
    switch (detail::number_range(node.value)) {
      case detail::NumberRange::Fits: return;
      case detail::NumberRange::NotFinite:
        report_node(MSGEVENTS_RULE("json.number_range"), [&] { return "number " + detail::excerpt(node.value) + " does not fit in a 64-bit float"; }, i, node.begin);
        return;
      case detail::NumberRange::BeyondSafeInteger:
        report_node(MSGEVENTS_RULE("json.number_range"), [&] { return "integer " + detail::excerpt(node.value) + " is beyond 2^53 and is rounded by JavaScript and other readers"; }, i, node.begin);
        return;
    }
  }

  // A string envelope field: reports it missing (with `missing`, when the field is required) or
  // of the wrong type (with `type`); returns the node if it is a string, else kNoNode.
  uint32_t string_field(uint32_t node, std::string_view name, std::optional<detail::RuleId> missing, detail::RuleId type,
                        std::string_view expected) {
    const std::string field(name);
    if (node == kNoNode) {
      if (missing) {
        report(*missing, field + " is missing: expected " + std::string(expected), "/" + field, parser.node(0).begin);
      }
      return kNoNode;
    }
    const Node& n = parser.node(node);
    if (n.kind != NodeKind::String) {
      report_at(type, field + " must be a string (" + std::string(expected) + "), found " + std::string(kind_name(n.kind)),
                "/" + field, node);
      return kNoNode;
    }
    return node;
  }

  const EventSpec* check_event_name(uint32_t node, detail::EventFacts& facts) {
    node = string_field(node, "event_name", MSGEVENTS_RULE("envelope.event_name.missing"), MSGEVENTS_RULE("envelope.event_name.type"),
                        "one of the catalog's event type names, such as \"CustomerCreated\"");
    if (node == kNoNode) return nullptr;
    const std::string_view name = parser.node(node).value;
    facts.event_name = name;
    const auto found = events_by_name.find(name);
    const EventSpec* spec = found == events_by_name.end() ? nullptr : found->second;
    if (!spec) {
      const std::string suggestion = closest(name, event_names);
      report_at(MSGEVENTS_RULE("envelope.event_name.unknown"),
                "unknown event_name " + quoted(name) +
                    (suggestion.empty() ? ": expected one of the catalog's event types (" + join(event_names) + ")"
                                        : ": did you mean \"" + suggestion + "\"?"),
                "/event_name", node);
    }
    facts.spec = spec;
    return spec;
  }

  void check_event_id(uint32_t node, detail::EventFacts& facts) {
    node = string_field(node, "event_id", MSGEVENTS_RULE("envelope.event_id.missing"), MSGEVENTS_RULE("envelope.event_id.type"),
                        "a UUID or a ULID");
    if (node == kNoNode) return;
    const std::string_view id = parser.node(node).value;
    const detail::EventIdCheck check = detail::check_event_id(id);
    if (check.kind == detail::IdKind::None) {
      report_at(MSGEVENTS_RULE("envelope.event_id.format"), "event_id " + quoted(id) + " " + check.problem, "/event_id", node);
      return;
    }
    if (!check.canonical_case) {
      report_at(MSGEVENTS_RULE("envelope.event_id.case"),
                check.kind == detail::IdKind::Uuid ? "event_id is a UUID with upper-case letters: the canonical form is lower case"
                                                   : "event_id is a ULID with lower-case letters: the canonical form is upper case",
                "/event_id", node);
    }
    facts.event_id = id;
  }

  const AggregateSpec* check_aggregate_type(uint32_t node, const EventSpec* spec, detail::EventFacts& facts) {
    node = string_field(node, "aggregate_type", MSGEVENTS_RULE("envelope.aggregate_type.missing"), MSGEVENTS_RULE("envelope.aggregate_type.type"),
                        "one of Customer, Contact, Provider, Channel, Conversation");
    if (node == kNoNode) return spec ? find_aggregate(spec->aggregate) : nullptr;
    const std::string_view type = parser.node(node).value;
    const AggregateSpec* aggregate = find_aggregate(type);
    if (!aggregate) {
      const std::string suggestion = closest(type, aggregate_names);
      report_at(MSGEVENTS_RULE("envelope.aggregate_type.unknown"),
                "unknown aggregate_type " + quoted(type) +
                    (suggestion.empty() ? ": expected one of " + join(aggregate_names) : ": did you mean \"" + suggestion + "\"?"),
                "/aggregate_type", node);
    } else if (spec && spec->aggregate != type) {
      report_at(MSGEVENTS_RULE("consistency.aggregate_type"),
                "aggregate_type is " + quoted(type) + " but " + spec->name + " belongs to the " + spec->aggregate + " aggregate",
                "/aggregate_type", node);
    } else {
      facts.aggregate_type = type;
    }
    if (spec) return find_aggregate(spec->aggregate);
    return aggregate;
  }

  void check_aggregate_id(uint32_t node, detail::EventFacts& facts) {
    node = string_field(node, "aggregate_id", MSGEVENTS_RULE("envelope.aggregate_id.missing"), MSGEVENTS_RULE("envelope.aggregate_id.type"),
                        "the aggregate's stable identifier");
    if (node == kNoNode) return;
    const std::string_view id = parser.node(node).value;
    const std::string problem = detail::identifier_problem(id);
    if (!problem.empty()) {
      report_at(MSGEVENTS_RULE("envelope.aggregate_id.format"), "aggregate_id " + problem + ": expected a stable identifier (1-128 characters, no whitespace)", "/aggregate_id", node);
      return;
    }
    if (detail::looks_like_contact_data(id)) {
      report_at(MSGEVENTS_RULE("privacy.identifier_contact_data"),
                "aggregate_id looks like an e-mail address or phone number (value not shown): use an opaque identifier", "/aggregate_id", node);
    }
    facts.aggregate_id = id;
  }

  void check_occurred_at(uint32_t node, detail::EventFacts& facts) {
    node = string_field(node, "occurred_at", MSGEVENTS_RULE("envelope.occurred_at.missing"), MSGEVENTS_RULE("envelope.occurred_at.type"),
                        "an RFC 3339 UTC date-time such as \"2025-11-05T14:03:27Z\"");
    if (node == kNoNode) return;
    const std::string_view value = parser.node(node).value;
    std::string problem;
    const auto ts = detail::parse_rfc3339(value, &problem);
    if (!ts) {
      report_at(MSGEVENTS_RULE("envelope.occurred_at.format"), "occurred_at " + quoted(value) + " " + problem, "/occurred_at", node);
      return;
    }
    if (!ts->utc) {
      report_at(MSGEVENTS_RULE("envelope.occurred_at.not_utc"),
                "occurred_at " + quoted(value) + " is not in UTC: expected the Z suffix, such as \"2025-11-05T14:03:27Z\"", "/occurred_at", node);
      return;
    }
    if (ts->offset_form) {
      report_at(MSGEVENTS_RULE("envelope.occurred_at.utc_offset"), "occurred_at uses +00:00: UTC is accepted, but the canonical form ends in Z", "/occurred_at", node);
    }
    if (options.now_unix_ms && ts->unix_ms > *options.now_unix_ms + kFutureToleranceMs) {
      const int64_t ahead_s = (ts->unix_ms - *options.now_unix_ms) / 1000;
      report_at(MSGEVENTS_RULE("envelope.occurred_at.future"),
                "occurred_at " + quoted(value) + " is " + std::to_string(ahead_s) +
                    " s after the validating clock: expected a time in the past (at most 5 minutes ahead)",
                "/occurred_at", node);
    }
    facts.occurred_at_ms = ts->unix_ms;
  }

  void check_actor(uint32_t node) {
    const auto& nodes = parser.nodes();
    if (node == kNoNode) {
      report(MSGEVENTS_RULE("envelope.actor.missing"), "actor is missing: expected {\"type\": \"user\" or \"system\", \"id\": stable identifier}", "/actor", nodes[0].begin);
      return;
    }
    if (nodes[node].kind != NodeKind::Object) {
      report_at(MSGEVENTS_RULE("envelope.actor.type"), "actor must be an object {\"type\", \"id\"}, found " + std::string(kind_name(nodes[node].kind)), "/actor", node);
      return;
    }
    const uint32_t type = parser.member(node, "type");
    if (type != kNoNode) known_members[type] = 1;
    if (type == kNoNode) {
      report_at(MSGEVENTS_RULE("envelope.actor.kind"), "actor.type is missing: expected \"user\" or \"system\"", "/actor/type", node);
    } else if (nodes[type].kind != NodeKind::String || (nodes[type].value != "user" && nodes[type].value != "system")) {
      report_at(MSGEVENTS_RULE("envelope.actor.kind"),
                "actor.type must be \"user\" or \"system\", found " +
                    (nodes[type].kind == NodeKind::String ? quoted(nodes[type].value) : std::string(kind_name(nodes[type].kind))),
                "/actor/type", type);
    }
    const uint32_t id = parser.member(node, "id");
    if (id != kNoNode) known_members[id] = 1;
    if (id == kNoNode) {
      report_at(MSGEVENTS_RULE("envelope.actor.id"), "actor.id is missing: expected a stable identifier of the user or system", "/actor/id", node);
    } else if (nodes[id].kind != NodeKind::String) {
      report_at(MSGEVENTS_RULE("envelope.actor.id"), "actor.id must be a string identifier, found " + std::string(kind_name(nodes[id].kind)), "/actor/id", id);
    } else if (const std::string problem = detail::identifier_problem(nodes[id].value); !problem.empty()) {
      report_at(MSGEVENTS_RULE("envelope.actor.id"), "actor.id " + problem + ": expected a stable identifier (1-128 characters, no whitespace)", "/actor/id", id);
    } else if (detail::looks_like_contact_data(nodes[id].value)) {
      report_at(MSGEVENTS_RULE("privacy.identifier_contact_data"),
                "actor.id looks like an e-mail address or phone number (value not shown): use an opaque identifier, never a name, e-mail or phone",
                "/actor/id", id);
    }
    for (uint32_t m = nodes[node].first_child; m != kNoNode; m = nodes[m].next_sibling) {
      const std::string_view key = nodes[m].key;
      if (key != "type" && key != "id" && !is_credential(key)) {
        report_lazy(MSGEVENTS_RULE("envelope.unknown_field"), nodes[m].key_begin, [&] { return "unknown actor field " + quoted(key) + ": expected only type and id"; },
                    [&] { return "/actor/" + detail::pointer_token(key); });
      }
    }
  }

  void check_version(uint32_t node, const EventSpec* spec, const AggregateSpec* aggregate, detail::EventFacts& facts) {
    const auto& nodes = parser.nodes();
    if (node == kNoNode) {
      report(MSGEVENTS_RULE("envelope.version.missing"), "version is missing: expected the aggregate's version after this event, an integer >= 1", "/version", nodes[0].begin);
      return;
    }
    const Node& n = nodes[node];
    if (n.kind != NodeKind::Number || !is_integer_text(n.value)) {
      std::string found = n.kind == NodeKind::Number ? "the number " + detail::excerpt(n.value)
                          : n.kind == NodeKind::String ? "the string " + quoted(n.value)
                                                       : std::string(kind_name(n.kind));
      report_at(MSGEVENTS_RULE("envelope.version.type"), "version must be a JSON integer, found " + found, "/version", node);
      return;
    }
    const std::string_view digits = n.value;
    const std::optional<uint64_t> in_range = detail::version_value(digits);
    if (!in_range) {
      report_at(MSGEVENTS_RULE("envelope.version.range"), "version " + detail::excerpt(digits) + " is out of range: expected 1 to 9007199254740991", "/version", node);
      return;
    }
    const uint64_t value = *in_range;
    facts.version = value;
    if (spec && aggregate && value != 1 && detail::only_creates(*aggregate, spec->name)) {
      report_at(MSGEVENTS_RULE("consistency.create_version"),
                spec->name + " creates the " + aggregate->name + ": expected version 1, found " + std::to_string(value), "/version", node);
    }
  }

  void check_idempotency_key(uint32_t node, detail::EventFacts& facts) {
    node = string_field(node, "idempotency_key", std::nullopt, MSGEVENTS_RULE("envelope.idempotency_key.type"),
                        "1 to 255 printable characters");
    if (node == kNoNode) return;
    const std::string_view key = parser.node(node).value;
    const std::string problem = detail::idempotency_key_problem(key);
    if (!problem.empty()) {
      report_at(MSGEVENTS_RULE("envelope.idempotency_key.format"), "idempotency_key " + problem + ": expected 1 to 255 printable characters", "/idempotency_key", node);
      return;
    }
    facts.idempotency_key = key;
  }

  void check_schema_version(uint32_t node, const EventSpec* spec) {
    node = string_field(node, "schema_version", std::nullopt, MSGEVENTS_RULE("envelope.schema_version.type"),
                        "MAJOR.MINOR such as \"1.0\"");
    if (node == kNoNode) return;
    const std::string_view value = parser.node(node).value;
    uint64_t major = 0, minor = 0;
    if (!detail::parse_schema_version(value, &major, &minor)) {
      report_at(MSGEVENTS_RULE("envelope.schema_version.format"), "schema_version " + quoted(value) + " is not MAJOR.MINOR such as \"1.0\"", "/schema_version", node);
      return;
    }
    if (!spec) return;
    const std::string declared = std::to_string(spec->schema_version.major) + "." + std::to_string(spec->schema_version.minor);
    if (major != spec->schema_version.major) {
      report_at(MSGEVENTS_RULE("envelope.schema_version.unsupported"),
                "schema_version " + quoted(value) + " is not a version of " + spec->name + " this catalog defines: expected " + declared,
                "/schema_version", node);
    } else if (minor > spec->schema_version.minor) {
      report_at(MSGEVENTS_RULE("envelope.schema_version.newer"),
                "schema_version " + quoted(value) + " is newer than this catalog's " + spec->name + " (" + declared + "): fields it added are not checked",
                "/schema_version", node);
    }
  }

  // ---- payload ----------------------------------------------------------------------------

  std::vector<uint32_t> field_nodes;  // per catalog field of the event type, its member (or kNoNode)

  void check_payload(uint32_t payload, const EventSpec& spec, const AggregateSpec* aggregate) {
    const auto& nodes = parser.nodes();
    // One pass over the members matches them to the catalog's fields (first occurrence wins, as
    // everywhere) and reports those the catalog does not define.
    field_nodes.assign(spec.fields.size(), kNoNode);
    for (uint32_t m = nodes[payload].first_child; m != kNoNode; m = nodes[m].next_sibling) {
      const std::string_view key = nodes[m].key;
      size_t index = 0;
      while (index < spec.fields.size() && spec.fields[index].name != key) ++index;
      if (index < spec.fields.size()) {
        if (field_nodes[index] == kNoNode) field_nodes[index] = m;
        if (spec.fields[index].privacy != Privacy::Secret) known_members[m] = 1;
      } else if (!is_credential(key)) {
        report_lazy(MSGEVENTS_RULE("payload.unknown_field"), nodes[m].key_begin, [&] { return "payload field " + quoted(key) + " is not defined for " + spec.name; },
                    [&] { return "/payload/" + detail::pointer_token(key); });
      }
    }
    for (size_t index = 0; index < spec.fields.size(); ++index) {
      const FieldSpec& field = spec.fields[index];
      const uint32_t node = field_nodes[index];
      if (node == kNoNode) {
        if (field.required) {
          report(MSGEVENTS_RULE("payload.required"), spec.name + " requires payload." + field.name + " (" + std::string(type_phrase(field.type)) + ")",
                 field_pointer(field), nodes[payload].begin);
        }
        continue;
      }
      if (field.privacy == Privacy::Secret) {
        if (!detail::is_credential_name(field.name)) {
          report(MSGEVENTS_RULE("privacy.secret_field"),
                 "payload." + field.name + " is classed secret in the catalog: it is never allowed in an event (value not shown)",
                 field_pointer(field), nodes[node].key_begin);
        }
        continue;
      }
      check_value(node, field, payload, aggregate);
    }
  }

  // Pointers are built only when a finding needs one: most fields of most events are fine.
  static std::string field_pointer(const FieldSpec& field) { return "/payload/" + detail::pointer_token(field.name); }

  void check_value(uint32_t node, const FieldSpec& field, uint32_t payload, const AggregateSpec* aggregate) {
    const Node& n = parser.node(node);
    if (!matches_type(n, field.type)) {
      std::string found = n.kind == NodeKind::Null ? "null (leave an optional field out instead)" : std::string(kind_name(n.kind));
      if (field.type == JsonType::Integer && n.kind == NodeKind::Number) found = "the number " + detail::excerpt(n.value);
      report_at(MSGEVENTS_RULE("payload.type"), "payload." + field.name + " must be " + std::string(type_phrase(field.type)) + ", found " + found,
                field_pointer(field), node);
      return;
    }
    if (n.kind == NodeKind::String) {
      check_string(node, field, payload);
    } else if (n.kind == NodeKind::Number) {
      const double value = std::strtod(std::string(n.value).c_str(), nullptr);
      if ((field.minimum && value < *field.minimum) || (field.maximum && value > *field.maximum)) {
        std::string bounds = field.minimum ? ">= " + detail::excerpt(std::to_string(*field.minimum), 12) : "";
        if (field.maximum) bounds += (bounds.empty() ? "<= " : " and <= ") + detail::excerpt(std::to_string(*field.maximum), 12);
        report_at(MSGEVENTS_RULE("payload.range"), "payload." + field.name + " is " + detail::excerpt(n.value) + ": expected " + bounds, field_pointer(field), node);
      }
    } else if (n.kind == NodeKind::Array) {
      check_array(node, field, aggregate);
    }
  }

  // The format problem of a payload value (detail::format_problem), with the sibling `kind` a
  // channel_address depends on.
  std::string format_problem(std::string_view format, std::string_view value, uint32_t payload) {
    std::string_view kind;
    if (format == "channel_address" && payload != kNoNode) {
      const uint32_t node = parser.member(payload, "kind");
      if (node != kNoNode && parser.node(node).kind == NodeKind::String) kind = parser.node(node).value;
    }
    return detail::format_problem(format, value, kind);
  }

  void check_string(uint32_t node, const FieldSpec& field, uint32_t payload) {
    const std::string_view value = parser.node(node).value;
    const bool pii = field.privacy == Privacy::Pii;
    if (pii && detail::is_redaction_token(value)) return;  // redacted: nothing left to check
    if (pii && options.profile == Profile::Public) {
      report_at(MSGEVENTS_RULE("privacy.pii_in_public"),
                "payload." + field.name + " is personal data in clear on a public stream (value not shown): expected a redaction token (msgevents redact)",
                field_pointer(field), node);
    }
    auto shown = [&] { return pii ? std::string("value") : quoted(value); };  // never echo personal data
    if (!field.enum_values.empty() &&
        std::find(field.enum_values.begin(), field.enum_values.end(), value) == field.enum_values.end()) {
      const std::string suggestion = closest(value, field.enum_values);
      report_at(MSGEVENTS_RULE("payload.enum"),
                "payload." + field.name + " " + shown() + " is not one of " + join(field.enum_values) +
                    (suggestion.empty() ? "" : " (did you mean \"" + suggestion + "\"?)"),
                field_pointer(field), node);
    }
    if (!field.format.empty()) {
      const std::string problem = format_problem(field.format, value, payload);
      if (!problem.empty()) report_at(MSGEVENTS_RULE("payload.format"), "payload." + field.name + " " + shown() + " " + problem, field_pointer(field), node);
    }
    const uint64_t length = (field.min_length || field.max_length) ? detail::code_points(value) : 0;
    if ((field.min_length && length < *field.min_length) || (field.max_length && length > *field.max_length)) {
      report_at(MSGEVENTS_RULE("payload.length"),
                "payload." + field.name + " is " + std::to_string(length) + " characters long: expected " +
                    (field.min_length ? "at least " + std::to_string(*field.min_length) : "") +
                    (field.min_length && field.max_length ? " and " : "") +
                    (field.max_length ? "at most " + std::to_string(*field.max_length) : ""),
                field_pointer(field), node);
    }
    if (field.privacy == Privacy::Identifier && detail::looks_like_contact_data(value)) {
      report_at(MSGEVENTS_RULE("privacy.identifier_contact_data"),
                "payload." + field.name + " looks like an e-mail address or phone number (value not shown): identifiers must be opaque", field_pointer(field), node);
    }
    if (field.free_text) {
      if (const auto what = detail::find_contact_data(value)) {
        report_at(MSGEVENTS_RULE("privacy.contact_data_in_text"),
                  "payload." + field.name + " contains what looks like " + std::string(*what) + " (not shown): keep contact data out of free text",
                  field_pointer(field), node);
      }
    }
  }

  void check_array(uint32_t node, const FieldSpec& field, const AggregateSpec* aggregate) {
    const auto& nodes = parser.nodes();
    const std::string pointer = field_pointer(field);
    const Node& array = nodes[node];
    if ((field.min_items && array.child_count < *field.min_items) || (field.max_items && array.child_count > *field.max_items)) {
      report_at(MSGEVENTS_RULE("payload.items"),
                "payload." + field.name + " has " + std::to_string(array.child_count) + " items: expected " +
                    (field.min_items ? "at least " + std::to_string(*field.min_items) : "") +
                    (field.min_items && field.max_items ? " and " : "") +
                    (field.max_items ? "at most " + std::to_string(*field.max_items) : ""),
                pointer, node);
    }
    std::unordered_map<std::string_view, uint32_t> seen;
    uint32_t position = 0;
    for (uint32_t item = array.first_child; item != kNoNode; item = nodes[item].next_sibling, ++position) {
      const Node& n = nodes[item];
      // A huge array can hold a bad item at every position: messages and pointers are built
      // only for the findings listed (report_lazy).
      const auto item_pointer = [&] { return pointer + "/" + std::to_string(position); };
      const auto item_name = [&] { return "payload." + field.name + "[" + std::to_string(position) + "]"; };
      if (field.item_type && !matches_type(n, *field.item_type)) {
        report_lazy(MSGEVENTS_RULE("payload.items"), n.begin, [&] {
          return item_name() + " must be " + std::string(type_phrase(*field.item_type)) + ", found " + std::string(kind_name(n.kind));
        }, item_pointer);
        continue;
      }
      if (n.kind != NodeKind::String && n.kind != NodeKind::Number) continue;
      if (field.unique_items) {
        const auto [at, inserted] = seen.emplace(n.value, position);
        if (!inserted) {
          const uint32_t first = at->second;
          report_lazy(MSGEVENTS_RULE("payload.items"), n.begin, [&] {
            return item_name() + " repeats item " + std::to_string(first) + ": expected unique items";
          }, item_pointer);
        }
      }
      if (n.kind != NodeKind::String) continue;
      if (field.items_are_aggregate_fields && aggregate &&
          std::find(aggregate->attributes.begin(), aggregate->attributes.end(), n.value) == aggregate->attributes.end()) {
        report_lazy(MSGEVENTS_RULE("payload.changed_fields"), n.begin, [&] {
          const std::string suggestion = closest(n.value, aggregate->attributes);
          return item_name() + " " + quoted(n.value) + " is not an attribute of " + aggregate->name +
                 (suggestion.empty() ? ": expected one of " + join(aggregate->attributes) : " (did you mean \"" + suggestion + "\"?)");
        }, item_pointer);
      }
      if (!field.item_enum.empty() && std::find(field.item_enum.begin(), field.item_enum.end(), n.value) == field.item_enum.end()) {
        report_lazy(MSGEVENTS_RULE("payload.items"), n.begin, [&] { return item_name() + " " + quoted(n.value) + " is not one of " + join(field.item_enum); },
                    item_pointer);
      }
      if (!field.item_format.empty()) {
        const std::string problem = format_problem(field.item_format, n.value, kNoNode);
        if (!problem.empty()) {
          report_lazy(MSGEVENTS_RULE("payload.items"), n.begin, [&] { return item_name() + " " + quoted(n.value) + " " + problem; }, item_pointer);
        }
        if (field.item_format == "identifier" && detail::looks_like_contact_data(n.value)) {
          report_lazy(MSGEVENTS_RULE("privacy.identifier_contact_data"), n.begin,
                      [&] { return item_name() + " looks like an e-mail address or phone number (value not shown)"; }, item_pointer);
        }
      }
    }
  }
};

Validator::Validator(Options options) : impl_(std::make_unique<Impl>(options)) {}
Validator::~Validator() = default;
Validator::Validator(Validator&&) noexcept = default;
Validator& Validator::operator=(Validator&&) noexcept = default;

void Validator::push(std::string_view bytes) {
  if (impl_->finished) return;
  impl_->framer.push(bytes, *impl_);
}

std::vector<Finding> Validator::drain() {
  std::vector<Finding> out;
  out.swap(impl_->findings);
  return out;
}

std::vector<EventRecord> Validator::drain_events() {
  std::vector<EventRecord> out;
  out.swap(impl_->events);
  return out;
}

Report Validator::finish() {
  Report report;
  if (!impl_->finished) {
    impl_->finished = true;
    impl_->framer.finish(*impl_);
    if (impl_->options.stream_checks) {
      std::vector<Finding> stream_findings;
      impl_->stream.finish(stream_findings, report.aggregates, impl_->options.max_aggregate_summaries, &report.aggregates_omitted);
      for (auto& f : stream_findings) impl_->add_finding(std::move(f));
    }
  }
  report.summary = impl_->summary;
  report.findings = drain();
  return report;
}

const Summary& Validator::summary() const { return impl_->summary; }
uint64_t Validator::bytes_pushed() const { return impl_->framer.bytes_seen(); }

Report validate(std::string_view input, const Options& options) {
  Validator validator(options);
  validator.push(input);
  return validator.finish();
}

}  // namespace msgevents
