// The checks of an event as a whole (its top level, duplicate keys, credentials anywhere, number
// ranges) and of its envelope fields, each against the catalog: part of Validator::Impl
// (validator_impl.hpp).
#include "validator_impl.hpp"

namespace msgevents {

using namespace validation;
using Field = detail::EnvelopeField;  // the envelope's members, as the catalog lists them
using detail::envelope_field;

uint32_t Validator::Impl::string_field(uint32_t node, Field field, std::optional<detail::RuleId> missing, detail::RuleId type) {
  // The field's name is made into text only for a finding: this runs for every envelope field.
  const std::string_view name = envelope_field(field).name, expected = detail::envelope_expectation(field);
  const auto pointer = [&] { return "/" + std::string(name); };
  if (node == kNoNode) {
    if (missing) report_lazy(*missing, parser.node(0).begin, [&] { return detail::missing_field_message(field); }, pointer);
    return kNoNode;
  }
  const Node& n = parser.node(node);
  if (n.kind != NodeKind::String) {
    report_at(type, std::string(name) + " must be a string (" + std::string(expected) + "), found " + std::string(kind_name(n.kind)),
              pointer(), node);
    return kNoNode;
  }
  return node;
}

namespace {

// Most numbers are short: they fit (number_range would say so too, at more cost).
detail::NumberRange range_of(std::string_view number) {
  return detail::EventParser::is_long_number(number) ? detail::number_range(number) : detail::NumberRange::Fits;
}

std::string number_range_message(std::string_view number, detail::NumberRange range) {
  return range == detail::NumberRange::NotFinite
             ? "number " + detail::excerpt(number) + " does not fit in a 64-bit float"
             : "integer " + detail::excerpt(number) + " is beyond 2^53 and is rounded by JavaScript and other readers";
}

}  // namespace

void Validator::Impl::check_event(detail::EventFacts& facts) {
  const auto& nodes = parser.nodes();
  facts.index = index;
  facts.start = start;
  check_json_level();
  known_members.assign(nodes.size(), kNotSeen);
  const Node& root = nodes[0];
  if (root.kind != NodeKind::Object) {
    report(MSGEVENTS_RULE("event.not_object"), "an event must be a JSON object, found " + std::string(kind_name(root.kind)), "", root.begin);
    scan_all_members();
    return;
  }

  const EnvelopeMembers m = envelope_members(root);
  const EventSpec* spec = check_event_name(m[Field::EventName], facts);
  check_event_id(m[Field::EventId], facts);
  const AggregateSpec* aggregate = check_aggregate_type(m[Field::AggregateType], spec, facts);
  check_aggregate_id(m[Field::AggregateId], facts);
  check_occurred_at(m[Field::OccurredAt], facts);
  check_actor(m[Field::Actor]);
  check_version(m[Field::Version], spec, aggregate, facts);
  check_idempotency_key(m[Field::IdempotencyKey], facts);
  check_schema_version(m[Field::SchemaVersion], spec);
  check_payload_member(m, spec, aggregate);
  scan_all_members();

  if (options.stream_checks) {
    locate(facts.event_name_at, envelope_field(Field::EventName).pointer, m[Field::EventName]);
    locate(facts.event_id_at, envelope_field(Field::EventId).pointer, m[Field::EventId]);
    locate(facts.idempotency_key_at, envelope_field(Field::IdempotencyKey).pointer, m[Field::IdempotencyKey]);
    locate(facts.version_at, envelope_field(Field::Version).pointer, m[Field::Version]);
    locate(facts.occurred_at_at, envelope_field(Field::OccurredAt).pointer, m[Field::OccurredAt]);
    facts.content_hash = parser.content_hash(0, hash_key);
  }
}

void Validator::Impl::check_json_level() {
  const auto& nodes = parser.nodes();
  for (const auto& duplicate : parser.duplicate_keys()) {
    const Node& node = nodes[duplicate.node];
    report_node(MSGEVENTS_RULE("json.duplicate_key"), [&] {
      return "duplicate member name " + quoted(node.key) + ": readers disagree on which value counts; expected each name once per object";
    }, duplicate.node, node.key_begin);
  }
  for (uint32_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].kind == NodeKind::Number) {
      check_number_range(i);
    } else if (parser.has_long_numbers(i)) {  // an array's numbers have no node (event_parser.hpp)
      parser.for_each_packed(i, [&](NodeKind kind, std::string_view value, uint32_t begin, uint32_t position) {
        if (kind == NodeKind::Number && detail::EventParser::is_long_number(value)) check_packed_number_range(i, value, begin, position);
      });
    }
  }
}

