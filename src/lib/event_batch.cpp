#include "event_batch.hpp"

#include <algorithm>
#include <cstring>

namespace msgevents::detail {

namespace {

StoredText store(std::string& strings, std::string_view text) {
  const StoredText stored{static_cast<uint32_t>(strings.size()), static_cast<uint32_t>(text.size())};
  strings.append(text);
  return stored;
}

std::string_view view(const std::string& strings, StoredText stored) {
  return std::string_view(strings).substr(stored.begin, stored.size);
}

// Numbers as LEB128 varints (signed ones zigzag-coded: most are small), hashes as 8 bytes little
// endian, strings length-prefixed. The results of a batch are mostly these numbers: compact bytes
// are fewer to copy into and out of a module's memory and between workers.
// The bytes go into a buffer grown ahead (room() doubles it), written through a pointer: a
// push_back per byte was a good part of a checker's time in WebAssembly.
class Writer {
 public:
  void u64(uint64_t value) {
    char* at = room(10);
    while (value >= 0x80) {
      *at++ = static_cast<char>(value | 0x80);
      value >>= 7;
    }
    *at++ = static_cast<char>(value);
    size_ = static_cast<size_t>(at - out_.data());
  }
  void i64(int64_t value) { u64((static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63)); }
  void hash(uint64_t value) {
    char* at = room(8);
    for (int i = 0; i < 8; ++i) at[i] = static_cast<char>(value >> (8 * i));
    size_ += 8;
  }
  void text(std::string_view value) {
    u64(value.size());
    if (value.empty()) return;
    std::memcpy(room(value.size()), value.data(), value.size());
    size_ += value.size();
  }
  void position(const Position& at) {
    u64(at.offset);
    u64(at.line);
    u64(at.column);
  }
  std::string take() {
    out_.resize(size_);
    return std::move(out_);
  }
  // What was written, then `tail` (its length already written), in one allocation.
  std::string take_with(std::string_view tail) {
    std::string out;
    out.reserve(size_ + tail.size());
    out.append(out_.data(), size_).append(tail);
    return out;
  }

 private:
  char* room(size_t bytes) {
    if (out_.size() - size_ < bytes) out_.resize(std::max(2 * out_.size(), size_ + bytes + 256));
    return out_.data() + size_;
  }
  std::string out_;  // its first size_ bytes are written
  size_t size_ = 0;
};

// Every read checks the bytes left; after one fails, ok() is false and every later read returns 0.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  uint64_t u64() {
    uint64_t value = 0;
    for (int shift = 0; ok_ && at_ < bytes_.size() && shift < 64; shift += 7) {
      const auto byte = static_cast<unsigned char>(bytes_[at_++]);
      value |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if (byte < 0x80) return value;
    }
    return fail();  // the bytes end inside a number, or it is longer than 64 bits
  }
  int64_t i64() {
    const uint64_t zigzag = u64();
    return static_cast<int64_t>(zigzag >> 1) ^ -static_cast<int64_t>(zigzag & 1);
  }
  uint64_t hash() {
    if (!ok_ || bytes_.size() - at_ < 8) return fail();
    uint64_t value = 0;
    for (int i = 0; i < 8; ++i) value |= static_cast<uint64_t>(static_cast<unsigned char>(bytes_[at_ + i])) << (8 * i);
    at_ += 8;
    return value;
  }
  // A count of things of at least `each` bytes each: never more than the bytes left could hold.
  uint64_t count(uint64_t each) {
    const uint64_t n = u64();
    return n <= (bytes_.size() - at_) / each ? n : fail();
  }
  std::string_view text() {
    const uint64_t size = count(1);
    if (!ok_) return {};
    const std::string_view value = bytes_.substr(at_, size);
    at_ += size;
    return value;
  }
  Position position() {
    Position at;
    at.offset = u64();
    at.line = u64();
    at.column = u64();
    return at;
  }
  bool ok() const { return ok_; }
  bool at_end() const { return ok_ && at_ == bytes_.size(); }

 private:
  uint64_t fail() {
    ok_ = false;
    return 0;
  }
  std::string_view bytes_;
  size_t at_ = 0;
  bool ok_ = true;
};

constexpr uint64_t kEventsMagic = 0x3162657665676d73ULL;   // "msgeveb1"
constexpr uint64_t kResultsMagic = 0x3172657665676d73ULL;  // "msgever1"

