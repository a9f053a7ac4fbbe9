// A batch of framed events, the unit of parallel validation (Options::jobs, and
// Validator::handing_out_batches): the session's thread frames the input, copies up to kBatchEvents
// events (about kBatchBytes) into a Batch and hands it to a worker, which runs every check of each
// event on its own (the fast path, else the parser and the envelope and payload checks) and
// captures the facts the stream checks need. The session takes the batches back in input order
// and runs the stream checks there, so the findings, their order and the summary are those of
// one thread. Workers are threads (check_pool.hpp) or, in WebAssembly, Web Workers that get the
// batch as bytes (encode_batch_events).
//
// An NDJSON input, once its first line is framed, goes in ranges instead (Batch::range): the
// session only finds the last line break before each 128 KiB and hands out the bytes; the worker
// frames them (every line after the first is an event on its own, so a range frames as the
// whole input would there) and returns positions relative to the range, which the session shifts
// as it merges. So the session's share is the cut, the merge and the stream checks, not framing
// and copying each event.
#pragma once

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "event_framer.hpp"
#include "msgevents/catalog.hpp"
#include "msgevents/validator.hpp"
#include "siphash.hpp"
#include "stream_checks.hpp"

namespace msgevents::detail {

constexpr size_t kBatchEvents = 512;
constexpr size_t kBatchBytes = 128 << 10;
// The most findings a batch lists (Batch::list_budget), so that the batches in flight hold a few
// MB of findings and not each the whole Options::max_findings: with 8 in flight, a stream of `{}`
// lines peaked at 180 MB (10 MiB: 245 MB) against 40 MB with one thread. A batch with more is
// checked twice, once on a worker and once as it is merged, but only while the run's budget
// lasts: at most max_findings / kBatchListCap + 1 batches are.
constexpr uint64_t kBatchListCap = 2048;
// The most events a range's checker frames: 128 KiB of short lines (43,690 `{}` lines) would
// otherwise hold some 19 MB of events and facts in each batch in flight. A real stream's events
// are over 150 bytes (an event id alone is 36), and only lines averaging under 64 bytes are cut.
// The lines after them are checked by the session as it merges the range (Batch::rest_begin).
constexpr size_t kRangeEvents = 2048;

// A string the worker copied into Batch::strings (views into an event's text or its parser's
// memory do not outlive the event).
struct StoredText {
  uint32_t begin = 0;
  uint32_t size = 0;
};

// The stream facts of one event, owned by its batch.
struct CapturedFacts {
  EventFacts facts;  // its string views are empty until restore()
  StoredText event_name, aggregate_type, aggregate_id, event_id, idempotency_key;
};

struct BatchEvent {
  // Framed by the session.
  int64_t index = 0;
  Position start;
  uint64_t size = 0;
  bool too_large = false;
  uint64_t text_begin = 0;  // into Batch::text
  uint64_t text_size = 0;
  // Checked by a worker.
  size_t findings_end = 0;  // the event's own findings are Batch::findings up to here
  bool has_facts = false;   // false when the event was not read (too large, not JSON)
  CapturedFacts facts;
};

// A line the session did not keep (larger than Options::max_event_bytes): it opens the range that
// follows it, which holds none of its bytes.
struct SkippedLine {
  uint64_t size = 0;    // its bytes, without the line break
  uint64_t indent = 0;  // the whitespace it begins with (the event starts after it)
  bool ended = false;   // a line break follows it (else the input ends in it)
};

struct Batch {
  std::string text;  // the events' bytes, one after another; a range's lines
  // Or a range's lines where they lie in the input, which outlives the batch (pushed by
  // Validator::push_lasting): not copied. bytes() is whichever the batch has.
  std::string_view lent;
  std::string_view bytes() const { return lent.empty() ? std::string_view(text) : lent; }
  std::vector<BatchEvent> events;
  // A range of NDJSON lines (once the input is NDJSON, the session cuts it at line ends instead of
  // framing each event): the checker frames `text` itself, and every position, event index and
  // line in its results is relative to the range (its first line is line 1, its first event
  // index 0, offsets count from its first byte, skipped line included); the session shifts them
  // as it merges, in input order, when it knows how many lines and events came before.
  bool range = false;
  uint64_t range_offset = 0;  // where the range begins in the input (its skipped line's start)
  std::optional<SkippedLine> skipped;
  uint64_t range_lines = 0;   // checked: the line breaks in the range, skipped line's included
  // Checked: where in bytes() the lines its checker left begin (it framed kRangeEvents events
  // before them), or npos when it framed them all; range_lines counts only those it framed.
  size_t rest_begin = std::string_view::npos;
  uint64_t text_offset() const { return skipped ? skipped->size + (skipped->ended ? 1 : 0) : 0; }
  // Set by the session when it hands the batch out: the most findings of the batch it can still
  // list (Options::max_findings less those listed so far), and one more, the first it leaves out,
  // where it says the limit was reached, but at most kBatchListCap. The worker lists that many and
  // only counts the others, building no message, pointer or position for them, as one thread
  // does past the limit: 0 once the session is past it (a range of `{}` lines has some 350,000
  // findings). A batch that left some out while the session could still list more is checked
  // again as it is merged, with the budget the session has then (Validator::Impl::merge).
  uint64_t list_budget = UINT64_MAX;
  // Framing errors, with the number of events framed before each: the session reports them
  // between those events' findings, where one thread reports them.
  std::vector<std::pair<size_t, Finding>> framing_errors;