Validator::Impl::EnvelopeMembers Validator::Impl::envelope_members(const Node& root) {
  const auto& nodes = parser.nodes();
  EnvelopeMembers e;
  for (uint32_t m = root.first_child; m != kNoNode; m = nodes[m].next_sibling) {
    const std::string_view key = nodes[m].key;
    const int field = detail::envelope_field_named(key);
    uint32_t* slot = field < 0 ? nullptr : &e.node[field];
    if (slot) {
      if (*slot == kNoNode) *slot = m;
      known_members[m] = kNoCredential;
    } else if (is_credential(key)) {
      known_members[m] = kCredential;
    } else {
      known_members[m] = kNoCredential;
      report_lazy(MSGEVENTS_RULE("envelope.unknown_field"), nodes[m].key_begin, [&] { return detail::unknown_envelope_field_message(key); },
                  [&] { return "/" + detail::pointer_token(key); });
    }
  }
  return e;
}

void Validator::Impl::check_payload_member(const EnvelopeMembers& m, const EventSpec* spec, const AggregateSpec* aggregate) {
  const auto& nodes = parser.nodes();
  if (m[Field::Payload] == kNoNode) {
    report_lazy(MSGEVENTS_RULE("envelope.payload.missing"), nodes[0].begin,
                [] { return std::string("payload is missing: expected an object with the event type's fields"); },
                [] { return std::string("/payload"); });
  } else if (nodes[m[Field::Payload]].kind != NodeKind::Object) {
    report_at(MSGEVENTS_RULE("envelope.payload.type"), "payload must be an object, found " + std::string(kind_name(nodes[m[Field::Payload]].kind)), std::string(envelope_field(Field::Payload).pointer), m[Field::Payload]);
  } else if (spec) {
    check_payload(m[Field::Payload], *spec, aggregate);
    if (aggregate && m[Field::AggregateId] != kNoNode && nodes[m[Field::AggregateId]].kind == NodeKind::String) {
      const uint32_t id_field = parser.member(m[Field::Payload], aggregate->id_field);
      if (id_field != kNoNode && nodes[id_field].kind == NodeKind::String && nodes[id_field].value != nodes[m[Field::AggregateId]].value) {
        report_at(MSGEVENTS_RULE("consistency.aggregate_id"),
                  "aggregate_id must equal payload." + aggregate->id_field + " (" + quoted(nodes[id_field].value) + "), found " +
                      quoted(nodes[m[Field::AggregateId]].value),
                  std::string(envelope_field(Field::AggregateId).pointer), m[Field::AggregateId]);
      }
    }
  }
}

void Validator::Impl::scan_all_members() {
  const auto& nodes = parser.nodes();
  for (uint32_t i = 0; i < nodes.size(); ++i) {
    const Node& node = nodes[i];
    if (known_members[i] == kNoCredential) continue;
    if (known_members[i] == kCredential ||
        (node.parent != kNoNode && nodes[node.parent].kind == NodeKind::Object && is_credential(node.key))) {
      report_node(MSGEVENTS_RULE("privacy.secret_field"), [&] { return detail::credential_member_message(node.key); }, i, node.key_begin);
    }
  }
}

void Validator::Impl::check_number_range(uint32_t i) {
  const Node& node = parser.node(i);
  const detail::NumberRange range = range_of(node.value);
  if (range == detail::NumberRange::Fits) return;
  report_node(MSGEVENTS_RULE("json.number_range"), [&] { return number_range_message(node.value, range); }, i, node.begin);
}

void Validator::Impl::check_packed_number_range(uint32_t array, std::string_view value, uint32_t begin, uint32_t position) {
  const detail::NumberRange range = range_of(value);
  if (range == detail::NumberRange::Fits) return;
  report_lazy(MSGEVENTS_RULE("json.number_range"), begin, [&] { return number_range_message(value, range); },
              [&] { return parser.item_pointer(array, position); });
}

