// The validator session: frames the input into events, reads each (the fast path, else the
// event parser and the envelope and payload checks), keeps its findings in position order within
// the limits, and hands its facts to the stream checks. The checks themselves are in
// envelope_checks.cpp and payload_checks.cpp (validator_impl.hpp shows the parts).
#include <algorithm>

#include "validator_impl.hpp"

namespace msgevents {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::Info: return "info";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
    case Severity::Critical: return "critical";
  }
  return "error";
}

std::string_view to_string(Profile profile) { return profile == Profile::Public ? "public" : "internal"; }

std::optional<Profile> parse_profile(std::string_view text) {
  if (text == "internal") return Profile::Internal;
  if (text == "public") return Profile::Public;
  return std::nullopt;
}

std::optional<int64_t> parse_rfc3339_ms(std::string_view text) {
  std::string problem;
  const auto ts = detail::parse_rfc3339(text, &problem);
  if (!ts) return std::nullopt;
  return ts->unix_ms;
}


using namespace validation;  // the parts' shared helpers (validator_impl.hpp)

Validator::Impl::Impl(Options opts, const detail::SipKey* shared_key)
    : options(validation::with_limits(opts)),
      catalog(builtin_catalog()),
      framer(options.max_event_bytes),
      factory(options),
      hash_key(shared_key ? *shared_key : detail::random_sip_key()),
      stream(options, catalog, hash_key),
      fast(options, catalog) {
  for (const auto& event : catalog.events) {
    event_names.push_back(event.name);
    events_by_name.emplace(event.name, &event);
  }
  for (const auto& aggregate : catalog.aggregates) {
    aggregate_names.push_back(aggregate.name);
    aggregates_by_name.emplace(aggregate.name, &aggregate);
  }
#ifndef __EMSCRIPTEN__  // no threads there
  jobs = detail::effective_jobs(options.jobs);
  if (jobs > 1) batching = &kBatching;
#endif
}

Validator::Impl::~Impl() = default;

void Validator::Impl::count(Severity severity) {
  switch (severity) {
    case Severity::Critical: ++summary.critical; break;
    case Severity::Error: ++summary.error; break;
    case Severity::Warning: ++summary.warning; break;
    case Severity::Info: ++summary.info; break;
  }
}

Position Validator::Impl::position_of(uint64_t offset) {
  if (offset < cursor_offset) reset_cursor();
  offset = std::min<uint64_t>(offset, text.size());
  detail::advance_over(cursor_position, text.substr(cursor_offset, offset - cursor_offset));
  cursor_offset = offset;
  return cursor_position;
}

void Validator::Impl::keep(detail::PendingFinding finding) {
  const uint64_t cap = options.max_findings_per_event;
  if (pending.size() < cap) {
    pending.push_back(std::move(finding));
    if (pending.size() == cap) std::make_heap(pending.begin(), pending.end(), detail::earlier);
    return;
  }
  if (cap == 0 || !detail::earlier(finding, pending.front())) return drop(finding.rule);
  std::pop_heap(pending.begin(), pending.end(), detail::earlier);
  drop(pending.back().rule);
  pending.back() = std::move(finding);
  std::push_heap(pending.begin(), pending.end(), detail::earlier);
}

void Validator::Impl::note_findings_limit(const Finding& first_omitted) {
  findings_limit_reached = true;
  Finding notice = factory.make(MSGEVENTS_RULE("input.findings_limit"),
                                "more than " + std::to_string(options.max_findings) +
                                    " findings: from here on they are counted in the summary but not listed; fix "
                                    "these and validate again, or raise the limit (--max-findings, maxFindings)",
                                "", Position{0, first_omitted.line, first_omitted.column}, first_omitted.event_index);
  count(notice.severity);
  findings.push_back(std::move(notice));
}

void Validator::Impl::on_framing_error(const detail::FramingError& error) {
  if (error.rejects_input) summary.input_rejected = true;
  Finding finding = factory.make(error.rule, error.message, "", error.at, -1);
  if (batching) return batching->framing_error(*this, std::move(finding));
  observe_deferred();
  add_finding(std::move(finding));
}

void Validator::Impl::on_event(const detail::FramedEvent& event) {
  const int64_t event_index = next_index++;
  if (batching) return batching->event(*this, event, event_index);
  check_framed(event, event_index);
}

