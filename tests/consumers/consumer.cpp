// What another project does with msgevents, built by tests/CMakeLists.txt against the install tree
// (find_package), through add_subdirectory and through pkg-config: parse a catalog example into its
// typed struct, read a payload field, make a new event and validate it. Exits 0 only when the new
// event validates without a finding.
#include <msgevents/catalog.hpp>
#include <msgevents/events.hpp>
#include <msgevents/validator.hpp>

#include <iostream>

int main() {
  namespace ev = msgevents::events;
  const msgevents::EventSpec* spec = msgevents::builtin_catalog().find_event("CustomerCreated");
  if (!spec || spec->examples.empty()) {
    std::cerr << "consumer: the catalog has no CustomerCreated example\n";
    return 1;
  }
  const ev::ParseResultOf<ev::CustomerCreated> created = ev::parse_as<ev::CustomerCreated>(spec->examples.front());
  if (!created.event) {
    std::cerr << "consumer: the CustomerCreated example did not parse\n";
    return 1;
  }
  std::cout << "consumer: parsed CustomerCreated " << created.event->payload.name << "\n";

  ev::CustomerUpdated::Payload update;
  update.customer_id = created.event->payload.customer_id;
  update.changed_fields = {ev::CustomerAttribute::Name};
  update.name = created.event->payload.name + " International";
  ev::SystemClock clock;
  ev::SystemRandom random;
  ev::CustomerUpdated made = ev::make<ev::CustomerUpdated>(update, {ev::ActorType::User, "usr_consumer"}, 2, clock, random);
  made.envelope.idempotency_key = made.envelope.aggregate_id + ":2";

  msgevents::Options options;
  options.now_unix_ms = clock.now_unix_ms();
  const std::string json = ev::to_json(made);
  const msgevents::Report report = msgevents::validate(json, options);
  for (const msgevents::Finding& f : report.findings) std::cerr << "consumer: " << f.code << " " << f.message << "\n";
  std::cout << "consumer: made " << json << "\n";
  return report.findings.empty() && report.summary.events == 1 ? 0 : 1;
}
