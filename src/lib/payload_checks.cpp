// The checks of an event's payload against the catalog's fields of its type: presence, JSON
// type, ranges, enums, formats, lengths, array items and privacy classes. Part of
// Validator::Impl (validator_impl.hpp).
#include "validator_impl.hpp"

namespace msgevents {

using namespace validation;

void Validator::Impl::check_payload(uint32_t payload, const EventSpec& spec, const AggregateSpec* aggregate) {
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
      if (spec.fields[index].privacy != Privacy::Secret) known_members[m] = kNoCredential;
    } else if (is_credential(key)) {
      known_members[m] = kCredential;
    } else {
      known_members[m] = kNoCredential;
      report_lazy(MSGEVENTS_RULE("payload.unknown_field"), nodes[m].key_begin, [&] { return detail::unknown_payload_field_message(key, spec.name); },
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

void Validator::Impl::check_value(uint32_t node, const FieldSpec& field, uint32_t payload, const AggregateSpec* aggregate) {
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
    if (!detail::within_bounds(field, n.value)) {
      std::string bounds = field.minimum ? ">= " + detail::excerpt(std::to_string(*field.minimum), 12) : "";
      if (field.maximum) bounds += (bounds.empty() ? "<= " : " and <= ") + detail::excerpt(std::to_string(*field.maximum), 12);
      report_at(MSGEVENTS_RULE("payload.range"), "payload." + field.name + " is " + detail::excerpt(n.value) + ": expected " + bounds, field_pointer(field), node);
    }
  } else if (n.kind == NodeKind::Array) {
    check_array(node, field, aggregate);
  }
}

std::string Validator::Impl::format_problem(std::string_view format, std::string_view value, uint32_t payload) {
  // The format is looked up once (formats.cpp, compiled for speed), then checked by its id.
  const std::optional<detail::Format> known = detail::find_format(format);
  if (!known) return std::string();
  std::string_view kind;
  if (*known == detail::Format::ChannelAddress && payload != kNoNode) {
    const uint32_t node = parser.member(payload, "kind");
    if (node != kNoNode && parser.node(node).kind == NodeKind::String) kind = parser.node(node).value;
  }
  return detail::format_problem(*known, value, kind);
}

void Validator::Impl::check_string(uint32_t node, const FieldSpec& field, uint32_t payload) {
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
    report_at(MSGEVENTS_RULE("privacy.identifier_contact_data"), detail::payload_identifier_contact_message(field.name), field_pointer(field), node);
  }
  if (field.free_text) {
    if (const auto what = detail::find_contact_data(value)) {
      report_at(MSGEVENTS_RULE("privacy.contact_data_in_text"),
                "payload." + field.name + " contains what looks like " + std::string(*what) + " (not shown): keep contact data out of free text",
                field_pointer(field), node);
    }
  }
}

void Validator::Impl::check_array(uint32_t node, const FieldSpec& field, const AggregateSpec* aggregate) {
  const auto pointer = [&] { return field_pointer(field); };  // for a finding only
  const Node& array = parser.node(node);
  if ((field.min_items && array.child_count < *field.min_items) || (field.max_items && array.child_count > *field.max_items)) {
    report_at(MSGEVENTS_RULE("payload.items"),
              "payload." + field.name + " has " + std::to_string(array.child_count) + " items: expected " +
                  (field.min_items ? "at least " + std::to_string(*field.min_items) : "") +
                  (field.min_items && field.max_items ? " and " : "") +
                  (field.max_items ? "at most " + std::to_string(*field.max_items) : ""),
              pointer(), node);
  }
  std::unordered_map<std::string_view, uint32_t> seen;
  // A huge array can hold a bad item at every position: messages and pointers are built only for
  // the findings listed (report_lazy), and the code that builds them stays out of the loop
  // (noinline), which then costs little more than counting the findings it does not list.
  const auto item_pointer_of = [&](uint32_t position) { return pointer() + "/" + std::to_string(position); };
  const auto item_name_of = [&](uint32_t position) { return "payload." + field.name + "[" + std::to_string(position) + "]"; };
  const auto report_type = [&](const Node& n) __attribute__((noinline)) {
    report_lazy(MSGEVENTS_RULE("payload.items"), n.begin, [&] {
      return item_name_of(n.position) + " must be " + std::string(type_phrase(*field.item_type)) + ", found " + std::string(kind_name(n.kind));
    }, [&] { return item_pointer_of(n.position); });
  };
  const auto check_item = [&](const Node& n) __attribute__((noinline)) {
    const uint32_t position = n.position;
    const auto item_pointer = [&] { return item_pointer_of(position); };
    const auto item_name = [&] { return item_name_of(position); };
    if (field.unique_items) {
      const auto [at, inserted] = seen.emplace(n.value, position);
      if (!inserted) {
        const uint32_t first = at->second;
        report_lazy(MSGEVENTS_RULE("payload.items"), n.begin, [&] {
          return item_name() + " repeats item " + std::to_string(first) + ": expected unique items";
        }, item_pointer);
      }
    }
    if (n.kind != NodeKind::String) return;
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
  };
  const auto rule = MSGEVENTS_RULE("payload.items");
  parser.for_each_item(node, [&](const Node& n, uint32_t) {
    if (field.item_type && !matches_type(n, *field.item_type)) {
      if (would_keep(n.begin)) report_type(n);
      else drop(rule);
      return;
    }
    if (n.kind == NodeKind::String || n.kind == NodeKind::Number) check_item(n);
  });
}

}  // namespace msgevents
