// msgevents_gen_events' parts (gen_events.cpp says what the tool writes): the catalog planned as
// C++ types (gen_events_plan.cpp), then written as the header (gen_events_header.cpp) and as the
// source of its readers and writers (gen_events_source.cpp).
//
//   const EventsPlan plan = plan_events(catalog);  // throws GenError for what C++ cannot say
//   write(events_header(catalog, plan)); write(events_source(catalog, plan));
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "msgevents/catalog.hpp"

namespace msgevents::codegen {

// What the catalog asks for that C++ cannot say is a build error naming the event and field.
struct GenError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

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

// The catalog as C++ types: what the header declares and the source reads and writes.
struct EventsPlan {
  std::vector<Enum> attribute_enums;  // per aggregate: what changed_fields may name
  std::vector<EventType> events;      // in catalog order
};

EventsPlan plan_events(const Catalog& catalog);

// <msgevents/events.hpp> and its events.cpp.
std::string events_header(const Catalog& catalog, const EventsPlan& plan);
std::string events_source(const Catalog& catalog, const EventsPlan& plan);

// "non_payment" -> "NonPayment", "en-GB" -> "EnGB": enumerators and enum names in PascalCase.
std::string pascal(const std::string& text);
// A C++ string literal of the text.
std::string quoted(const std::string& text);

}  // namespace msgevents::codegen