const EventSpec* Validator::Impl::check_event_name(uint32_t node, detail::EventFacts& facts) {
  node = string_field(node, Field::EventName, MSGEVENTS_RULE("envelope.event_name.missing"), MSGEVENTS_RULE("envelope.event_name.type"));
  if (node == kNoNode) return nullptr;
  const std::string_view name = parser.node(node).value;
  facts.event_name = name;
  const auto found = events_by_name.find(name);
  const EventSpec* spec = found == events_by_name.end() ? nullptr : found->second;
  if (!spec) report_at(MSGEVENTS_RULE("envelope.event_name.unknown"), detail::unknown_event_name_message(name, event_names), "/event_name", node);
  facts.spec = spec;
  return spec;
}

void Validator::Impl::check_event_id(uint32_t node, detail::EventFacts& facts) {
  node = string_field(node, Field::EventId, MSGEVENTS_RULE("envelope.event_id.missing"), MSGEVENTS_RULE("envelope.event_id.type"));
  if (node == kNoNode) return;
  const std::string_view id = parser.node(node).value;
  const detail::EventIdCheck check = detail::check_event_id(id);
  if (check.kind == detail::IdKind::None) {
    report_at(MSGEVENTS_RULE("envelope.event_id.format"), detail::event_id_format_message(id, check.problem), "/event_id", node);
    return;
  }
  if (!check.canonical_case) {
    report_at(MSGEVENTS_RULE("envelope.event_id.case"), detail::event_id_case_message(check.kind), "/event_id", node);
  }
  facts.event_id = id;
}

