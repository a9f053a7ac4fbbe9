// msgevents_gen_events: writes the typed events of the catalog as C++, at build time.
//
//   msgevents_gen_events CATALOG.json OUT/msgevents/events.hpp OUT/events.cpp
//
// The header holds one struct per event type (its payload fields, its enums, what it knows about
// itself), the AnyEvent variant and the declarations of parse / parse_as / to_json / make; the
// source holds one reader and one writer per event type, built from src/lib/event_codec.hpp.
// The catalog is read with the library's own loader, so the types follow exactly what the
// validator checks. A host tool: it is built for the machine that builds, never for WebAssembly.
#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "msgevents/catalog.hpp"

namespace {

using msgevents::AggregateSpec;
using msgevents::Catalog;
using msgevents::EventSpec;
using msgevents::FieldSpec;
using msgevents::JsonType;
using msgevents::Privacy;

// What the catalog asks for that C++ cannot say is a build error naming the event and field.
struct GenError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

const std::set<std::string> kKeywords = {
    "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch",
    "char", "char16_t", "char32_t", "char8_t", "class", "co_await", "co_return", "co_yield", "compl", "concept",
    "const", "const_cast", "consteval", "constexpr", "constinit", "continue", "decltype", "default", "delete",
    "do", "double", "dynamic_cast", "else", "enum", "explicit", "export", "extern", "false", "float", "for",
    "friend", "goto", "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
    "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register", "reinterpret_cast",
    "requires", "return", "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct",
    "switch", "template", "this", "thread_local", "throw", "true", "try", "typedef", "typeid", "typename",
    "union", "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq"};

bool is_identifier(const std::string& name) {
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

// A catalog field name as a C++ member: the same name, with `_` after a keyword.
std::string member_name(const std::string& field, const std::string& where) {
  if (!is_identifier(field)) throw GenError(where + ": \"" + field + "\" is not a C++ identifier");
  return kKeywords.count(field) ? field + "_" : field;
}

// "non_payment" -> "NonPayment", "en-GB" -> "EnGB": enumerators and enum names in PascalCase.
std::string pascal(const std::string& text) {
  std::string out;
  bool upper = true;
  for (char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      upper = true;
      continue;
    }
    out.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    upper = false;
  }
  if (!out.empty() && std::isdigit(static_cast<unsigned char>(out[0]))) out.insert(0, "V");
  return out;
}

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

// The first sentence of catalog prose, for a one-line comment.
std::string first_sentence(const std::string& text) {
  const size_t end = text.find(". ");
  std::string line = end == std::string::npos ? text : text.substr(0, end + 1);
  line.erase(0, line.find_first_not_of(' '));
  for (char& c : line) {
    if (c == '\n') c = ' ';
  }
  return line;
}

struct Enum {
  std::string name;  // C++ name, inside the event struct or (aggregate attributes) at namespace level
  std::string qualified;
  std::vector<std::string> values;  // catalog values, in catalog order
};

struct Field {
  const FieldSpec* spec;
  std::string member;
  std::string type;           // the C++ type of one value (std::vector<...> for arrays), before optional
  std::string initialiser;    // " = ..." for scalars, so a default-constructed payload is well defined
};

struct EventType {
  const EventSpec* spec;
  const AggregateSpec* aggregate;
  std::vector<Enum> enums;  // declared inside the struct
  std::vector<Field> fields;
  std::vector<const FieldSpec*> secrets;  // never carried, so not members
  std::string id_member;
};

class Generator {
 public:
  explicit Generator(const Catalog& catalog) : catalog_(catalog) {}

  void plan() {
    for (const AggregateSpec& aggregate : catalog_.aggregates) {
      Enum attributes{aggregate.name + "Attribute", aggregate.name + "Attribute", aggregate.attributes};
      check_enum(attributes, "aggregate " + aggregate.name);
      attribute_enums_.push_back(attributes);
    }
    for (const EventSpec& spec : catalog_.events) events_.push_back(plan_event(spec));
  }

  std::string header() const;
  std::string source() const;

 private:
  void header_preamble(std::ostream& out) const;
  void event_struct(std::ostream& out, const EventType& event) const;
  void parse_declarations(std::ostream& out) const;
  static void make_template(std::ostream& out);
  static void payload_codec(std::ostream& out, const EventType& event);