// The facts' field locations, whose pointers are these literals (or empty when the event lacks
// the field): only whether each is there crosses, and its offset.
struct LocationField {
  FieldLocation EventFacts::*member;
  std::string_view pointer;
};
constexpr LocationField kLocations[] = {{&EventFacts::event_id_at, "/event_id"},
                                        {&EventFacts::idempotency_key_at, "/idempotency_key"},
                                        {&EventFacts::version_at, "/version"},
                                        {&EventFacts::occurred_at_at, "/occurred_at"},
                                        {&EventFacts::event_name_at, "/event_name"}};
constexpr StoredText CapturedFacts::*kStored[] = {&CapturedFacts::event_name, &CapturedFacts::aggregate_type,
                                                  &CapturedFacts::aggregate_id, &CapturedFacts::event_id,
                                                  &CapturedFacts::idempotency_key};

// The facts but their event's index and start, which the session knows (it framed the event).
void write_facts(Writer& w, const CapturedFacts& captured, const Catalog& catalog) {
  const EventFacts& f = captured.facts;
  w.hash(f.content_hash);
  w.i64(f.spec ? f.spec - catalog.events.data() : -1);
  w.u64(f.version.has_value());
  w.u64(f.version.value_or(0));
  w.u64(f.occurred_at_ms.has_value());
  w.i64(f.occurred_at_ms.value_or(0));
  for (const LocationField& field : kLocations) {
    const FieldLocation& at = f.*field.member;
    w.u64(!at.pointer.empty());
    w.u64(at.offset);
  }
  w.u64(f.hashed);
  w.hash(f.hashes.idempotency_key);
  w.hash(f.hashes.event_id);
  w.hash(f.hashes.aggregate_id);
  for (const auto stored : kStored) {
    w.u64((captured.*stored).begin);
    w.u64((captured.*stored).size);
  }
}

bool read_facts(Reader& r, const Catalog& catalog, size_t strings_size, const BatchEvent& event, CapturedFacts* captured) {
  EventFacts& f = captured->facts;
  f.index = event.index;
  f.start = event.start;
  f.content_hash = r.hash();
  const int64_t spec = r.i64();
  if (spec < -1 || spec >= static_cast<int64_t>(catalog.events.size())) return false;
  f.spec = spec < 0 ? nullptr : &catalog.events[static_cast<size_t>(spec)];
  const bool has_version = r.u64() != 0;
  const uint64_t version = r.u64();
  if (has_version) f.version = version;
  const bool has_time = r.u64() != 0;
  const int64_t time = r.i64();
  if (has_time) f.occurred_at_ms = time;
  for (const LocationField& field : kLocations) {
    FieldLocation& at = f.*field.member;
    at.pointer = r.u64() != 0 ? field.pointer : std::string_view();
    at.offset = r.u64();
  }
  f.hashed = r.u64() != 0;
  f.hashes.idempotency_key = r.hash();
  f.hashes.event_id = r.hash();
  f.hashes.aggregate_id = r.hash();
  for (const auto stored : kStored) {
    StoredText& text = captured->*stored;
    const uint64_t begin = r.u64(), size = r.u64();
    if (begin > strings_size || size > strings_size - begin) return false;
    text = {static_cast<uint32_t>(begin), static_cast<uint32_t>(size)};
  }
  return r.ok();
}

void write_finding(Writer& w, const Finding& f) {
  w.text(f.code);
  w.u64(static_cast<uint64_t>(f.severity));
  w.text(f.message);
  w.text(f.pointer);
  w.u64(f.line);
  w.u64(f.column);
  w.i64(f.event_index);
}

bool read_finding(Reader& r, Finding* f) {
  f->code = std::string(r.text());
  const uint64_t severity = r.u64();
  if (severity > static_cast<uint64_t>(Severity::Critical)) return false;
  f->severity = static_cast<Severity>(severity);
  f->message = std::string(r.text());
  f->pointer = std::string(r.text());
  f->line = r.u64();
  f->column = r.u64();
  f->event_index = r.i64();
  return r.ok();
}

}  // namespace

void Batch::capture(const EventFacts& facts, BatchEvent& event) {
  CapturedFacts& captured = event.facts;
  captured.facts = facts;
  captured.event_name = store(strings, facts.event_name);
  captured.aggregate_type = store(strings, facts.aggregate_type);
  captured.aggregate_id = store(strings, facts.aggregate_id);
  captured.event_id = store(strings, facts.event_id);
  captured.idempotency_key = store(strings, facts.idempotency_key);
  captured.facts.event_name = captured.facts.aggregate_type = captured.facts.aggregate_id = {};
  captured.facts.event_id = captured.facts.idempotency_key = {};
  event.has_facts = true;
}

