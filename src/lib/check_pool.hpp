// Parallel validation (Options::jobs): the session's thread frames the input, copies the events
// into batches and hands each batch to a pool of worker threads, which run every check of an
// event on its own (the fast path, else the parser and the envelope and payload checks). The
// session takes the batches back in input order and runs the stream checks over the facts the
// workers captured, so the findings, their order and the summary are those of one thread.
//
// What crosses threads is a Batch: a worker owns it between submit() and its return by next_done().
// Memory is bounded by the batches in flight (at most 2 per worker) of at most kBatchEvents events
// and about kBatchBytes bytes each (one event may be larger, up to Options::max_event_bytes).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "event_framer.hpp"
#include "msgevents/validator.hpp"
#include "stream_checks.hpp"

namespace msgevents::detail {

constexpr size_t kBatchEvents = 512;
constexpr size_t kBatchBytes = 128 << 10;

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

struct Batch {
  std::string text;  // the events' bytes, one after another
  std::vector<BatchEvent> events;
  // Framing errors, with the number of events framed before each: the session reports them
  // between those events' findings, where one thread reports them.
  std::vector<std::pair<size_t, Finding>> framing_errors;

  // The worker's results.
  std::vector<Finding> findings;  // positioned, with their global event index, in report order
  std::vector<EventRecord> records;  // Options::list_events
  Summary summary;  // what the batch's own findings count
  std::string strings;  // CapturedFacts' texts
  std::exception_ptr failure;  // what a worker threw (out of memory), rethrown by the session

  bool full() const { return events.size() >= kBatchEvents || text.size() >= kBatchBytes; }
  std::string_view text_of(const BatchEvent& event) const {
    return std::string_view(text).substr(event.text_begin, event.text_size);
  }
  void capture(const EventFacts& facts, BatchEvent& event);
  // The facts with their views pointed at this batch's copies.
  EventFacts restore(const BatchEvent& event) const;
};

// Checks every event of a batch (each worker thread has its own).
class BatchChecker {
 public:
  virtual ~BatchChecker() = default;
  virtual void check(Batch& batch) = 0;
};

class CheckPool {
 public:
  CheckPool(unsigned workers, const std::function<std::unique_ptr<BatchChecker>()>& make_checker);
  ~CheckPool();  // stops the workers (batches still in flight are dropped)
  CheckPool(const CheckPool&) = delete;
  CheckPool& operator=(const CheckPool&) = delete;

  void submit(std::unique_ptr<Batch> batch);
  // The oldest batch submitted and not yet returned, once checked: waits for it when `wait`,
  // else returns null if it is not done yet. Null when nothing is in flight.
  std::unique_ptr<Batch> next_done(bool wait);
  size_t in_flight() const;
  unsigned workers() const { return static_cast<unsigned>(threads_.size()); }

 private:
  struct Slot {
    std::unique_ptr<Batch> batch;
    bool claimed = false;
    bool done = false;
  };
  void work(BatchChecker& checker);

  mutable std::mutex mutex_;
  std::condition_variable work_ready_;  // a batch waits for a worker, or the pool stops
  std::condition_variable batch_done_;
  std::deque<Slot> slots_;  // in submission order
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// The number of worker threads for Options::jobs (0: one per core).
unsigned effective_jobs(uint32_t jobs);

}  // namespace msgevents::detail