  EventType plan_event(const EventSpec& spec) {
    const std::string where = "event " + spec.name;
    if (!is_identifier(spec.name) || kKeywords.count(spec.name)) throw GenError(where + ": the name is not a C++ identifier");
    EventType event{&spec, catalog_.find_aggregate(spec.aggregate), {}, {}, {}, {}};
    if (!event.aggregate) throw GenError(where + ": unknown aggregate " + spec.aggregate);
    std::set<std::string> enum_names = {"Payload"};
    auto add_enum = [&](const std::string& name, const std::vector<std::string>& values, const std::string& field_where) {
      Enum e{name, spec.name + "::" + name, values};
      if (!enum_names.insert(name).second) throw GenError(field_where + ": the enum name " + name + " is taken");
      check_enum(e, field_where);
      event.enums.push_back(e);
      return e.name;
    };
    for (const FieldSpec& f : spec.fields) {
      const std::string field_where = where + ", field " + f.name;
      if (f.privacy == Privacy::Secret) {
        event.secrets.push_back(&f);
        continue;
      }
      Field field{&f, member_name(f.name, field_where), "", ""};
      switch (f.type) {
        case JsonType::String:
          if (f.enum_values.empty()) {
            field.type = "std::string";
          } else {
            field.type = add_enum(pascal(f.name), f.enum_values, field_where);
            field.initialiser = " = " + field.type + "::" + pascal(f.enum_values.front());
          }
          break;
        case JsonType::Integer:
          field.type = "int64_t";
          field.initialiser = " = 0";
          break;
        case JsonType::Number:
          field.type = "double";
          field.initialiser = " = 0";
          break;
        case JsonType::Boolean:
          field.type = "bool";
          field.initialiser = " = false";
          break;
        case JsonType::Array: {
          std::string item;
          switch (f.item_type.value_or(JsonType::Object)) {
            case JsonType::String:
              if (f.items_are_aggregate_fields) {
                item = spec.aggregate + "Attribute";
              } else if (!f.item_enum.empty()) {
                item = add_enum(pascal(f.name) + "Item", f.item_enum, field_where);
              } else {
                item = "std::string";
              }
              break;
            case JsonType::Integer: item = "int64_t"; break;
            case JsonType::Number: item = "double"; break;
            case JsonType::Boolean: item = "bool"; break;
            default: throw GenError(field_where + ": arrays of objects or arrays have no C++ type yet");
          }
          field.type = "std::vector<" + item + ">";
          break;
        }
        case JsonType::Object: throw GenError(field_where + ": object fields have no C++ type yet (the catalog gives no members)");
      }
      event.fields.push_back(field);
    }
    for (const Field& field : event.fields) {
      if (field.spec->name == event.aggregate->id_field) {
        if (field.type != "std::string" || !field.spec->required) {
          throw GenError(where + ": the id field " + field.spec->name + " must be a required string");
        }
        event.id_member = field.member;
      }
    }
    if (event.id_member.empty()) throw GenError(where + ": no payload field " + event.aggregate->id_field + " (the aggregate's id)");
    return event;
  }

  static void check_enum(const Enum& e, const std::string& where) {
    std::set<std::string> names;
    for (const std::string& value : e.values) {
      const std::string name = pascal(value);
      if (name.empty()) throw GenError(where + ": enum value \"" + value + "\" has no letters or digits");
      if (!names.insert(name).second) throw GenError(where + ": enum values collide as " + e.name + "::" + name);
    }
  }

  static void enum_definition(std::ostream& out, const Enum& e, const std::string& indent) {
    out << indent << "enum class " << e.name << " {";
    for (size_t i = 0; i < e.values.size(); ++i) out << (i ? ", " : " ") << pascal(e.values[i]);
    out << " };\n";
  }

  // to_string and parse<Enum> for one enum, at namespace level.
  static void enum_functions(std::ostream& out, const Enum& e) {
    out << "constexpr std::string_view to_string(" << e.qualified << " value) {\n"
        << "  switch (value) {\n";
    for (const std::string& value : e.values) {
      out << "    case " << e.qualified << "::" << pascal(value) << ": return " << quoted(value) << ";\n";
    }
    out << "  }\n  return {};\n}\n"
        << "template <>\ninline std::optional<" << e.qualified << "> parse<" << e.qualified << ">(std::string_view text) {\n";
    for (const std::string& value : e.values) {
      out << "  if (text == " << quoted(value) << ") return " << e.qualified << "::" << pascal(value) << ";\n";
    }
    out << "  return std::nullopt;\n}\n";
  }

  static std::string member_type(const Field& field) {
    return field.spec->required ? field.type : "std::optional<" + field.type + ">";
  }

  static std::string field_comment(const Field& field, const EventType& event) {
    std::string text = "privacy " + std::string(msgevents::to_string(field.spec->privacy));
    if (!field.spec->format.empty()) text += ", format " + field.spec->format;
    if (!field.spec->item_format.empty()) text += ", items " + field.spec->item_format;
    if (field.spec->free_text) text += ", free text";
    if (field.spec->name == event.aggregate->id_field) text += "; envelope.aggregate_id equals it";
    return text;
  }

