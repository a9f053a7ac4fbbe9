// Parallel validation (Options::jobs and Validator::handing_out_batches), the session's side and the
// workers': the session cuts an NDJSON input into ranges of lines (batch_push, range_cutting.cpp) or
// frames other input into batches (batch_event), workers check them (check, which frames a range first):
// a pool of threads (check_pool.hpp, not in the WebAssembly build), the caller's own workers
// (take_batch, BatchChecker), or this thread for an input of one batch; and the session merges
// them back in input order (merge), running the stream checks there (event_batch.hpp says how).
#include <algorithm>
#include <array>
#include <string_view>

#include "validator_impl.hpp"

namespace msgevents {

const Validator::Impl::Batching Validator::Impl::kBatching = {
    [](Impl& session, std::string_view bytes) { session.batch_push(bytes); },
    [](Impl& session, const detail::FramedEvent& event, int64_t event_index) { session.batch_event(event, event_index); },
    [](Impl& session, Finding finding) { session.batch_framing_error(std::move(finding)); },
    [](Impl& session) { session.merge_done(false); },
    [](Impl& session) {
      session.close_input();
      session.finish_batches();
    },
};

// The sink of a checker's framer over a range: its events, numbered from 0, in the batch.
namespace {
class RangeFramer : public detail::FramerSink {
 public:
  RangeFramer(detail::Batch& work, detail::FindingFactory& factory) : work_(work), factory_(factory) {}
  void on_event(const detail::FramedEvent& framed) override {
    detail::BatchEvent& event = work_.events.emplace_back();
    event.index = static_cast<int64_t>(work_.events.size()) - 1;
    event.start = framed.start;
    event.size = framed.size;
    event.too_large = framed.too_large;
    event.text_begin = framed.too_large ? 0 : framed.start.offset - work_.text_offset();
    event.text_size = framed.text.size();
  }
  void on_framing_error(const detail::FramingError& error) override {
    work_.framing_errors.emplace_back(work_.events.size(), factory_.make(error.rule, error.message, "", error.at, -1));
  }
  bool wants_more() const override { return work_.events.size() < detail::kRangeEvents; }

