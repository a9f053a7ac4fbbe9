#include "msgevents/redact.hpp"

#include <algorithm>
#include <limits>
#include <vector>

#include "event_framer.hpp"
#include "event_parser.hpp"
#include "msgevents/catalog.hpp"
#include "msgevents/rules.hpp"
#include "rule_table.hpp"
#include "sha256.hpp"
#include "text_util.hpp"

namespace msgevents {
namespace {

using detail::EventParser;
using detail::Node;
using detail::NodeKind;
using detail::Position;

struct Replacement {
  uint32_t begin;
  uint32_t end;
  std::string token;
};

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr detail::RuleId kWithheld = MSGEVENTS_RULE("redact.withheld");
constexpr const char* kNothingWritten = "; none of its bytes are written";

// Between events only these bytes are copied: they carry no data, and they keep an array or NDJSON
// output well-formed. Anything else there is content outside every event, which is withheld.
bool is_separator(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '[' || c == ']' || c == ',';
}

using detail::advance;

Position advanced(Position at, std::string_view text) {
  for (char c : text) advance(at, static_cast<unsigned char>(c));
  return at;
}

using detail::kind_name;

std::string_view parse_failure_code(detail::ParseFailure failure) {
  switch (failure) {
    case detail::ParseFailure::InvalidUtf8: return detail::rule_of(MSGEVENTS_RULE("json.invalid_utf8")).code;
    case detail::ParseFailure::NulByte: return detail::rule_of(MSGEVENTS_RULE("json.nul_byte")).code;
    case detail::ParseFailure::TooDeep: return detail::rule_of(MSGEVENTS_RULE("json.too_deep")).code;
    case detail::ParseFailure::Syntax:
    case detail::ParseFailure::None: break;
  }
  return detail::rule_of(MSGEVENTS_RULE("json.syntax")).code;
}


}  // namespace

std::string redaction_token(std::string_view value, std::string_view key) {
  return "redacted:" + detail::to_hex(detail::hmac_sha256(key, value), 16);
}

// The input is kept only from the first byte not yet dealt with (`cursor`): between events that is
// a few bytes of whitespace or commas, inside an event at most the event itself. The bytes of an
// event already longer than the size limit are dropped as they come (the event is withheld), so
// memory stays bounded by the limit whatever the input.
struct Redactor::Impl : detail::FramerSink {
  Impl(std::string k, RedactOptions o) : key(std::move(k)), options(o), framer(o.max_event_bytes) {}

  void on_event(const detail::FramedEvent& event) override {
    const uint64_t begin = event.start.offset;
    const uint64_t end = begin + event.size;
    pass_between_events(begin);
    close_outside_content();
    const int64_t index = next_index++;
    std::string why;
    if (event.too_large || event.text.size() != event.size) {
      why = "its " + std::to_string(event.size) + " bytes are more than the limit of " +
            std::to_string(options.max_event_bytes) + " bytes, so it was not read";
    } else if (event.text.size() > std::numeric_limits<uint32_t>::max()) {
      why = "its " + std::to_string(event.size) + " bytes are more than 4 GiB, more than an event can be read with";
    } else {
      why = redact_event(event.text, event.start);
      if (why.empty()) {
        cursor = std::max(cursor, end);
        cursor_at = advanced(event.start, event.text);
        return;
      }
    }
    withhold(event, index, why);
  }
  void on_framing_error(const detail::FramingError&) override {}

  // Writes the placeholder and the event's line breaks; not one byte of the event itself.
  void withhold(const detail::FramedEvent& event, int64_t index, const std::string& why) {
    const uint64_t end = std::min(event.start.offset + event.size, base + kept.size());
    if (!event.too_large && event.text.size() == event.size) {
      out.append(kWithheldPlaceholder);
      out.append(static_cast<size_t>(std::count(event.text.begin(), event.text.end(), '\n')), '\n');
      cursor_at = advanced(event.start, event.text);
    } else {
      // Too large: its bytes from the cursor on are still kept (compact() may have dealt with its
      // first ones already); their line breaks only, then the placeholder, whatever the chunking.
      pass_line_breaks(end);
      out.append(kWithheldPlaceholder);
    }
    cursor = std::max(cursor, end);
    ++withheld;
    add_finding("event withheld: " + why + kNothingWritten, event.start, index);
  }

  // Deals with the kept bytes of a withheld event up to the absolute offset `to`: its line breaks
  // are written (lines stay aligned), nothing else.
  void pass_line_breaks(uint64_t to) {
    for (; cursor < to; ++cursor) {
      const auto c = static_cast<unsigned char>(kept[static_cast<size_t>(cursor - base)]);
      if (c == '\n') out += '\n';
      advance(cursor_at, c);
    }
  }