  const Catalog& catalog_;
  std::vector<Enum> attribute_enums_;
  std::vector<EventType> events_;
};

std::string Generator::header() const {
  std::ostringstream out;
  header_preamble(out);
  out << "// What changed_fields may name, per aggregate.\n";
  for (const Enum& e : attribute_enums_) {
    enum_definition(out, e, "");
    enum_functions(out, e);
    out << "\n";
  }

  for (const EventType& event : events_) event_struct(out, event);
  out << "// Any event of the catalog, in catalog order.\nusing AnyEvent = std::variant<";
  for (size_t i = 0; i < events_.size(); ++i) out << (i ? ",\n                              " : "") << events_[i].spec->name;
  out << ">;\n\n";

  parse_declarations(out);
  make_template(out);
  return out.str();
}

// The file's opening comment (a short tutorial), its includes and the catalog's version.
void Generator::header_preamble(std::ostream& out) const {
  out << "// Generated by msgevents_gen_events from src/catalog/catalog.json (catalog " << catalog_.catalog_version
      << "). Do not edit:\n"
      << "// edit the catalog; the build writes this file again.\n"
      << "//\n"
      << "// Typed events: one struct per event type of the catalog, named as the event, with its envelope\n"
      << "// and its payload; the AnyEvent variant over all of them; and parse, parse_as, to_json and make.\n"
      << "//\n"
      << "//   namespace ev = msgevents::events;\n"
      << "//   ev::ParseResult parsed = ev::parse(json);  // the validator's findings, and the event when none is an error\n"
      << "//   if (parsed.event) {\n"
      << "//     if (const auto* created = std::get_if<ev::CustomerCreated>(&*parsed.event)) use(created->payload.name);\n"
      << "//   }\n"
      << "//   auto disabled = ev::parse_as<ev::CustomerDisabled>(json);  // one expected type: disabled.event, disabled.findings\n"
      << "//\n"
      << "//   ev::CustomerDisabled::Payload payload;\n"
      << "//   payload.customer_id = \"cus_1\";\n"
      << "//   payload.reason = ev::CustomerDisabled::Reason::CustomerRequest;\n"
      << "//   ev::SystemClock clock;    // or the caller's own Clock and Random (tests: fixed ones)\n"
      << "//   ev::SystemRandom random;\n"
      << "//   auto made = ev::make<ev::CustomerDisabled>(payload, {ev::ActorType::User, \"usr_1\"}, 2, clock, random);\n"
      << "//   std::string text = ev::to_json(made);  // canonical JSON, catalog order; parse(text) gives made back\n"
      << "//\n"
      << "// Optional fields are std::optional, arrays std::vector, enums enum class with to_string(value) and\n"
      << "// parse<Enum>(text). Secret fields (credentials) are documented in the catalog only so that they\n"
      << "// are recognised: they never travel in an event, so no struct has them.\n"
      << "#pragma once\n\n"
      << "#include <cstdint>\n#include <optional>\n#include <string>\n#include <string_view>\n#include <variant>\n#include <vector>\n\n"
      << "#include \"msgevents/event_support.hpp\"\n#include \"msgevents/validator.hpp\"\n\n"
      << "namespace msgevents::events {\n\n"
      << "// The catalog these types were generated from.\n"
      << "inline constexpr std::string_view kCatalogVersion = " << quoted(catalog_.catalog_version) << ";\n\n";

}

// One event type's struct: its constants, enums, payload and envelope, then its enums' functions.
void Generator::event_struct(std::ostream& out, const EventType& event) const {
  const EventSpec& spec = *event.spec;
  out << "// " << first_sentence(spec.purpose) << "\n"
      << "struct " << spec.name << " {\n"
      << "  static constexpr std::string_view event_name = " << quoted(spec.name) << ";\n"
      << "  static constexpr std::string_view aggregate_type = " << quoted(spec.aggregate) << ";\n"
      << "  static constexpr std::string_view schema_version = "
      << quoted(std::to_string(spec.schema_version.major) + "." + std::to_string(spec.schema_version.minor)) << ";\n"
      << "  static constexpr bool creates = " << (spec.creates ? "true" : "false") << ";  // the aggregate's creating event (version 1)\n";
  if (!event.enums.empty()) out << "\n";
  for (const Enum& e : event.enums) enum_definition(out, e, "  ");
  out << "\n  struct Payload {\n";
  for (const Field& field : event.fields) {
    out << "    " << member_type(field) << " " << field.member << (field.spec->required ? field.initialiser : "") << ";  // "
        << field_comment(field, event) << "\n";
  }
  for (const FieldSpec* secret : event.secrets) out << "    // " << secret->name << ": a secret, never carried in an event.\n";
  out << "\n    bool operator==(const Payload& other) const {\n      return ";
  if (event.fields.empty()) out << "true";
  for (size_t i = 0; i < event.fields.size(); ++i) {
    out << (i ? " &&\n             " : "") << event.fields[i].member << " == other." << event.fields[i].member;
  }
  out << ";\n    }\n"
      << "    bool operator!=(const Payload& other) const { return !(*this == other); }\n"
      << "  };\n\n"
      << "  // The payload field that envelope.aggregate_id equals.\n"
      << "  static const std::string& aggregate_id_of(const Payload& payload) { return payload." << event.id_member << "; }\n\n"
      << "  Envelope envelope;\n  Payload payload;\n\n"
      << "  bool operator==(const " << spec.name << "& other) const { return envelope == other.envelope && payload == other.payload; }\n"
      << "  bool operator!=(const " << spec.name << "& other) const { return !(*this == other); }\n"
      << "};\n";
  for (const Enum& e : event.enums) enum_functions(out, e);
  out << "\n";
}

// ParseResult, parse, parse_as and the to_json declarations.
void Generator::parse_declarations(std::ostream& out) const {
  out << R"(// What parse() read: the validator's findings, and the event only when none of them is an error
// or critical (warnings, such as an unknown field, still give the event; unknown fields are not
// kept). Besides the validator's rule codes, findings may have the typed layer's own, of severity
// error: parse.not_one_event (the input holds no event, several, or an array of one),
// parse.wrong_event_type (parse_as<E> read another type) and parse.unrepresentable (a value the
// validator accepts that the C++ type cannot hold).
struct ParseResult {
  std::optional<AnyEvent> event;
  std::vector<Finding> findings;
};

template <class E>
struct ParseResultOf {
  std::optional<E> event;
  std::vector<Finding> findings;
};

// One JSON event (text) as its typed struct, after validating it with `options`.
ParseResult parse(std::string_view json, const Options& options = {});

// The event's event_name, e.g. "CustomerCreated".
std::string_view event_name_of(const AnyEvent& event);

namespace internal {
Finding wrong_event_type(std::string_view expected, std::string_view found);
}  // namespace internal

// parse() for one expected event type: another type gives no event and a parse.wrong_event_type finding.
template <class E>
ParseResultOf<E> parse_as(std::string_view json, const Options& options = {}) {
  ParseResult any = parse(json, options);
  ParseResultOf<E> result;
  result.findings = std::move(any.findings);
  if (any.event) {
    if (E* event = std::get_if<E>(&*any.event)) {
      result.event = std::move(*event);
    } else {
      result.findings.push_back(internal::wrong_event_type(E::event_name, event_name_of(*any.event)));
    }
  }
  return result;
}

// Canonical JSON: compact, the envelope then the payload in the catalog's field order, absent
// optionals omitted. parse(to_json(e)) gives back e.
std::string to_json(const AnyEvent& event);
)";
  for (const EventType& event : events_) out << "std::string to_json(const " << event.spec->name << "& event);\n";

}

