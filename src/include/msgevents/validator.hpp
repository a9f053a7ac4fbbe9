// The validator: UTF-8 bytes in, findings out.
//
// Input is one JSON event, a JSON array of events, or NDJSON (one event a line); the form is
// detected from the bytes. Bytes may arrive in chunks of any size, split anywhere (even inside a
// UTF-8 character): the findings are the same as for the whole input at once.
//
//   msgevents::Options options;
//   options.profile = msgevents::Profile::Public;
//   msgevents::Validator validator(options);
//   validator.push(chunk1);
//   validator.push(chunk2);
//   for (const auto& f : validator.drain()) { ... }   // findings so far (optional, bounds memory)
//   msgevents::Report report = validator.finish();   // remaining findings + summary
//
// or, for a whole buffer: msgevents::validate(text, options).
//
// Invalid input is data, not an exception: nothing here throws on any input, prints, or exits.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace msgevents {

enum class Severity { Info, Warning, Error, Critical };
enum class Profile { Internal, Public };

std::string_view to_string(Severity severity);
std::string_view to_string(Profile profile);
std::optional<Profile> parse_profile(std::string_view text);
// An RFC 3339 date-time (any offset) as milliseconds since the Unix epoch, for Options::now_unix_ms.
std::optional<int64_t> parse_rfc3339_ms(std::string_view text);

struct Options {
  Profile profile = Profile::Internal;
  bool strict = false;  // unknown fields are errors instead of warnings
  // The caller's clock, in milliseconds since the Unix epoch, for the future-timestamp check.
  // The core never reads the clock itself; without it the check is skipped.
  std::optional<int64_t> now_unix_ms;
  // Larger events get input.event_too_large. At most 4 GiB - 64 B (positions inside an event are
  // 32-bit): a larger value counts as that.
  uint64_t max_event_bytes = 1 << 20;
  uint32_t max_depth = 64;             // deeper nesting gets json.too_deep
  // One event lists at most this many findings (the first in position order) and then one
  // event.findings_truncated; the summary still counts every finding by severity.
  uint64_t max_findings_per_event = 100;
  // The run lists at most this many findings, the first in input order, and then one
  // input.findings_limit where it stopped; the summary still counts every finding. This bounds
  // the memory of a Report and the size of any report, whatever the input (1 MiB of `{}` lines
  // has 2.8 million findings).
  uint64_t max_findings = 100000;
  bool stream_checks = true;           // duplicates, ordering, lifecycle across events
  // Events are first read by a one-pass check (src/lib/fast_path.hpp) that finds an event clean or
  // makes its common findings itself; the others get the full checks. The findings are the same
  // either way: off is for tests and benchmarks that compare the two.
  bool fast_path = true;
  // The report lists at most this many aggregates, those with stream problems first; the rest
  // are counted in Report::aggregates_omitted.
  uint64_t max_aggregate_summaries = 1000;
  // Keep an EventRecord for each event, for Validator::drain_events() (the JUnit report writes a
  // test case per event). Off by default: nothing else needs it.
  bool list_events = false;
  // Threads that check events: 1 checks them on the caller's thread, N > 1 on N threads: N - 1
  // worker threads and the caller's, which also frames and merges (0: one per core). Framing, the stream checks and the order of findings stay on the caller's
  // thread, so the report is the same whatever the number. Memory grows by a few batches of about
  // 128 KiB of events per thread. WebAssembly builds have no threads and check on one.
  uint32_t jobs = 1;
};

struct Finding {
  std::string code;  // stable rule code, e.g. "envelope.event_id.format"
  Severity severity = Severity::Error;
  std::string message;  // what is wrong and what was expected
  std::string pointer;  // JSON Pointer (RFC 6901) inside the event; "" for the event itself
  uint64_t line = 0;    // 1-based line in the input
  uint64_t column = 0;  // 1-based column, in Unicode code points
  int64_t event_index = -1;  // 0-based index of the event; -1 for input-level findings
};

// One event as a report lists it (Options::list_events): its index, name and where it starts.
struct EventRecord {
  int64_t index = 0;
  std::string event_name;  // "" when missing, not a string, or the event was not read
  uint64_t line = 1;
  uint64_t column = 1;
};

struct Summary {
  uint64_t events = 0;
  uint64_t critical = 0;
  uint64_t error = 0;
  uint64_t warning = 0;
  uint64_t info = 0;
  // What a limit kept from being checked or listed. Any of them makes the report incomplete;
  // the JSON summary then says "incomplete": true with these counts (and omits them otherwise).
  uint64_t findings_omitted = 0;  // counted above but not listed (Options::max_findings_per_event, max_findings)
  uint64_t events_skipped = 0;    // events skipped unread (Options::max_event_bytes)
  bool input_rejected = false;    // the input is not UTF-8 JSON events and was not read at all
  bool incomplete() const { return findings_omitted > 0 || events_skipped > 0 || input_rejected; }
};