  void add_finding(std::string message, const Position& at, int64_t index) {
    Finding finding;
    finding.code = std::string(detail::rule_of(kWithheld).code);
    finding.severity = detail::rule_of(kWithheld).severity;
    finding.message = std::move(message);
    finding.line = at.line;
    finding.column = at.column;
    finding.event_index = index;
    findings.push_back(std::move(finding));
  }

  // Deals with the kept input up to the absolute offset `to`, which lies between events: separators
  // are copied, anything from the first other byte on is withheld (its line breaks aside).
  void pass_between_events(uint64_t to) {
    to = std::min(to, base + kept.size());
    while (cursor < to) {
      if (cursor == 0 && to >= kBom.size() && std::string_view(kept).substr(0, kBom.size()) == kBom) {
        out.append(kBom);  // the byte order mark: no character, the column stays 1 (as the framer counts)
        cursor = cursor_at.offset = kBom.size();
        continue;
      }
      const auto c = static_cast<unsigned char>(kept[static_cast<size_t>(cursor - base)]);
      if (!outside_content && !is_separator(c)) {
        outside_content = true;
        outside_content_at = cursor_at;
      }
      if (!outside_content || c == '\n') out += static_cast<char>(c);
      advance(cursor_at, c);
      ++cursor;
    }
  }

  // The stretch between two events ends at the next event (or at the end of the input): report
  // the content withheld in it.
  void close_outside_content() {
    if (outside_content) {
      add_finding("content outside any event withheld: it is not part of an event (after the end of the array, or after "
                  "the first event on a line), so it cannot be redacted; none of it is written",
                  outside_content_at, -1);
    }
    outside_content = false;
  }

  void redact_string(uint32_t index, std::string_view text, std::vector<Replacement>& found) {
    const Node& node = parser.node(index);
    if (node.kind != NodeKind::String || detail::is_redaction_token(node.value)) return;
    found.push_back({node.begin, parser.string_end(index, text), redaction_token(node.value, key)});
  }

  void redact_value(uint32_t index, std::string_view text, std::vector<Replacement>& found) {
    const Node& node = parser.node(index);
    if (node.kind == NodeKind::String) {
      redact_string(index, text, found);
    } else if (node.kind == NodeKind::Array || node.kind == NodeKind::Object) {
      for (uint32_t c = node.first_child; c != detail::kNoNode; c = parser.node(c).next_sibling) {
        redact_value(c, text, found);
      }
    }
  }

  // Why the event cannot be redacted, or "" once its redacted text is written. Never quotes the
  // event: the reasons name only the problem and where it is.
  std::string redact_event(std::string_view text, const Position& start) {
    detail::ParseError error;
    if (!parser.parse(text, options.max_depth, &error)) {
      const Position at = advanced(start, text.substr(0, std::min<uint64_t>(error.offset, text.size())));
      return "it cannot be read (" + std::string(parse_failure_code(error.failure)) + " at line " + std::to_string(at.line) +
             ", column " + std::to_string(at.column) + ": " + error.message + ")";
    }
    const Node& root = parser.node(0);
    if (root.kind != NodeKind::Object) {
      return "it is " + std::string(kind_name(root.kind)) + ", not a JSON object, so it is no event that can be redacted";
    }
    const bool public_profile = options.profile == Profile::Public;
    const EventSpec* spec = nullptr;
    const uint32_t name = parser.member(0, "event_name");
    if (name != detail::kNoNode && parser.node(name).kind == NodeKind::String) {
      spec = catalog.find_event(parser.node(name).value);
    }
    const uint32_t payload = parser.member(0, "payload");
    if (public_profile) {
      // Under the public profile the catalog says which fields are personal: an event it cannot
      // place might carry them anywhere. (The internal profile removes credentials only, found by
      // name wherever they are, so it needs no classification.)
      for (const detail::DuplicateKey& duplicate : parser.duplicate_keys()) {
        const Node& node = parser.node(duplicate.node);
        if (node.parent == 0 && (node.key == "event_name" || node.key == "payload")) {
          return "it has " + std::string(node.key) +
                 " twice at the top level, so readers disagree on which fields hold personal data";
        }
      }
      const char* unplaced = name == detail::kNoNode                           ? "its event_name is missing"
                             : parser.node(name).kind != NodeKind::String       ? "its event_name is not a string"
                             : spec == nullptr                                  ? "its event_name is no event type of the catalog"
                             : payload != detail::kNoNode && parser.node(payload).kind != NodeKind::Object
                                 ? "its payload is not an object"
                                 : nullptr;
      if (unplaced) return std::string(unplaced) + ", so which of its fields hold personal data is unknown";
    }
    std::vector<Replacement> found;
    if (spec && payload != detail::kNoNode && parser.node(payload).kind == NodeKind::Object) {
      for (uint32_t c = parser.node(payload).first_child; c != detail::kNoNode; c = parser.node(c).next_sibling) {
        const FieldSpec* field = spec->find_field(parser.node(c).key);
        if (!field) continue;
        if (field->privacy == Privacy::Secret || (public_profile && field->privacy == Privacy::Pii)) {
          redact_value(c, text, found);
        } else if (public_profile && field->free_text && parser.node(c).kind == NodeKind::String &&
                   detail::find_contact_data(parser.node(c).value)) {
          redact_string(c, text, found);
        }
      }
    }
    // Credentials are never allowed, declared or not: wherever one is, its value goes.
    const std::vector<Node>& nodes = parser.nodes();
    for (uint32_t i = 1; i < nodes.size(); ++i) {
      const Node& node = nodes[i];
      if (node.parent == detail::kNoNode || nodes[node.parent].kind != NodeKind::Object) continue;
      if (detail::is_credential_name(node.key)) redact_value(i, text, found);
    }
    std::sort(found.begin(), found.end(), [](const Replacement& a, const Replacement& b) { return a.begin < b.begin; });
    uint32_t at = 0;
    for (const Replacement& r : found) {
      if (r.begin < at) continue;  // the same value reached twice (a pii field named like a credential)
      out.append(text.substr(at, r.begin - at));
      out += '"';
      out += r.token;
      out += '"';
      at = r.end;
      ++redacted;
    }
    out.append(text.substr(at));
    return {};
  }

