// libFuzzer harness: redaction. Any bytes, split into chunks as the fuzzer chooses
// (chunk_plan.hpp), must give byte for byte the output, the findings and the counts of the whole buffer at once;
// redacting the output of readable input again changes nothing (tokens are left alone); nothing
// may crash, leak or hit undefined behaviour. A difference aborts the run.
#include <cstdio>
#include <string>
#include <vector>

#include "chunk_plan.hpp"
#include "msgevents/redact.hpp"

namespace {

using msgevents::fuzz::ChunkPlan;

[[noreturn]] void mismatch(const char* what, const std::string& expected, const std::string& actual) {
  std::fprintf(stderr, "redact_fuzzer: %s\n--- expected:\n%s\n--- actual:\n%s\n", what, expected.c_str(), actual.c_str());
  __builtin_trap();
}

std::string findings_text(const std::vector<msgevents::Finding>& findings) {
  std::string text;
  for (const msgevents::Finding& f : findings) {
    text += f.code + " " + std::to_string(f.line) + ":" + std::to_string(f.column) + " #" + std::to_string(f.event_index) +
            " " + f.message + "\n";
  }
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ChunkPlan plan = ChunkPlan::read(data, size);
  msgevents::RedactOptions options;
  options.profile = plan.flag(0) ? msgevents::Profile::Internal : msgevents::Profile::Public;
  if (plan.flag(1)) {  // small limits, so the fuzzer reaches them
    options.max_event_bytes = 300;
    options.max_depth = 8;
  }
  const std::string key = "fuzz-key";

  msgevents::Redactor whole_redactor(key, options);
  const std::string whole = whole_redactor.push(plan.text) + whole_redactor.finish();
  const std::string whole_findings = findings_text(whole_redactor.drain());

  msgevents::Redactor redactor(key, options);
  std::string chunked;
  std::vector<msgevents::Finding> chunked_findings;
  plan.for_each_chunk([&](std::string_view chunk) {
    chunked += redactor.push(chunk);
    for (msgevents::Finding& f : redactor.drain()) chunked_findings.push_back(std::move(f));
  });
  chunked += redactor.finish();
  for (msgevents::Finding& f : redactor.drain()) chunked_findings.push_back(std::move(f));
  if (chunked != whole) mismatch("the output depends on the chunking", whole, chunked);
  if (findings_text(chunked_findings) != whole_findings) {
    mismatch("the findings depend on the chunking", whole_findings, findings_text(chunked_findings));
  }
  if (redactor.values_redacted() != whole_redactor.values_redacted()) {
    mismatch("values_redacted() depends on the chunking", std::to_string(whole_redactor.values_redacted()), std::to_string(redactor.values_redacted()));
  }
  const msgevents::RedactResult at_once = msgevents::redact(plan.text, key, options);
  if (at_once.text != whole) mismatch("redact() differs from Redactor", whole, at_once.text);
  if (at_once.events_withheld != redactor.events_withheld()) {
    mismatch("events_withheld() depends on the chunking", std::to_string(at_once.events_withheld), std::to_string(redactor.events_withheld()));
  }

  // Redacting the output of readable input again changes nothing. Once something was withheld the
  // output holds placeholders, which a second pass may read differently (after a closed array they
  // are content outside any event): still nothing in clear, but not the same bytes.
  if (at_once.findings.empty()) {
    const std::string again = msgevents::redact(whole, key, options).text;
    if (again != whole) mismatch("redacting the output again changed it", whole, again);
  }
  return 0;
}
