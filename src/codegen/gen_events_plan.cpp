// The catalog planned as C++ types (gen_events.hpp): names made C++ identifiers, one type per
// field, one enum per closed set of values; whatever C++ cannot say is a GenError naming the
// event and the field.
#include <algorithm>
#include <cctype>
#include <set>

#include "gen_events.hpp"

namespace msgevents::codegen {
namespace {

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

void check_enum(const Enum& e, const std::string& where) {
  std::set<std::string> names;
  for (const std::string& value : e.values) {
    const std::string name = pascal(value);
    if (name.empty()) throw GenError(where + ": enum value \"" + value + "\" has no letters or digits");
    if (!names.insert(name).second) throw GenError(where + ": enum values collide as " + e.name + "::" + name);
  }
}

// One event type's plan, field by field, in catalog order (so the first problem is the one named).
class EventPlanner {
 public:
  EventPlanner(const Catalog& catalog, const EventSpec& spec) : spec_(spec), where_("event " + spec.name) {
    if (!is_identifier(spec.name) || kKeywords.count(spec.name)) throw GenError(where_ + ": the name is not a C++ identifier");
    event_ = EventType{&spec, catalog.find_aggregate(spec.aggregate), {}, {}, {}, {}};
    if (!event_.aggregate) throw GenError(where_ + ": unknown aggregate " + spec.aggregate);
  }

  EventType plan() {
    for (const FieldSpec& f : spec_.fields) {
      if (f.privacy == Privacy::Secret) {
        event_.secrets.push_back(&f);
        continue;
      }
      event_.fields.push_back(plan_field(f, where_ + ", field " + f.name));
    }
    for (const Field& field : event_.fields) {
      if (field.spec->name == event_.aggregate->id_field) {
        if (field.type != "std::string" || !field.spec->required) {
          throw GenError(where_ + ": the id field " + field.spec->name + " must be a required string");
        }
        event_.id_member = field.member;
      }
    }
    if (event_.id_member.empty()) throw GenError(where_ + ": no payload field " + event_.aggregate->id_field + " (the aggregate's id)");
    return std::move(event_);
  }

 private:
  std::string add_enum(const std::string& name, const std::vector<std::string>& values, const std::string& field_where) {
    Enum e{name, spec_.name + "::" + name, values};
    if (!enum_names_.insert(name).second) throw GenError(field_where + ": the enum name " + name + " is taken");
    check_enum(e, field_where);
    event_.enums.push_back(e);
    return e.name;
  }

  Field plan_field(const FieldSpec& f, const std::string& field_where) {
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
      case JsonType::Array: field.type = "std::vector<" + item_type(f, field_where) + ">"; break;
      case JsonType::Object: throw GenError(field_where + ": object fields have no C++ type yet (the catalog gives no members)");
    }
    return field;
  }

  // The C++ type of an array field's items.
  std::string item_type(const FieldSpec& f, const std::string& field_where) {
    switch (f.item_type.value_or(JsonType::Object)) {
      case JsonType::String:
        if (f.items_are_aggregate_fields) return spec_.aggregate + "Attribute";
        if (!f.item_enum.empty()) return add_enum(pascal(f.name) + "Item", f.item_enum, field_where);
        return "std::string";
      case JsonType::Integer: return "int64_t";
      case JsonType::Number: return "double";
      case JsonType::Boolean: return "bool";
      default: throw GenError(field_where + ": arrays of objects or arrays have no C++ type yet");
    }
  }

  const EventSpec& spec_;
  const std::string where_;
  EventType event_;
  std::set<std::string> enum_names_ = {"Payload"};
};

}  // namespace

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

EventsPlan plan_events(const Catalog& catalog) {
  EventsPlan plan;
  for (const AggregateSpec& aggregate : catalog.aggregates) {
    Enum attributes{aggregate.name + "Attribute", aggregate.name + "Attribute", aggregate.attributes};
    check_enum(attributes, "aggregate " + aggregate.name);
    plan.attribute_enums.push_back(attributes);
  }
  for (const EventSpec& spec : catalog.events) plan.events.push_back(EventPlanner(catalog, spec).plan());
  return plan;
}

}  // namespace msgevents::codegen