EventFacts Batch::restore(const BatchEvent& event) const {
  EventFacts facts = event.facts.facts;
  facts.event_name = view(strings, event.facts.event_name);
  facts.aggregate_type = view(strings, event.facts.aggregate_type);
  facts.aggregate_id = view(strings, event.facts.aggregate_id);
  facts.event_id = view(strings, event.facts.event_id);
  facts.idempotency_key = view(strings, event.facts.idempotency_key);
  return facts;
}

std::string encode_batch_events(const Batch& batch, const SipKey& key, const Options& options) {
  Writer w;
  w.hash(kEventsMagic);
  w.hash(key.k0);
  w.hash(key.k1);
  w.u64(static_cast<uint64_t>(options.profile));
  w.u64(options.strict);
  w.u64(options.now_unix_ms.has_value());
  w.i64(options.now_unix_ms.value_or(0));
  w.u64(options.max_event_bytes);
  w.u64(options.max_depth);
  w.u64(options.max_findings_per_event);
  w.u64(options.fast_path);
  w.u64(options.list_events);
  w.u64(batch.list_budget);
  w.u64(batch.range);
  if (batch.range) {
    w.u64(batch.range_offset);
    w.u64(batch.skipped.has_value());
    if (batch.skipped) {
      w.u64(batch.skipped->size);
      w.u64(batch.skipped->indent);
      w.u64(batch.skipped->ended);
    }
    w.u64(batch.bytes().size());
    return w.take_with(batch.bytes());
  }
  w.u64(batch.events.size());
  uint64_t text_size = 0;
  for (const BatchEvent& event : batch.events) {
    w.i64(event.index);
    w.position(event.start);
    w.u64(event.size);
    w.u64(event.too_large);
    w.u64(event.text_size);
    text_size += event.text_size;
  }
  // The events' texts last, in one block: one copy of the batch's bytes rather than one per
  // event (in WebAssembly each copy of more than 512 bytes is a call out to JavaScript).
  w.u64(text_size);
  return w.take_with(batch.text_of_all(text_size));
}

bool decode_batch_events(std::string_view bytes, Batch* batch, SipKey* key, Options* options) {
  Reader r(bytes);
  if (r.hash() != kEventsMagic) return false;
  key->k0 = r.hash();
  key->k1 = r.hash();
  const uint64_t profile = r.u64();
  if (profile > static_cast<uint64_t>(Profile::Public)) return false;
  options->profile = static_cast<Profile>(profile);
  options->strict = r.u64() != 0;
  const bool has_now = r.u64() != 0;
  const int64_t now = r.i64();
  options->now_unix_ms = has_now ? std::optional<int64_t>(now) : std::nullopt;
  options->max_event_bytes = r.u64();
  const uint64_t max_depth = r.u64();
  if (max_depth > UINT32_MAX) return false;
  options->max_depth = static_cast<uint32_t>(max_depth);
  options->max_findings_per_event = r.u64();
  options->fast_path = r.u64() != 0;
  options->list_events = r.u64() != 0;
  batch->list_budget = r.u64();
  batch->range = r.u64() != 0;
  if (batch->range) {
    batch->range_offset = r.u64();
    if (r.u64() != 0) {
      SkippedLine skipped;
      skipped.size = r.u64();
      skipped.indent = r.u64();
      skipped.ended = r.u64() != 0;
      if (skipped.indent > skipped.size) return false;
      batch->skipped = skipped;
    }
    const std::string_view text = r.text();
    if (!r.at_end() || (batch->skipped && !batch->skipped->ended && !text.empty())) return false;
    batch->text.assign(text);
    return true;
  }
  const uint64_t events = r.count(7);  // each at least 7 bytes (7 numbers)
  batch->events.resize(events);
  uint64_t text_size = 0;
  for (BatchEvent& event : batch->events) {
    event.index = r.i64();
    event.start = r.position();
    event.size = r.u64();
    event.too_large = r.u64() != 0;
    event.text_begin = text_size;
    event.text_size = r.u64();
    text_size += event.text_size;
    if (text_size < event.text_size) return false;  // wrapped around
  }
  const std::string_view texts = r.text();
  if (!r.at_end() || texts.size() != text_size) return false;
  batch->text.assign(texts);
  return true;
}