  // Drops the kept bytes already dealt with; keeps the buffer from growing with the input.
  void compact() {
    const uint64_t total = base + kept.size();
    // Bytes more than the limit behind the end belong to no event that can still be redacted:
    // separators and content outside events, which are dealt with now, or the start of the event
    // the framer is in, which is too large, so withheld: only its line breaks are written, before
    // its placeholder, as when the whole input is read at once.
    const uint64_t limit = options.max_event_bytes == std::numeric_limits<uint64_t>::max() ? options.max_event_bytes
                                                                                            : options.max_event_bytes + 1;
    if (total > limit) {
      const uint64_t settled = total - limit;
      const uint64_t open_event = framer.open_event_offset();
      pass_between_events(std::min(settled, open_event));
      if (open_event < settled) pass_line_breaks(settled);
    }
    const size_t drop = static_cast<size_t>(cursor - base);
    if (drop == kept.size()) {
      kept.clear();
    } else if (drop >= 4096 && drop * 2 >= kept.size()) {
      kept.erase(0, drop);
    } else {
      return;
    }
    base = cursor;
  }

  std::string take_output() {
    std::string result;
    result.swap(out);
    return result;
  }

  std::string key;
  RedactOptions options;
  const Catalog& catalog = builtin_catalog();
  detail::EventFramer framer;
  EventParser parser;
  std::string kept;     // input from absolute offset `base`
  uint64_t base = 0;
  uint64_t cursor = 0;  // absolute offset of the first input byte not yet written out or withheld
  Position cursor_at;   // where `cursor` is, as line and column
  bool outside_content = false;  // withholding bytes between events since outside_content_at
  Position outside_content_at;
  std::string out;
  std::vector<Finding> findings;  // since the last drain
  int64_t next_index = 0;
  uint64_t redacted = 0;
  uint64_t withheld = 0;
  bool finished = false;
};

Redactor::Redactor(std::string key, RedactOptions options)
    : impl_(std::make_unique<Impl>(std::move(key), options)) {}
Redactor::~Redactor() = default;
Redactor::Redactor(Redactor&&) noexcept = default;
Redactor& Redactor::operator=(Redactor&&) noexcept = default;

std::string Redactor::push(std::string_view bytes) {
  Impl& im = *impl_;
  if (im.finished || bytes.empty()) return {};
  im.kept.append(bytes);
  im.framer.push(bytes, im);
  im.compact();
  return im.take_output();
}

std::string Redactor::finish() {
  Impl& im = *impl_;
  if (im.finished) return {};
  im.finished = true;
  im.framer.finish(im);
  im.pass_between_events(im.base + im.kept.size());
  im.close_outside_content();
  im.kept.clear();
  return im.take_output();
}

std::vector<Finding> Redactor::drain() {
  std::vector<Finding> findings;
  findings.swap(impl_->findings);
  return findings;
}

uint64_t Redactor::values_redacted() const { return impl_->redacted; }
uint64_t Redactor::events_withheld() const { return impl_->withheld; }

RedactResult redact(std::string_view input, std::string_view key, const RedactOptions& options) {
  Redactor redactor{std::string(key), options};
  RedactResult result;
  result.text = redactor.push(input);
  result.text += redactor.finish();
  result.findings = redactor.drain();
  result.values_redacted = redactor.values_redacted();
  result.events_withheld = redactor.events_withheld();
  return result;
}

}  // namespace msgevents