void Validator::Impl::check_framed(const detail::FramedEvent& event, int64_t event_index) {
  index = event_index;
  ++summary.events;
  start = event.start;
  text = event.text;
  pending.clear();
  omitted_in_event = 0;
  if (event.too_large) return skip_too_large(event);
  if (options.fast_path) {
    detail::EventFacts facts;
    // A checking worker (capturing) hands its facts to the session's thread: nothing to prefetch.
    const detail::StreamChecker* prefetcher = options.stream_checks && !capturing ? &stream : nullptr;
    if (fast.check(text, hash_key, &facts, &fast_findings, prefetcher) != detail::FastVerdict::FullPath) {
      // Clean, or with the findings the full path would make, in its report order: kept as the
      // full path's are (the per-event cap), then flushed with the facts to the stream checks.
      for (detail::PendingFinding& f : fast_findings) {
        keep({f.rule, std::move(f.message), std::move(f.pointer), kNoNode, f.offset, sequence++});
      }
      facts.index = index;
      facts.start = start;
      // Its facts' views stay valid until the push returns if they are into the pushed bytes
      // (not into the framer's copy of a line that began in an earlier push, say).
      const auto at = [](const char* p) { return reinterpret_cast<uintptr_t>(p); };
      const bool lasting = fast.read_in_place() && at(text.data()) >= at(pushed.data()) &&
                           at(text.data()) + text.size() <= at(pushed.data()) + pushed.size();
      flush_event(&facts, lasting);
      return;
    }
  }
  check_full();
}

__attribute__((noinline)) void Validator::Impl::skip_too_large(const detail::FramedEvent& event) {
  observe_deferred();
  record_event({});
  ++summary.events_skipped;
  add_finding(factory.make(MSGEVENTS_RULE("input.event_too_large"),
                           "event of " + std::to_string(event.size) + " bytes is larger than the limit of " +
                               std::to_string(options.max_event_bytes) + " bytes: skipped unread",
                           "", event.start, index));
}

// The full path: the event parsed into a node tree, every check run on it, every finding placed.
__attribute__((noinline)) void Validator::Impl::check_full() {
  detail::ParseError error;
  if (!parser.parse(text, options.max_depth, &error)) {
    detail::RuleId code = MSGEVENTS_RULE("json.syntax");
    if (error.failure == detail::ParseFailure::InvalidUtf8) code = MSGEVENTS_RULE("json.invalid_utf8");
    if (error.failure == detail::ParseFailure::NulByte) code = MSGEVENTS_RULE("json.nul_byte");
    if (error.failure == detail::ParseFailure::TooDeep) code = MSGEVENTS_RULE("json.too_deep");
    report(code, error.message, "", error.offset);
    flush_event(nullptr);
    return;
  }
  detail::EventFacts facts;
  check_event(facts);
  flush_event(&facts);
}

void Validator::Impl::flush_event(detail::EventFacts* facts, bool lasting) {
  record_event(facts ? facts->event_name : std::string_view());
  reset_cursor();
  if (!pending.empty() || omitted_in_event > 0) {
    observe_deferred();  // the stream findings of the events before come first
    list_pending();
  }
  if (!facts) return;
  if (capturing) {
    if (!facts->hashed) facts->hashes = detail::identity_hashes(*facts, hash_key);  // here, not on the session's thread
    facts->hashed = true;
    return capturing->capture(*facts, *capturing_event);
  }
  if (lasting && facts->hashed && may_defer()) {
    deferred[deferred_count] = *facts;
    deferred_text[deferred_count] = text;
    if (++deferred_count == deferred.size()) observe_deferred();
    return;
  }
  observe_deferred();
  observe_stream(*facts);
}

void Validator::Impl::observe_deferred() {
  if (deferred_count == 0) return;
  const size_t count = deferred_count;
  deferred_count = 0;
  stream.warm(deferred.data(), count);
  // Each event's stream findings are placed in its own text: the current event's is put back after.
  const std::string_view current_text = text;
  const Position current_start = start;
  for (size_t i = 0; i < count; ++i) {
    text = deferred_text[i];
    start = deferred[i].start;
    reset_cursor();
    observe_stream(deferred[i]);
  }
  text = current_text;
  start = current_start;
  reset_cursor();
}

