// Parallel validation (Options::jobs), the session's side and the workers': the session frames
// the input into batches (batch_event), a pool of workers checks them (check), and the session
// merges them back in input order (merge), running the stream checks there. Not in the
// WebAssembly build, which has no threads (check_pool.hpp says how the parts fit).
#include "validator_impl.hpp"

namespace msgevents {

void Validator::Impl::batch_framing_error(Finding finding) {
  // After the events framed so far, which may still be on a worker.
  if (!batch) batch = std::make_unique<detail::Batch>();
  batch->framing_errors.emplace_back(batch->events.size(), std::move(finding));
}

void Validator::Impl::batch_event(const detail::FramedEvent& event, int64_t event_index) {
  if (!batch) batch = std::make_unique<detail::Batch>();
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
  if (!pool && !last) {
    const Options worker_options = checker_options();
    const detail::SipKey* key = &hash_key;
    pool = std::make_unique<detail::CheckPool>(jobs, [worker_options, key]() -> std::unique_ptr<detail::BatchChecker> {
      return std::make_unique<Impl>(worker_options, key);
    });
    if (pool->workers() == 0) pool.reset();  // no thread could start: check here instead
  }
  if (!pool) {
    if (!inline_checker) inline_checker = std::make_unique<Impl>(checker_options(), &hash_key);
    inline_checker->check(*batch);
    merge(*batch);
    batch.reset();
    return;
  }
  pool->submit(std::move(batch));
  merge_done(false);
  // Two batches per worker keep every worker busy while the session merges; more would only
  // hold memory.
  while (pool->in_flight() >= 2 * size_t{pool->workers()}) merge_done(true);
}

void Validator::Impl::merge_done(bool wait) {
  if (!pool) return;
  while (std::unique_ptr<detail::Batch> checked = pool->next_done(wait)) {
    merge(*checked);
    if (wait) return;
  }
}

void Validator::Impl::finish_batches() {
  submit_batch(true);
  while (pool && pool->in_flight() > 0) merge_done(true);
}

void Validator::Impl::merge(detail::Batch& checked) {
  if (checked.failure) std::rethrow_exception(checked.failure);
  summary.events += checked.summary.events;
  summary.critical += checked.summary.critical;
  summary.error += checked.summary.error;
  summary.warning += checked.summary.warning;
  summary.info += checked.summary.info;
  summary.findings_omitted += checked.summary.findings_omitted;
  summary.events_skipped += checked.summary.events_skipped;
  size_t next_finding = 0, next_error = 0;
  auto framing_errors_before = [&](size_t event) {
    for (; next_error < checked.framing_errors.size() && checked.framing_errors[next_error].first <= event; ++next_error) {
      add_finding(std::move(checked.framing_errors[next_error].second));
    }
  };
  for (size_t e = 0; e < checked.events.size(); ++e) {
    framing_errors_before(e);
    const detail::BatchEvent& event = checked.events[e];
    // Counted on the worker (checked.summary).
    for (; next_finding < event.findings_end; ++next_finding) findings.push_back(std::move(checked.findings[next_finding]));
    if (!event.has_facts) continue;
    detail::EventFacts facts = checked.restore(event);
    text = checked.text_of(event);  // what the stream findings' positions are found in
    start = event.start;
    reset_cursor();
    facts.resolver = this;
    observe_stream(facts);
  }
  framing_errors_before(SIZE_MAX);
  for (auto& record : checked.records) events.push_back(std::move(record));
}

void Validator::Impl::check(detail::Batch& work) {
  summary = Summary();
  findings.swap(work.findings);
  events.swap(work.records);
  capturing = &work;
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

}  // namespace msgevents