void Generator::make_template(std::ostream& out) {
  out << R"(
// A new event of type E: event_name, aggregate_type and schema_version from E, aggregate_id from
// the payload's id field, a new UUIDv7 event_id and occurred_at from `clock` (one reading, so the
// two agree) and `random`. idempotency_key is left empty: set envelope.idempotency_key when the
// producer has one (the catalog's producers use "<aggregate_id>:<version>").
template <class E>
E make(typename E::Payload payload, Actor actor, uint64_t version, const Clock& clock, Random& random) {
  const int64_t now = clock.now_unix_ms();
  E event;
  event.envelope.event_id = new_event_id(now, random);
  event.envelope.aggregate_id = E::aggregate_id_of(payload);
  event.envelope.occurred_at = format_occurred_at(now);
  event.envelope.actor = std::move(actor);
  event.envelope.version = version;
  event.envelope.schema_version = std::string(E::schema_version);
  event.payload = std::move(payload);
  return event;
}

}  // namespace msgevents::events
)";
}

std::string Generator::source() const {
  std::ostringstream out;
  out << "// Generated by msgevents_gen_events from src/catalog/catalog.json (catalog " << catalog_.catalog_version
      << "). Do not edit.\n"
      << "// One reader and one writer per event type; the shared parts are in src/lib/event_codec.hpp.\n"
      << "#include \"msgevents/events.hpp\"\n\n#include \"event_codec.hpp\"\n\n"
      << "namespace msgevents::events {\nnamespace {\n\n"
      << "using msgevents::detail::JsonWriter;\nusing msgevents::detail::read_member;\nusing msgevents::detail::write_member;\n\n";
  for (const EventType& event : events_) payload_codec(out, event);
  out << R"(template <class E>
std::optional<AnyEvent> read_event(const rapidjson::Value& doc, std::string* where) {
  E event;
  if (!msgevents::detail::read_envelope(doc, event.envelope, where)) return std::nullopt;
  const auto payload = doc.FindMember("payload");
  if (payload == doc.MemberEnd() || !payload->value.IsObject()) {
    *where = "/payload";
    return std::nullopt;
  }
  if (!read_payload(payload->value, event.payload, where)) return std::nullopt;
  return AnyEvent(std::move(event));
}

template <class E>
std::string write_event(const E& event) {
  JsonWriter out;
  msgevents::detail::write_envelope(out, E::event_name, E::aggregate_type, event.envelope);
  out.key("payload");
  write_payload(out, event.payload);
  out.end_object();
  return out.take();
}

}  // namespace

