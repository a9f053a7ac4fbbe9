// libFuzzer harness: the validator. Any bytes, split into chunks as the fuzzer chooses
// (chunk_plan.hpp), must give exactly the report of the whole buffer at once, findings, summary and
// aggregates alike; the JSON report must be valid UTF-8 JSON; and nothing may crash, leak or hit
// undefined behaviour (ASan, UBSan). A difference is printed and aborts the run.
#include <cstdio>
#include <string>

#include <rapidjson/document.h>

#include "chunk_plan.hpp"
#include "msgevents/validator.hpp"

namespace {

using msgevents::fuzz::ChunkPlan;

msgevents::Options options_from(const ChunkPlan& plan) {
  msgevents::Options options;
  options.profile = plan.flag(0) ? msgevents::Profile::Public : msgevents::Profile::Internal;
  options.strict = plan.flag(1);
  options.stream_checks = !plan.flag(2);
  options.now_unix_ms = 1767225600000;  // 2026-01-01: the fixtures' clock
  if (plan.flag(3)) {                   // small limits, so the fuzzer reaches them
    options.max_event_bytes = 300;
    options.max_depth = 8;
    options.max_aggregate_summaries = 2;
  }
  if (plan.flag(4)) options.now_unix_ms.reset();
  return options;
}

[[noreturn]] void mismatch(const char* what, const std::string& expected, const std::string& actual) {
  std::fprintf(stderr, "validator_fuzzer: %s\n--- whole buffer:\n%s\n--- in chunks:\n%s\n", what, expected.c_str(), actual.c_str());
  __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ChunkPlan plan = ChunkPlan::read(data, size);
  const msgevents::Options options = options_from(plan);

  const msgevents::Report whole = msgevents::validate(plan.text, options);

  msgevents::Validator validator(options);
  std::vector<msgevents::Finding> drained;
  bool drain = false;
  plan.for_each_chunk([&](std::string_view chunk) {
    validator.push(chunk);
    // Drain after every other chunk: findings taken early must be the same findings.
    drain = !drain;
    if (drain) {
      for (auto& f : validator.drain()) drained.push_back(std::move(f));
    }
  });
  msgevents::Report chunked = validator.finish();
  // fuzz/regressions/validator/bytes-pushed-bom-prefix: the first bytes, held until the encoding
  // is known, count as pushed.
  if (validator.bytes_pushed() != plan.text.size()) {
    mismatch("bytes_pushed() is not the input size", std::to_string(plan.text.size()), std::to_string(validator.bytes_pushed()));
  }
  drained.insert(drained.end(), std::make_move_iterator(chunked.findings.begin()), std::make_move_iterator(chunked.findings.end()));
  chunked.findings = std::move(drained);

  const std::string expected = msgevents::report_to_json(whole);
  const std::string actual = msgevents::report_to_json(chunked);
  if (expected != actual) mismatch("the findings depend on the chunking", expected, actual);

  for (const auto& f : whole.findings) {
    if (f.line < 1 || f.column < 1 || f.message.empty() || f.code.empty()) mismatch("a finding without a position, code or message", expected, msgevents::finding_to_json(f));
  }
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(expected.data(), expected.size());
  if (doc.HasParseError() || !doc.IsObject()) mismatch("the JSON report is not valid UTF-8 JSON", expected, "");
  return 0;
}
