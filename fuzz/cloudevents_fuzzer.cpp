// libFuzzer harness: the CloudEvents 1.0 mapping. Any bytes are mapped or refused with a message,
// one event or many (to_cloud_events), and read back as a CloudEvent (from_cloud_event); a
// CloudEvent made by to_cloud_event maps back to an event that gives the same CloudEvent again;
// nothing may crash, leak or hit undefined behaviour. A difference aborts the run.
#include <cstdio>
#include <string>

#include <rapidjson/document.h>

#include "msgevents/interop.hpp"

namespace {

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "cloudevents_fuzzer: %s\n%s\n", what, detail.c_str());
  __builtin_trap();
}

void check_result(const char* what, const msgevents::CloudEventResult& result) {
  if (!result.ok && result.error.empty()) fail(what, "refused without a message");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_result("to_cloud_events", msgevents::to_cloud_events(text));
  check_result("from_cloud_event", msgevents::from_cloud_event(text));

  const msgevents::CloudEventResult ce = msgevents::to_cloud_event(text);
  check_result("to_cloud_event", ce);
  if (!ce.ok) return 0;
  rapidjson::Document doc;
  doc.Parse(ce.json.data(), ce.json.size());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("specversion")) fail("the CloudEvent is not a JSON object", ce.json);

  const msgevents::CloudEventResult event = msgevents::from_cloud_event(ce.json);
  if (!event.ok) fail("a CloudEvent made by to_cloud_event does not map back", event.error + "\n" + ce.json);
  const msgevents::CloudEventResult again = msgevents::to_cloud_event(event.json);
  if (!again.ok) fail("the event mapped back does not map again", again.error + "\n" + event.json);
  if (again.json != ce.json) fail("the round trip changed the CloudEvent", ce.json + "\n--- after event -> CloudEvent -> event -> CloudEvent:\n" + again.json);
  return 0;
}