  // The worker's results.
  std::vector<Finding> findings;  // positioned, with their global event index, in report order
  std::vector<EventRecord> records;  // Options::list_events
  Summary summary;  // what the batch's own findings count
  std::string strings;  // CapturedFacts' texts
#ifndef __EMSCRIPTEN__
  std::exception_ptr failure;  // what a worker thread threw (out of memory), rethrown by the session
#endif

  void clear_results() {
    findings.clear();
    records.clear();
    summary = Summary();
    strings.clear();
    range_lines = 0;
    rest_begin = std::string_view::npos;
    if (range) {
      events.clear();  // framed by the checker
      framing_errors.clear();
    }
    for (BatchEvent& event : events) {
      event.findings_end = 0;
      event.has_facts = false;
    }
  }
  bool full() const { return events.size() >= kBatchEvents || text.size() >= kBatchBytes; }
  std::string_view text_of(const BatchEvent& event) const {
    return bytes().substr(event.text_begin, event.text_size);
  }
  // The texts of all events, one after another: `size` bytes from the first event's.
  std::string_view text_of_all(uint64_t size) const {
    return events.empty() ? std::string_view() : bytes().substr(events.front().text_begin, size);
  }
  void capture(const EventFacts& facts, BatchEvent& event);
  // The facts with their views pointed at this batch's copies.
  EventFacts restore(const BatchEvent& event) const;
};

// Checks every event of a batch (each worker thread has its own).
class BatchWorker {
 public:
  virtual ~BatchWorker() = default;
  virtual void check(Batch& batch) = 0;
};

// A batch crosses to a worker that shares no memory (a Web Worker; Validator::handing_out_batches)
// as bytes: its events, with the run's hash key and the options that decide each event's checks,
// and back its results. Decoding checks every length and count against the bytes: false for
// bytes that are not what the encoder wrote.
std::string encode_batch_events(const Batch& batch, const SipKey& key, const Options& options);
bool decode_batch_events(std::string_view bytes, Batch* batch, SipKey* key, Options* options);
std::string encode_batch_results(const Batch& batch);
// Into the batch whose events were encoded (the session kept it): false if they do not match.
bool decode_batch_results(std::string_view bytes, const Catalog& catalog, Batch* batch);

}  // namespace msgevents::detail