ParseResult parse(std::string_view json, const Options& options) {
  ParseResult result;
  rapidjson::Document doc;
  if (!msgevents::detail::validated_document(json, options, &doc, &result.findings)) return result;
  const std::string_view name = msgevents::detail::member_string(doc, "event_name");
  std::string where = "/event_name";
)";
  for (size_t i = 0; i < events_.size(); ++i) {
    const std::string& name = events_[i].spec->name;
    out << "  " << (i ? "} else if" : "if") << " (name == " << name << "::event_name) {\n"
        << "    result.event = read_event<" << name << ">(doc, &where);\n";
  }
  out << R"(  }
  if (!result.event) {
    result.findings.push_back(msgevents::detail::typed_finding(
        MSGEVENTS_RULE("parse.unrepresentable"), "the value at " + where + " does not fit the typed event's C++ type", where));
  }
  return result;
}

std::string_view event_name_of(const AnyEvent& event) {
  return std::visit([](const auto& e) { return std::decay_t<decltype(e)>::event_name; }, event);
}

Finding internal::wrong_event_type(std::string_view expected, std::string_view found) {
  return msgevents::detail::typed_finding(MSGEVENTS_RULE("parse.wrong_event_type"),
                                          "expected a " + std::string(expected) + " event, the input is a " + std::string(found),
                                          "/event_name");
}

std::string to_json(const AnyEvent& event) {
  return std::visit([](const auto& e) { return write_event(e); }, event);
}

)";
  for (const EventType& event : events_) {
    out << "std::string to_json(const " << event.spec->name << "& event) { return write_event(event); }\n";
  }
  out << "\n}  // namespace msgevents::events\n";
  return out.str();
}

// One event type's read_payload and write_payload.
void Generator::payload_codec(std::ostream& out, const EventType& event) {
  const std::string& name = event.spec->name;
  out << "bool read_payload(const rapidjson::Value& in, " << name << "::Payload& out, std::string* where) {\n  return ";
  if (event.fields.empty()) out << "true";
  for (size_t i = 0; i < event.fields.size(); ++i) {
    const Field& f = event.fields[i];
    out << (i ? " &&\n         " : "") << "read_member(in, " << quoted(f.spec->name) << ", out." << f.member << ", \"/payload\", where)";
  }
  out << ";\n}\n\n"
      << "void write_payload(JsonWriter& out, const " << name << "::Payload& payload) {\n  out.begin_object();\n";
  for (const Field& f : event.fields) out << "  write_member(out, " << quoted(f.spec->name) << ", payload." << f.member << ");\n";
  out << "  out.end_object();\n}\n\n";
}

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: msgevents_gen_events CATALOG.json OUT.hpp OUT.cpp\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) {
    std::cerr << "msgevents_gen_events: cannot read " << argv[1] << "\n";
    return 1;
  }
  std::string error;
  const std::optional<Catalog> catalog = msgevents::parse_catalog(text.str(), &error);
  if (!catalog) {
    std::cerr << "msgevents_gen_events: " << argv[1] << ": " << error << "\n";
    return 1;
  }
  try {
    Generator generator(*catalog);
    generator.plan();
    if (!write_file(argv[2], generator.header()) || !write_file(argv[3], generator.source())) {
      std::cerr << "msgevents_gen_events: cannot write " << argv[2] << " or " << argv[3] << "\n";
      return 1;
    }
  } catch (const GenError& e) {
    std::cerr << "msgevents_gen_events: " << argv[1] << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}