const AggregateSpec* Validator::Impl::check_aggregate_type(uint32_t node, const EventSpec* spec, detail::EventFacts& facts) {
  node = string_field(node, Field::AggregateType, MSGEVENTS_RULE("envelope.aggregate_type.missing"), MSGEVENTS_RULE("envelope.aggregate_type.type"));
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

void Validator::Impl::check_aggregate_id(uint32_t node, detail::EventFacts& facts) {
  node = string_field(node, Field::AggregateId, MSGEVENTS_RULE("envelope.aggregate_id.missing"), MSGEVENTS_RULE("envelope.aggregate_id.type"));
  if (node == kNoNode) return;
  const std::string_view id = parser.node(node).value;
  const std::string problem = detail::identifier_problem(id);
  if (!problem.empty()) {
    report_at(MSGEVENTS_RULE("envelope.aggregate_id.format"), detail::aggregate_id_format_message(problem), "/aggregate_id", node);
    return;
  }
  if (detail::looks_like_contact_data(id)) {
    report_at(MSGEVENTS_RULE("privacy.identifier_contact_data"), detail::aggregate_id_contact_message(), "/aggregate_id", node);
  }
  facts.aggregate_id = id;
}

void Validator::Impl::check_occurred_at(uint32_t node, detail::EventFacts& facts) {
  node = string_field(node, Field::OccurredAt, MSGEVENTS_RULE("envelope.occurred_at.missing"), MSGEVENTS_RULE("envelope.occurred_at.type"));
  if (node == kNoNode) return;
  const std::string_view value = parser.node(node).value;
  std::string problem;
  const auto ts = detail::parse_rfc3339(value, &problem);
  if (!ts) {
    report_at(MSGEVENTS_RULE("envelope.occurred_at.format"), detail::occurred_at_format_message(value, problem), "/occurred_at", node);
    return;
  }
  if (!ts->utc) {
    report_at(MSGEVENTS_RULE("envelope.occurred_at.not_utc"), detail::occurred_at_not_utc_message(value), "/occurred_at", node);
    return;
  }
  if (ts->offset_form) {
    report_at(MSGEVENTS_RULE("envelope.occurred_at.utc_offset"), detail::occurred_at_utc_offset_message(), "/occurred_at", node);
  }
  if (options.now_unix_ms && ts->unix_ms > *options.now_unix_ms + kFutureToleranceMs) {
    const int64_t ahead_s = (ts->unix_ms - *options.now_unix_ms) / 1000;
    report_at(MSGEVENTS_RULE("envelope.occurred_at.future"), detail::occurred_at_future_message(value, ahead_s), "/occurred_at", node);
  }
  facts.occurred_at_ms = ts->unix_ms;
}

void Validator::Impl::check_actor(uint32_t node) {
  const auto& nodes = parser.nodes();
  if (node == kNoNode) {
    report_lazy(MSGEVENTS_RULE("envelope.actor.missing"), nodes[0].begin,
                [] { return std::string("actor is missing: expected {\"type\": \"user\" or \"system\", \"id\": stable identifier}"); },
                [] { return std::string("/actor"); });
    return;
  }
  if (nodes[node].kind != NodeKind::Object) {
    report_at(MSGEVENTS_RULE("envelope.actor.type"), "actor must be an object {\"type\", \"id\"}, found " + std::string(kind_name(nodes[node].kind)), "/actor", node);
    return;
  }
  const uint32_t type = parser.member(node, "type");
  if (type != kNoNode) known_members[type] = kNoCredential;
  if (type == kNoNode) {
    report_at(MSGEVENTS_RULE("envelope.actor.kind"), detail::actor_kind_message(false, NodeKind::Null, {}), "/actor/type", node);
  } else if (nodes[type].kind != NodeKind::String || (nodes[type].value != "user" && nodes[type].value != "system")) {
    report_at(MSGEVENTS_RULE("envelope.actor.kind"), detail::actor_kind_message(true, nodes[type].kind, nodes[type].value), "/actor/type", type);
  }
  const uint32_t id = parser.member(node, "id");
  if (id != kNoNode) known_members[id] = kNoCredential;
  if (id == kNoNode) {
    report_at(MSGEVENTS_RULE("envelope.actor.id"), detail::actor_id_missing_message(), "/actor/id", node);
  } else if (nodes[id].kind != NodeKind::String) {
    report_at(MSGEVENTS_RULE("envelope.actor.id"), detail::actor_id_type_message(nodes[id].kind), "/actor/id", id);
  } else if (const std::string problem = detail::identifier_problem(nodes[id].value); !problem.empty()) {
    report_at(MSGEVENTS_RULE("envelope.actor.id"), detail::actor_id_format_message(problem), "/actor/id", id);
  } else if (detail::looks_like_contact_data(nodes[id].value)) {
    report_at(MSGEVENTS_RULE("privacy.identifier_contact_data"), detail::actor_id_contact_message(), "/actor/id", id);
  }
  for (uint32_t m = nodes[node].first_child; m != kNoNode; m = nodes[m].next_sibling) {
    const std::string_view key = nodes[m].key;
    if (key != "type" && key != "id" && !is_credential(key)) {
      report_lazy(MSGEVENTS_RULE("envelope.unknown_field"), nodes[m].key_begin, [&] { return "unknown actor field " + quoted(key) + ": expected only type and id"; },
                  [&] { return "/actor/" + detail::pointer_token(key); });
    }
  }
}

void Validator::Impl::check_version(uint32_t node, const EventSpec* spec, const AggregateSpec* aggregate, detail::EventFacts& facts) {
  const auto& nodes = parser.nodes();
  if (node == kNoNode) {
    report_lazy(MSGEVENTS_RULE("envelope.version.missing"), nodes[0].begin,
                [] { return std::string("version is missing: expected the aggregate's version after this event, an integer >= 1"); },
                [] { return std::string("/version"); });
    return;
  }
  const Node& n = nodes[node];
  if (n.kind != NodeKind::Number || !is_integer_text(n.value)) {
    report_at(MSGEVENTS_RULE("envelope.version.type"), detail::version_type_message(n.kind, n.value), "/version", node);
    return;
  }
  const std::string_view digits = n.value;
  const std::optional<uint64_t> in_range = detail::version_value(digits);
  if (!in_range) {
    report_at(MSGEVENTS_RULE("envelope.version.range"), detail::version_range_message(digits), "/version", node);
    return;
  }
  const uint64_t value = *in_range;
  facts.version = value;
  if (spec && aggregate && value != 1 && detail::only_creates(*aggregate, spec->name)) {
    report_at(MSGEVENTS_RULE("consistency.create_version"), detail::create_version_message(spec->name, aggregate->name, value), "/version", node);
  }
}

void Validator::Impl::check_idempotency_key(uint32_t node, detail::EventFacts& facts) {
  node = string_field(node, Field::IdempotencyKey, std::nullopt, MSGEVENTS_RULE("envelope.idempotency_key.type"));
  if (node == kNoNode) return;
  const std::string_view key = parser.node(node).value;
  const std::string problem = detail::idempotency_key_problem(key);
  if (!problem.empty()) {
    report_at(MSGEVENTS_RULE("envelope.idempotency_key.format"), detail::idempotency_key_format_message(problem), "/idempotency_key", node);
    return;
  }
  facts.idempotency_key = key;
}

void Validator::Impl::check_schema_version(uint32_t node, const EventSpec* spec) {
  node = string_field(node, Field::SchemaVersion, std::nullopt, MSGEVENTS_RULE("envelope.schema_version.type"));
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

}  // namespace msgevents
