// msgevents_gen_events: writes the typed events of the catalog as C++, at build time.
//
//   msgevents_gen_events CATALOG.json OUT/msgevents/events.hpp OUT/events.cpp
//
// The header holds one struct per event type (its payload fields, its enums, what it knows about
// itself), the AnyEvent variant and the declarations of parse / parse_as / to_json / make; the
// source holds one reader and one writer per event type, built from src/lib/event_codec.hpp.
// The catalog is read with the library's own loader, so the types follow exactly what the
// validator checks. A host tool: it is built for the machine that builds, never for WebAssembly.
//
// The parts: gen_events_plan.cpp (the catalog as C++ types), gen_events_header.cpp and
// gen_events_source.cpp (the two files), declared in gen_events.hpp.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "gen_events.hpp"
#include "msgevents/catalog.hpp"

namespace {

using msgevents::Catalog;
using msgevents::codegen::EventsPlan;
using msgevents::codegen::GenError;
using msgevents::codegen::events_header;
using msgevents::codegen::events_source;
using msgevents::codegen::plan_events;

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
    const EventsPlan plan = plan_events(*catalog);
    if (!write_file(argv[2], events_header(*catalog, plan)) || !write_file(argv[3], events_source(*catalog, plan))) {
      std::cerr << "msgevents_gen_events: cannot write " << argv[2] << " or " << argv[3] << "\n";
      return 1;
    }
  } catch (const GenError& e) {
    std::cerr << "msgevents_gen_events: " << argv[1] << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}
