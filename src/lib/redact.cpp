#include "msgevents/redact.hpp"

#include <algorithm>
#include <vector>

#include "event_framer.hpp"
#include "event_parser.hpp"
#include "msgevents/catalog.hpp"
#include "sha256.hpp"
#include "text_util.hpp"

namespace msgevents {
namespace {

using detail::EventParser;
using detail::Node;
using detail::NodeKind;

struct Replacement {
  uint32_t begin;
  uint32_t end;
  std::string token;
};

}  // namespace

std::string redaction_token(std::string_view value, std::string_view key) {
  return "redacted:" + detail::to_hex(detail::hmac_sha256(key, value), 16);
}

// The input is kept only from the first byte not yet written out: between events that is a few
// bytes of whitespace or commas, inside an event at most the event itself. Bytes of an event that
// is already longer than the size limit are written out as they come (such an event is passed
// through unread), so memory stays bounded by the limit whatever the input.
struct Redactor::Impl : detail::FramerSink {
  Impl(std::string k, RedactOptions o) : key(std::move(k)), options(o), framer(o.max_event_bytes) {}

  void on_event(const detail::FramedEvent& event) override {
    const uint64_t begin = event.start.offset;
    const uint64_t end = begin + event.size;
    copy_raw_to(begin);
    if (event.too_large || event.text.size() != event.size) {
      copy_raw_to(end);
    } else {
      redact_event(event.text);
      cursor = std::max(cursor, end);
    }
  }
  void on_framing_error(const detail::FramingError&) override {}

  // Writes the kept input up to the absolute offset `to` unchanged.
  void copy_raw_to(uint64_t to) {
    if (to <= cursor) return;
    const uint64_t available = base + kept.size();
    if (to > available) to = available;
    out.append(kept, static_cast<size_t>(cursor - base), static_cast<size_t>(to - cursor));
    cursor = to;
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

  void redact_event(std::string_view text) {
    detail::ParseError error;
    if (!parser.parse(text, options.max_depth, &error) || parser.node(0).kind != NodeKind::Object) {
      out.append(text);  // an event that does not parse is the validator's business, not ours
      return;
    }
    std::vector<Replacement> found;
    const EventSpec* spec = nullptr;
    const uint32_t name = parser.member(0, "event_name");
    if (name != detail::kNoNode && parser.node(name).kind == NodeKind::String) {
      spec = catalog.find_event(parser.node(name).value);
    }
    const uint32_t payload = parser.member(0, "payload");
    const bool public_profile = options.profile == Profile::Public;
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
    if (found.empty()) {
      out.append(text);
      return;
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
  }

  // Drops the kept bytes already written out; keeps the buffer from growing with the input.
  void compact() {
    const uint64_t total = base + kept.size();
    // Bytes more than the limit behind the end belong to no event that can still be redacted.
    const uint64_t limit = options.max_event_bytes + 1;
    if (total > limit) copy_raw_to(total - limit);
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
  std::string kept;   // input from absolute offset `base`
  uint64_t base = 0;
  uint64_t cursor = 0;  // absolute offset of the first input byte not yet written out
  std::string out;
  uint64_t redacted = 0;
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
  im.copy_raw_to(im.base + im.kept.size());
  im.kept.clear();
  return im.take_output();
}

uint64_t Redactor::values_redacted() const { return impl_->redacted; }

std::string redact(std::string_view input, std::string_view key, const RedactOptions& options) {
  Redactor redactor{std::string(key), options};
  std::string out = redactor.push(input);
  out += redactor.finish();
  return out;
}

}  // namespace msgevents