std::string encode_batch_results(const Batch& batch) {
  Writer w;
  w.hash(kResultsMagic);
  const Summary& s = batch.summary;
  for (const uint64_t n : {s.events, s.critical, s.error, s.warning, s.info, s.findings_omitted, s.events_skipped}) w.u64(n);
  w.text(batch.strings);
  w.u64(batch.findings.size());
  for (const Finding& f : batch.findings) write_finding(w, f);
  w.u64(batch.records.size());
  for (const EventRecord& record : batch.records) {
    w.i64(record.index);
    w.text(record.event_name);
    w.u64(record.line);
    w.u64(record.column);
  }
  w.u64(batch.range);
  if (batch.range) {
    // What the session does not know of a range: where its events are, and its framing errors.
    w.u64(batch.range_offset);  // which batch these are the results of
    w.u64(batch.range_lines);
    w.u64(batch.rest_begin);
    w.u64(batch.framing_errors.size());
    for (const auto& [before, finding] : batch.framing_errors) {
      w.u64(before);
      write_finding(w, finding);
    }
  } else {
    w.i64(batch.events.empty() ? -1 : batch.events.front().index);  // which batch these are the results of
  }
  w.u64(batch.events.size());
  const Catalog& catalog = builtin_catalog();
  for (const BatchEvent& event : batch.events) {
    if (batch.range) {
      w.position(event.start);
      w.u64(event.size);
      w.u64(event.too_large);
      w.u64(event.text_size);
    }
    w.u64(event.findings_end);
    w.u64(event.has_facts);
    if (event.has_facts) write_facts(w, event.facts, catalog);
  }
  return w.take();
}

bool decode_batch_results(std::string_view bytes, const Catalog& catalog, Batch* batch) {
  Reader r(bytes);
  if (r.hash() != kResultsMagic) return false;
  Summary& s = batch->summary;
  for (uint64_t* n : {&s.events, &s.critical, &s.error, &s.warning, &s.info, &s.findings_omitted, &s.events_skipped}) *n = r.u64();
  batch->strings = std::string(r.text());
  batch->findings.resize(r.count(7));
  for (Finding& f : batch->findings) {
    if (!read_finding(r, &f)) return false;
  }
  batch->records.resize(r.count(4));
  for (EventRecord& record : batch->records) {
    record.index = r.i64();
    record.event_name = std::string(r.text());
    record.line = r.u64();
    record.column = r.u64();
  }
  if ((r.u64() != 0) != batch->range) return false;
  if (batch->range) {
    if (r.u64() != batch->range_offset) return false;
    batch->range_lines = r.u64();
    // Read whole before it is narrowed: in WebAssembly a size_t has 32 bits, and a larger value
    // would wrap to one that passes the check.
    const uint64_t rest_begin = r.u64();
    if (rest_begin != std::string_view::npos && rest_begin >= batch->bytes().size()) return false;
    batch->rest_begin = static_cast<size_t>(rest_begin);
    batch->framing_errors.resize(r.count(8));
    for (auto& [before, finding] : batch->framing_errors) {
      before = r.u64();
      if (!read_finding(r, &finding)) return false;
    }
    batch->events.resize(r.count(8));
  } else {
    if (r.i64() != (batch->events.empty() ? -1 : batch->events.front().index)) return false;
    if (r.u64() != batch->events.size()) return false;
  }
  size_t findings_before = 0;
  const uint64_t text_offset = batch->text_offset();
  int64_t index = 0;
  for (BatchEvent& event : batch->events) {
    if (batch->range) {
      event.index = index++;
      event.start = r.position();
      event.size = r.u64();
      event.too_large = r.u64() != 0;
      event.text_size = r.u64();
      if (event.too_large) event.text_size = 0;
      // Where its text is in the range the session kept: never outside it.
      if (event.start.offset < text_offset && !event.too_large) return false;
      event.text_begin = event.too_large ? 0 : event.start.offset - text_offset;
      if (event.text_begin > batch->text.size() || event.text_size > batch->text.size() - event.text_begin) return false;
    }
    event.findings_end = r.u64();
    if (event.findings_end < findings_before || event.findings_end > batch->findings.size()) return false;
    findings_before = event.findings_end;
    event.has_facts = r.u64() != 0;
    if (event.has_facts && !read_facts(r, catalog, batch->strings.size(), event, &event.facts)) return false;
  }
  return r.at_end() && findings_before == batch->findings.size();
}

}  // namespace msgevents::detail