// Per aggregate (aggregate_type + aggregate_id), what the stream showed.
struct AggregateSummary {
  std::string aggregate_type;
  std::string aggregate_id;
  uint64_t events = 0;
  uint64_t first_version = 0;
  uint64_t last_version = 0;
  std::string final_state;  // lifecycle state after the last event ("" if unknown)
  uint64_t problems = 0;    // stream findings of severity warning or worse
};

struct Report {
  Summary summary;
  std::vector<Finding> findings;
  std::vector<AggregateSummary> aggregates;
  uint64_t aggregates_omitted = 0;  // aggregates seen but not listed (Options::max_aggregate_summaries)
};

class Validator {
 public:
  explicit Validator(Options options = {});
  ~Validator();
  Validator(Validator&&) noexcept;
  Validator& operator=(Validator&&) noexcept;

  // Feeds the next bytes of the input. Never throws on any input.
  void push(std::string_view bytes);
  // push() of bytes that stay where they are, unchanged, until finish() returns (a memory-mapped
  // file, the whole input in one buffer): the checking threads of Options::jobs read them in
  // place, where push() copies them. Pushes of one buffer in order, in slices of any size, are
  // as one push of it.
  void push_lasting(std::string_view bytes);
  // Findings produced since the last drain(), in input order. Draining keeps memory bounded.
  std::vector<Finding> drain();
  // The events completed since the last drain_events(), in input order (Options::list_events).
  std::vector<EventRecord> drain_events();
  // Ends the input: flushes the last event, adds the remaining findings and the summaries.
  // The validator is then spent; make a new one for the next input.
  Report finish();
  // Counts so far (events and findings by severity), including drained findings.
  const Summary& summary() const;
  // Bytes consumed so far.
  uint64_t bytes_pushed() const;

  // ---- Validation split across workers that share no memory (Web Workers, processes) ----
  // A validator made by handing_out_batches() frames the input in push() but checks no event
  // itself: the events come out of take_batch() in batches of up to 512 (about 128 KiB), as
  // bytes (with the options that decide each event's checks), for a BatchChecker to check
  // anywhere; merge_batch() takes
  // the results back, in the order the batches were taken, and runs the stream checks. drain(),
  // summary() and the report count what was merged, and end up exactly those of a plain
  // Validator. A batch carries the run's secret hash key (what keeps redeliveries unforgeable):
  // hand batches only to workers of your own. Options::jobs is not used. A plain Validator
  // has nothing for take_batch().
  static Validator handing_out_batches(const Options& options);

  // The next batch to check, or nothing when none is full yet (after close_input(), the rest).
  std::optional<std::string> take_batch();
  // The results of the oldest batch taken and not yet merged. False when they are not that
  // batch's results: it stays unmerged, and finish() checks it on this thread.
  bool merge_batch(std::string_view results);
  // No more input: frames the rest, so the last batches come out of take_batch(). finish() does
  // it when not done, and checks on this thread every batch not taken or not merged by then.
  void close_input();

 private:
  friend class BatchChecker;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Checks the batches a Validator hands out (Validator::handing_out_batches), on any thread or
// machine: every check of each event on its own, under the options the batch carries, and the
// facts the stream checks need.
class BatchChecker {
 public:
  BatchChecker();
  ~BatchChecker();
  BatchChecker(BatchChecker&&) noexcept;
  BatchChecker& operator=(BatchChecker&&) noexcept;
  // The batch's results for Validator::merge_batch(); nothing when the bytes are not a batch.
  std::optional<std::string> check(std::string_view batch);

 private:
  std::unique_ptr<Validator::Impl> impl_;
};

// Validates a whole buffer in one call.
Report validate(std::string_view input, const Options& options = {});

// The report as JSON, exactly the CLI's `--format json` shape:
// {"summary": {...}, "findings": [{"code","severity","message","pointer","line","column","event_index"}],
//  "aggregates": [...], "aggregates_omitted": N}
std::string report_to_json(const Report& report);
// The parts of the report, for output written as it is produced (the CLI streams findings).
std::string finding_to_json(const Finding& finding);
std::string summary_to_json(const Summary& summary);
std::string aggregates_to_json(const std::vector<AggregateSummary>& aggregates);
// Any text as a JSON string literal, quotes included (for names the CLI writes around the report).
std::string json_quote(std::string_view text);

// The CLI's text format: "label:line:column: severity code message\n", and the summary line
// "label: N events, N critical, N errors, N warnings, N info" (with "; INCOMPLETE: why" when a
// limit was hit). Text from events and file names goes through terminal_safe().
std::string finding_to_text(std::string_view label, const Finding& finding);
std::string summary_to_text(std::string_view label, const Summary& summary);
// Text safe to print on a terminal: control characters (C0, DEL, C1), line separators and
// bidirectional controls become visible escapes (\n, \x1b, \u202e); bytes that are not UTF-8
// become \xHH. Everything else is unchanged, so ordinary messages read as they are.
std::string terminal_safe(std::string_view text);

}  // namespace msgevents