 private:
  detail::Batch& work_;
  detail::FindingFactory& factory_;
};
}  // namespace

void Validator::Impl::frame_range(detail::Batch& work) {
  work.events.clear();
  work.framing_errors.clear();
  // Events of a few hundred bytes, and their facts' strings: grown once or twice, not for each.
  work.events.reserve(std::min(work.bytes().size() / 256 + 1, detail::kRangeEvents));
  work.strings.reserve(work.bytes().size() / 4);
  RangeFramer sink(work, factory);
  if (work.skipped) {
    const detail::SkippedLine& line = *work.skipped;
    detail::FramedEvent skipped;  // as the framer reports a line too large to keep
    skipped.start = {line.indent, 1, 1 + line.indent};
    skipped.size = line.size - line.indent;
    skipped.too_large = true;
    sink.on_event(skipped);
    if (!line.ended) return;
  }
  detail::EventFramer range_framer(options.max_event_bytes);
  range_framer.continue_ndjson({work.text_offset(), work.skipped ? 2u : 1u, 1});
  range_framer.push(work.bytes(), sink);
  const size_t framed = range_framer.position().offset - work.text_offset();
  if (framed < work.bytes().size()) {
    work.rest_begin = framed;  // it stopped at kRangeEvents, at a line start
  } else {
    range_framer.finish(sink);
  }
  work.range_lines = range_framer.position().line - 1;
}

void Validator::Impl::batch_framing_error(Finding finding) {
  // After the events framed so far, which may still be on a worker.
  if (!batch) batch = std::make_unique<detail::Batch>();
  batch->framing_errors.emplace_back(batch->events.size(), std::move(finding));
}

void Validator::Impl::batch_event(const detail::FramedEvent& event, int64_t event_index) {
  if (!batch) {
    batch = std::make_unique<detail::Batch>();
    batch->events.reserve(detail::kBatchEvents);
    batch->text.reserve(detail::kBatchBytes + 1024);
  }
  detail::BatchEvent& framed = batch->events.emplace_back();
  framed.index = event_index;
  framed.start = event.start;
  framed.size = event.size;
  framed.too_large = event.too_large;
  framed.text_begin = batch->text.size();
  framed.text_size = event.text.size();
  batch->text.append(event.text);
  if (batch->full()) submit_batch(false);
}

void Validator::Impl::submit_batch(bool last) {
  if (!batch) return;
  if (hand_out) {  // take_batch() gives it its list_budget when it is taken
    ready.push_back(std::move(batch));
    return;
  }
  batch->list_budget = handed_out_budget();
#ifndef __EMSCRIPTEN__
  if (!pool && !last) {
    const Options worker_options = checker_options();
    const detail::SipKey* key = &hash_key;
    // One thread fewer than `jobs`: this thread is the last checker. It frames and merges, and
    // checks a batch itself whenever it would otherwise wait, so `jobs` threads are busy, no more
    // (a third thread on two cores cost more in switches than the session's share of the work).
    pool = std::make_unique<detail::CheckPool>(jobs - 1, [worker_options, key]() -> std::unique_ptr<detail::BatchWorker> {
      return std::make_unique<Impl>(worker_options, key);
    });
    if (pool->workers() == 0) pool.reset();  // no thread could start: check here instead
  }
  if (pool) {
    pool->submit(std::move(batch));
    merge_done(false);
    // Two batches per checking thread (this one included) keep every worker busy while this
    // thread frames, merges or checks, and at least eight in all: with few threads, batches that
    // take longer (events with findings) or a thread the machine's other work holds up would
    // otherwise leave the other thread waiting (2 threads, interleaved runs against four in
    // flight: 6 to 10% less time on the broken corpus, 2 to 10% on the clean one). Each is a
    // range of 128 KiB and what its check made of it.
    constexpr size_t kLeastInFlight = 8;
    while (pool->in_flight() >= std::max(kLeastInFlight, 2 * (size_t{pool->workers()} + 1))) help_or_wait();
    return;
  }
#else
  (void)last;
#endif
  check_inline(*batch);
  merge(*batch);
  batch.reset();
}

void Validator::Impl::check_inline(detail::Batch& work) {
  if (!inline_checker) inline_checker = std::make_unique<Impl>(checker_options(), &hash_key);
  work.clear_results();
  inline_checker->check(work);
}

#ifndef __EMSCRIPTEN__
void Validator::Impl::help_or_wait() {
  if (!inline_checker) inline_checker = std::make_unique<Impl>(checker_options(), &hash_key);
  if (pool->help(*inline_checker)) {
    merge_done(false);
  } else {
    merge_done(true);  // every batch is on a worker: wait for the oldest
  }
}
#endif

void Validator::Impl::merge_done(bool wait) {
#ifndef __EMSCRIPTEN__
  if (!pool) return;
  while (std::unique_ptr<detail::Batch> checked = pool->next_done(wait)) {
    merge(*checked);
    if (wait) return;
  }
#else
  (void)wait;
#endif
}

void Validator::Impl::close_input() {
  if (input_closed) return;
  input_closed = true;
  if (ranging) end_ranges();
  framer.finish(*this);  // nothing left to frame when ranging: it stands at a line start
  submit_batch(true);
}

void Validator::Impl::finish_batches() {
  // Batches handed out and not merged (or never taken) are checked here, in input order.
  for (auto* queue : {&taken, &ready}) {
    for (auto& left : *queue) {
      check_inline(*left);
      merge(*left);
    }
    queue->clear();
  }
#ifndef __EMSCRIPTEN__
  while (pool && pool->in_flight() > 0) help_or_wait();
#endif
}

std::optional<std::string> Validator::Impl::take_batch() {
  if (ready.empty()) return std::nullopt;
  ready.front()->list_budget = handed_out_budget();  // the session may have listed more since
  std::string bytes = detail::encode_batch_events(*ready.front(), hash_key, options);
  taken.push_back(std::move(ready.front()));
  ready.erase(ready.begin());
  return bytes;
}

bool Validator::Impl::merge_batch(std::string_view results) {
  if (taken.empty()) return false;
  detail::Batch& checked = *taken.front();
  if (!detail::decode_batch_results(results, catalog, &checked)) {
    checked.clear_results();
    return false;
  }
  merge(checked);
  taken.erase(taken.begin());
  return true;
}

void Validator::Impl::merge(detail::Batch& checked) {
#ifndef __EMSCRIPTEN__
  if (checked.failure) std::rethrow_exception(checked.failure);
#endif
  if (checked.findings.size() >= checked.list_budget && checked.list_budget < list_budget()) {
    // It listed all it was given, less than the session can list now (kBatchListCap): it may
    // have left out some that the session would list.
    checked.list_budget = list_budget();
    check_inline(checked);
  }
  merge_results(checked);
  if (checked.rest_begin < checked.bytes().size()) merge_rest(checked);
}

// The lines after a range's first kRangeEvents events, checked here before the next range is
// merged, kRangeEvents events at a time.
void Validator::Impl::merge_rest(const detail::Batch& checked) {
  std::string_view lines = checked.bytes().substr(checked.rest_begin);  // in `checked`, which outlives them
  uint64_t offset = checked.range_offset + checked.text_offset() + checked.rest_begin;
  while (!lines.empty()) {
    detail::Batch rest;
    rest.range = true;
    rest.range_offset = offset;
    rest.lent = lines;
    rest.list_budget = list_budget();
    check_inline(rest);
    merge_results(rest);
    const size_t checked_size = std::min(rest.rest_begin, lines.size());
    lines.remove_prefix(checked_size);
    offset += checked_size;
  }
}

void Validator::Impl::merge_results(detail::Batch& checked) {
  // A range's results are relative to it (event_batch.hpp): its events follow those merged so
  // far, its first line is range_line.
  const int64_t first_index = checked.range ? static_cast<int64_t>(summary.events) : 0;
  const uint64_t line_shift = checked.range ? range_line - 1 : 0;
  const uint64_t offset_shift = checked.range ? checked.range_offset : 0;
  auto placed = [&](Finding&& finding) -> Finding&& {
    finding.line += line_shift;
    if (finding.event_index >= 0) finding.event_index += first_index;
    return std::move(finding);
  };
  detail::add_to(summary, checked.summary);  // a worker never rejects the input: only the framer does
  size_t next_finding = 0, next_error = 0;
  auto framing_errors_before = [&](size_t event) {
    for (; next_error < checked.framing_errors.size() && checked.framing_errors[next_error].first <= event; ++next_error) {
      add_finding(placed(std::move(checked.framing_errors[next_error].second)));
    }
  };
  // The stream checks' lookups miss the cache on a stream of many ids. The events' facts are
  // restored a group at a time, and the table slots of the next group are loaded
  // (StreamChecker::warm) before this one is observed: natively prefetched while it runs, in
  // WebAssembly read all at once, so that their misses overlap.
  constexpr size_t kGroup = detail::StreamChecker::kMaxWarmed;
  const size_t count = checked.events.size();
  std::array<detail::EventFacts, kGroup> groups[2];
  auto restore_group = [&](size_t first, std::array<detail::EventFacts, kGroup>& into) {
    size_t n = 0;
    for (size_t e = first; e < std::min(first + kGroup, count); ++e) {
      if (checked.events[e].has_facts) into[n++] = checked.restore(checked.events[e]);
    }
    if (options.stream_checks) stream.warm(into.data(), n);
  };
  restore_group(0, groups[0]);
  for (size_t first = 0, g = 0; first < count; first += kGroup, g ^= 1) {
    restore_group(first + kGroup, groups[g ^ 1]);
    detail::EventFacts* facts = groups[g].data();
    for (size_t e = first; e < std::min(first + kGroup, count); ++e) {
      framing_errors_before(e);
      const detail::BatchEvent& event = checked.events[e];
      // Counted on the worker (checked.summary).
      for (; next_finding < event.findings_end; ++next_finding) list(placed(std::move(checked.findings[next_finding])));
      if (!event.has_facts) continue;
      detail::EventFacts& f = *facts++;
      f.index += first_index;
      f.start.line += line_shift;
      f.start.offset += offset_shift;
      text = checked.text_of(event);  // what the stream findings' positions are found in
      start = f.start;
      reset_cursor();
      observe_stream(f);
    }
  }
  framing_errors_before(SIZE_MAX);
  for (auto& record : checked.records) {
    record.index += first_index;
    record.line += line_shift;
    events.push_back(std::move(record));
  }
  range_line += checked.range_lines;
}

void Validator::Impl::check(detail::Batch& work) {
  if (work.range) frame_range(work);
  summary = Summary();
  findings.swap(work.findings);
  events.swap(work.records);
  capturing = &work;
  batch_budget = work.list_budget;
  findings_listed = 0;  // of this batch
  for (detail::BatchEvent& event : work.events) {
    capturing_event = &event;
    check_framed({work.text_of(event), event.start, event.size, event.too_large}, event.index);
    event.findings_end = findings.size();
  }
  capturing = nullptr;
  capturing_event = nullptr;
  findings.swap(work.findings);
  events.swap(work.records);
  work.summary = summary;
}

Validator Validator::handing_out_batches(const Options& options) {
  Validator validator(options);
  validator.impl_->hand_out = true;
  validator.impl_->batching = &Impl::kBatching;
  return validator;
}

std::optional<std::string> Validator::take_batch() { return impl_->take_batch(); }
bool Validator::merge_batch(std::string_view results) { return impl_->merge_batch(results); }
void Validator::close_input() {
  if (impl_->batching) impl_->close_input();
}

BatchChecker::BatchChecker() = default;
BatchChecker::~BatchChecker() = default;
BatchChecker::BatchChecker(BatchChecker&&) noexcept = default;
BatchChecker& BatchChecker::operator=(BatchChecker&&) noexcept = default;

std::optional<std::string> BatchChecker::check(std::string_view bytes) {
  detail::Batch work;
  detail::SipKey key;
  Options options;
  if (!detail::decode_batch_events(bytes, &work, &key, &options)) return std::nullopt;
  // One checker per session's options (the checks are compiled for them): made again only when
  // a batch of another session comes.
  const auto same = [](const Options& a, const Options& b) {
    return a.profile == b.profile && a.strict == b.strict && a.now_unix_ms == b.now_unix_ms &&
           a.max_event_bytes == b.max_event_bytes && a.max_depth == b.max_depth &&
           a.max_findings_per_event == b.max_findings_per_event && a.fast_path == b.fast_path && a.list_events == b.list_events;
  };
  if (!impl_ || !same(impl_->options, validation::with_limits(options))) impl_ = std::make_unique<Validator::Impl>(options, &key);
  impl_->hash_key = key;
  impl_->check(work);
  return detail::encode_batch_results(work);
}

}  // namespace msgevents