// Out of line (most events have no finding): the event's findings in position order, each
// placed by the cursor in one pass over the event's text.
__attribute__((noinline)) void Validator::Impl::list_pending() {
  if (only_counting()) {  // what add_finding would do with each, without ordering or placing them
    for (const auto& p : pending) count(factory.severity_of(p.rule));
    summary.findings_omitted += pending.size();
    pending.clear();
  }
  std::sort(pending.begin(), pending.end(), detail::earlier);
  for (auto& p : pending) {
    if (p.pointer_node != kNoNode) p.pointer = parser.pointer(p.pointer_node);
    const Position at = position_of(p.offset);
    add_finding(factory.make(std::move(p), at, index));
  }
  pending.clear();
  if (omitted_in_event > 0) {
    summary.findings_omitted += omitted_in_event;
    add_finding(factory.make(MSGEVENTS_RULE("event.findings_truncated"),
                             "this event has " + std::to_string(omitted_in_event + options.max_findings_per_event) +
                                 " findings; only the first " + std::to_string(options.max_findings_per_event) +
                                 " are listed (the summary counts all of them): fix those and validate again",
                             "", start, index));
  }
}

void Validator::Impl::observe_stream(const detail::EventFacts& facts) {
  if (!options.stream_checks) return;
  stream_findings.clear();
  stream.observe(facts, stream_findings);
  if (!stream_findings.empty()) list_stream_findings(facts.index);
}

// Out of line, as list_pending(): most events have no stream finding.
__attribute__((noinline)) void Validator::Impl::list_stream_findings(int64_t event_index) {
  for (auto& p : stream_findings) {
    const Position at = position_of(p.offset);  // in `text`, the event's
    add_finding(factory.make(std::move(p), at, event_index));
  }
}

void Validator::Impl::locate(detail::FieldLocation& location, std::string_view pointer, uint32_t node) {
  if (node == kNoNode) return;
  location.pointer = pointer;
  location.offset = parser.node(node).begin;
}

bool Validator::Impl::is_credential(std::string_view key) {
  const auto found = credential_names.find(key);
  if (found != credential_names.end()) return found->second;
  const bool credential = detail::is_credential_name(key);
  if (credential_names.size() < 4096) credential_names.emplace(credential_name_store.emplace_back(key), credential);
  return credential;
}

Validator::Validator(Options options) : impl_(std::make_unique<Impl>(options)) {}
Validator::~Validator() = default;
Validator::Validator(Validator&&) noexcept = default;
Validator& Validator::operator=(Validator&&) noexcept = default;

void Validator::push(std::string_view bytes) {
  if (impl_->finished) return;
  if (!impl_->batching) {
    // The events held back have views into `bytes`, which is the caller's once this returns: their
    // checks run before it does, and a push that throws drops them.
    struct PushScope {
      Impl& impl;
      ~PushScope() {
        impl.pushed = {};
        impl.deferred_count = 0;
      }
    } scope{*impl_};
    impl_->pushed = bytes;
    impl_->framer.push(bytes, *impl_);
    return impl_->observe_deferred();
  }
  impl_->batching->push(*impl_, bytes);
  impl_->batching->merge_done(*impl_);
}

void Validator::push_lasting(std::string_view bytes) {
  impl_->pushing_lasting = true;
  push(bytes);
  impl_->pushing_lasting = false;
}

std::vector<Finding> Validator::drain() {
  std::vector<Finding> out;
  out.swap(impl_->findings);
  return out;
}

std::vector<EventRecord> Validator::drain_events() {
  std::vector<EventRecord> out;
  out.swap(impl_->events);
  return out;
}

Report Validator::finish() {
  Report report;
  if (!impl_->finished) {
    impl_->finished = true;
    if (impl_->batching) impl_->batching->finish(*impl_);
    else impl_->framer.finish(*impl_);
    impl_->observe_deferred();
    if (impl_->options.stream_checks) impl_->stream.finish(report.aggregates, &report.aggregates_omitted);
  }
  report.summary = impl_->summary;
  report.findings = drain();
  return report;
}

const Summary& Validator::summary() const { return impl_->summary; }
uint64_t Validator::bytes_pushed() const { return impl_->framer.bytes_seen() + impl_->bytes_ranged; }

Report validate(std::string_view input, const Options& options) {
  Validator validator(options);
  validator.push_lasting(input);  // `input` is the caller's until this returns
  return validator.finish();
}

}  // namespace msgevents
