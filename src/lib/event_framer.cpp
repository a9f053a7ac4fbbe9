#include "event_framer.hpp"

#include "byte_scan.hpp"
#include "text_util.hpp"

#include <cstring>

namespace msgevents::detail {
namespace {

bool is_json_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Bytes that end a number or literal: JSON whitespace and the structural characters.
bool ends_scalar(unsigned char c) {
  return is_json_space(c) || c == ',' || c == ']' || c == '}' || c == '[' || c == '{' || c == '"';
}

// The first bytes a JSON value can start with (a stray delimiter is read as a broken value).
bool starts_json_value(unsigned char c) {
  return c == '{' || c == '[' || c == '"' || c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n';
}

}  // namespace

void EventFramer::advance_position(unsigned char byte) { advance(pos_, byte); }

void advance_over(Position& at, std::string_view bytes) {
  at.offset += bytes.size();
  size_t from = 0;  // just after the last line break
  while (const void* line_break = std::memchr(bytes.data() + from, '\n', bytes.size() - from)) {
    ++at.line;
    at.column = 1;
    from = static_cast<size_t>(static_cast<const char*>(line_break) - bytes.data()) + 1;
  }
  at.column += code_points(bytes.substr(from));  // the bytes that do not continue a UTF-8 sequence
}

void EventFramer::push(std::string_view bytes, FramerSink& sink) {
  if (!encoding_checked_) {
    // The first four bytes tell the encoding; they may arrive split across chunks.
    size_t take = 0;
    while (encoding_probe_.size() < 4 && take < bytes.size()) encoding_probe_.push_back(bytes[take++]);
    bytes.remove_prefix(take);
    if (encoding_probe_.size() < 4) return;
    check_encoding(sink);
  }
  push_body(bytes, sink);
}

void EventFramer::check_encoding(FramerSink& sink) {
  encoding_checked_ = true;
  std::string probe;
  probe.swap(encoding_probe_);
  const auto byte = [&](size_t i) { return i < probe.size() ? static_cast<unsigned char>(probe[i]) : 0x100u; };
  const auto ascii = [&](size_t i) { return byte(i) != 0 && byte(i) < 0x80; };
  const char* encoding = nullptr;
  const char* evidence = nullptr;
  if (byte(0) == 0xFF && byte(1) == 0xFE && byte(2) == 0 && byte(3) == 0) encoding = "UTF-32LE", evidence = "its byte order mark FF FE 00 00";
  else if (byte(0) == 0 && byte(1) == 0 && byte(2) == 0xFE && byte(3) == 0xFF) encoding = "UTF-32BE", evidence = "its byte order mark 00 00 FE FF";
  else if (byte(0) == 0xFF && byte(1) == 0xFE) encoding = "UTF-16LE", evidence = "its byte order mark FF FE";
  else if (byte(0) == 0xFE && byte(1) == 0xFF) encoding = "UTF-16BE", evidence = "its byte order mark FE FF";
  else if (probe.size() >= 4 && byte(0) != 0 && byte(1) == 0 && byte(2) == 0 && byte(3) == 0) encoding = "UTF-32LE", evidence = "its zero bytes";
  else if (probe.size() >= 4 && byte(0) == 0 && byte(1) == 0 && byte(2) == 0 && byte(3) != 0) encoding = "UTF-32BE", evidence = "its zero bytes";
  else if (ascii(0) && byte(1) == 0 && ascii(2) && byte(3) == 0) encoding = "UTF-16LE", evidence = "its zero bytes";
  else if (byte(0) == 0 && ascii(1) && byte(2) == 0 && ascii(3)) encoding = "UTF-16BE", evidence = "its zero bytes";
  if (encoding) {
    reject(MSGEVENTS_RULE("input.encoding"),
           std::string("the input is ") + encoding + " (recognised by " + evidence + "): expected UTF-8; convert it first, e.g. iconv -f " +
               encoding + " -t UTF-8 (nothing of it was read)",
           sink);
    pos_.offset += probe.size();  // not read, but counted as pushed
    return;
  }
  static constexpr std::string_view kBom = "\xEF\xBB\xBF";
  std::string_view rest = probe;
  if (rest.substr(0, kBom.size()) == kBom) {
    pos_.offset += kBom.size();  // the mark is no character a person sees: the column stays 1
    rest.remove_prefix(kBom.size());
  }
  push_body(rest, sink);
}

uint64_t EventFramer::open_event_offset() const {
  if (form_ == InputForm::Rejected) return pos_.offset;
  if (in_value_) return value_start_.offset;
  if (boundary_bom_ > 0) return boundary_bom_at_.offset;  // a mark, or the first bytes of a value
  // An NDJSON line from its first byte other than whitespace (the rest of the first value's line
  // too: it is reported as content, or as an event once too large).
  if (form_ == InputForm::Ndjson && line_content_seen_) return line_start_.offset + line_indent_;
  return pos_.offset;  // (bytes still held to learn the encoding come after it)
}

void EventFramer::reject(RuleId rule, std::string message, FramerSink& sink) {
  form_ = InputForm::Rejected;
  in_value_ = false;
  std::string().swap(pending_);
  FramingError error{rule, pos_, std::move(message)};
  error.rejects_input = true;
  sink.on_framing_error(error);
}

bool EventFramer::skip_boundary_bom(unsigned char c, size_t index) {
  static constexpr unsigned char kBom[] = {0xEF, 0xBB, 0xBF};
  if (c == kBom[boundary_bom_]) {
    if (boundary_bom_ == 0) boundary_bom_at_ = pos_;
    boundary_bom_ = (boundary_bom_ + 1) % 3;
    ++pos_.offset;  // no column: a byte order mark is no character a person sees
    return true;
  }
  if (boundary_bom_ == 0) return false;
  // Not a byte order mark after all: those bytes begin a value, which the parser rejects.
  const std::string matched(reinterpret_cast<const char*>(kBom), boundary_bom_);
  boundary_bom_ = 0;
  begin_value(kBom[0], index);
  value_start_ = boundary_bom_at_;
  pending_ = matched;
  value_size_ = matched.size();
  return false;
}

void EventFramer::push_body(std::string_view bytes, FramerSink& sink) {
  if (form_ == InputForm::Rejected) {
    pos_.offset += bytes.size();  // not read, but counted as pushed
    return;
  }
  if (bytes.empty()) return;
  if (form_ == InputForm::Ndjson) {
    push_ndjson(bytes, 0, sink);
    return;
  }
  const size_t switch_at = push_scanning(bytes, sink);
  if (switch_at < bytes.size()) push_ndjson(bytes, switch_at, sink);
}

void EventFramer::begin_value(unsigned char first, size_t index) {
  in_value_ = true;
  in_string_ = first == '"';
  escaped_ = false;
  scalar_ = !in_string_ && first != '{' && first != '[';
  depth_ = 0;
  value_start_ = pos_;
  value_size_ = 0;
  value_too_large_ = false;
  chunk_value_begin_ = index;
  pending_.clear();
}

void EventFramer::take_value_byte() { take_value_bytes(1); }

void EventFramer::take_value_bytes(uint64_t count) {
  value_size_ += count;
  if (value_size_ > max_event_bytes_ && !value_too_large_) {
    value_too_large_ = true;
    std::string().swap(pending_);  // release the memory: the event is skipped, not kept
  }
}

void EventFramer::end_value(std::string_view bytes, size_t end, FramerSink& sink) {
  FramedEvent event;
  event.start = value_start_;
  event.size = value_size_;
  event.too_large = value_too_large_;
  if (!value_too_large_) {
    std::string_view part = bytes.substr(chunk_value_begin_, end - chunk_value_begin_);
    if (pending_.empty()) {
      event.text = part;
    } else {
      pending_.append(part);
      event.text = pending_;
    }
  }
  in_value_ = false;
  saw_value_ = true;
  if (form_ == InputForm::Unknown) form_ = InputForm::Sequence;  // the caller may refine it to NDJSON
  sink.on_event(event);
  pending_.clear();
  if (form_ == InputForm::Array) array_state_ = ArrayState::ExpectCommaOrEnd;
}

size_t EventFramer::push_scanning(std::string_view bytes, FramerSink& sink) {
  const size_t n = bytes.size();
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  chunk_value_begin_ = 0;  // a value still open began in an earlier chunk
  size_t i = 0;
  while (i < n) {
    if (in_value_ && !scalar_ && !escaped_) {
      // Most bytes of a value change nothing but the size and the column: pass over them at once.
      const size_t run = plain_json_run(bytes.data() + i, n - i, in_string_);
      if (run > 0) {
        take_value_bytes(run);
        pos_.offset += run;
        pos_.column += run;
        i += run;
        continue;
      }
    }
    const unsigned char c = data[i];
    if (in_value_) {
      if (in_string_) {
        if (string_ends_value(c)) {
          if (c == '"') take_and_advance(c, i);
          end_value(bytes, i, sink);
          continue;
        }
      } else if (scalar_) {
        if (ends_scalar(c)) {
          end_value(bytes, i, sink);
          continue;  // the delimiter is read again, outside the value
        }
      } else if (c == '"') {
        in_string_ = true;
      } else if (c == '{' || c == '[') {
        if (c == '{' && pos_.column == 1 && form_ != InputForm::Ndjson) {
          cut_value_short(bytes, i, sink);
          continue;
        }
        ++depth_;
      } else if (c == '}' || c == ']') {
        if (--depth_ == 0) {
          take_and_advance(c, i);
          if (!close_value(bytes, i, sink)) return i;
          continue;
        }
      }
      take_and_advance(c, i);
      continue;
    }
    if (!scan_between_values(bytes, i, sink)) return i;
  }
  if (in_value_ && !value_too_large_) pending_.append(bytes.substr(chunk_value_begin_));
  chunk_value_begin_ = 0;
  return n;
}

inline bool EventFramer::string_ends_value(unsigned char c) {
  if (escaped_) {
    escaped_ = false;
  } else if (c == '\\') {
    escaped_ = true;
  } else if (c == '"' || c == '\n') {
    // A raw line break cannot be inside a JSON string: for framing, it ends the string so
    // one unterminated string does not swallow the rest of the input. The parser reports it.
    in_string_ = false;
    return depth_ == 0;
  }
  return false;
}

void EventFramer::cut_value_short(std::string_view bytes, size_t end, FramerSink& sink) {
  end_value(bytes, end, sink);
  if (form_ == InputForm::Array) array_state_ = ArrayState::ExpectElement;
}

inline void EventFramer::take_and_advance(unsigned char c, size_t& i) {
  take_value_byte();
  advance_position(c);
  ++i;
}

bool EventFramer::close_value(std::string_view bytes, size_t end, FramerSink& sink) {
  const bool first_value = form_ == InputForm::Unknown;
  const bool single_line = value_start_.line == pos_.line;
  end_value(bytes, end, sink);
  if (!first_value) return true;
  // The first value decides the form: on one line, NDJSON follows; else a sequence.
  if (!single_line) {
    form_ = InputForm::Sequence;
    return true;
  }
  form_ = InputForm::Ndjson;
  begin_line();
  first_line_rest_ = true;
  return false;
}

inline bool EventFramer::scan_between_values(std::string_view bytes, size_t& i, FramerSink& sink) {
  const unsigned char c = static_cast<unsigned char>(bytes[i]);
  if (is_json_space(c) && boundary_bom_ == 0) {
    advance_position(c);
    ++i;
    return true;
  }
  if (skip_boundary_bom(c, i)) {
    ++i;
    return true;
  }
  if (in_value_) return true;  // a broken byte order mark began a value: read this byte in it
  if (form_ == InputForm::Unknown && !saw_value_ && !starts_json_value(c)) {
    reject_not_json(c, sink);
    pos_.offset += bytes.size() - i;  // the rest of the chunk: not read, but counted as pushed
    i = bytes.size();
    return false;
  }
  if (form_ == InputForm::Unknown && c == '[') {
    form_ = InputForm::Array;
    array_state_ = ArrayState::ExpectFirstElementOrEnd;
    saw_value_ = true;
    advance_position(c);
    ++i;
    return true;
  }
  if (form_ == InputForm::Array && !array_element_starts(c, sink)) {
    advance_position(c);
    ++i;
    return true;
  }
  begin_value(c, i);
  if (c == '{' || c == '[') depth_ = 1;
  take_and_advance(c, i);
  // A stray delimiter is a one-byte value of its own, which the parser rejects.
  if (c == '}' || c == ']' || c == ',' || c == ':') end_value(bytes, i, sink);
  return true;
}

void EventFramer::reject_not_json(unsigned char c, FramerSink& sink) {
  std::string first = c >= 0x21 && c < 0x7F ? "'" + std::string(1, static_cast<char>(c)) + "'" : "the byte 0x" + std::string(1, "0123456789ABCDEF"[c >> 4]) + "0123456789ABCDEF"[c & 15];
  reject(MSGEVENTS_RULE("input.not_json"),
         "the input is not JSON events: it starts with " + first +
             " where an event ('{'), an array of events ('[') or NDJSON was expected; is it a CSV, log or binary file? (nothing more of it was read)",
         sink);
}

bool EventFramer::array_element_starts(unsigned char c, FramerSink& sink) {
  switch (array_state_) {
    case ArrayState::ExpectFirstElementOrEnd:
      if (c == ']') {
        array_state_ = ArrayState::Closed;
      } else if (c == ',') {
        sink.on_framing_error({MSGEVENTS_RULE("json.syntax"), pos_, "expected an event or ']' at the start of the array, found ','"});
      } else {
        return true;
      }
      return false;
    case ArrayState::ExpectElement:
      if (c == ']') {
        sink.on_framing_error({MSGEVENTS_RULE("json.syntax"), pos_, "trailing comma: expected an event after ',', found ']'"});
        array_state_ = ArrayState::Closed;
      } else if (c == ',') {
        sink.on_framing_error({MSGEVENTS_RULE("json.syntax"), pos_, "expected an event after ',', found another ','"});
      } else {
        return true;
      }
      return false;
    case ArrayState::ExpectCommaOrEnd:
      if (c == ',') {
        array_state_ = ArrayState::ExpectElement;
      } else if (c == ']') {
        array_state_ = ArrayState::Closed;
      } else {
        sink.on_framing_error({MSGEVENTS_RULE("json.syntax"), pos_, "expected ',' or ']' after an event in the array"});
        return true;  // read on as if the comma were there
      }
      return false;
    case ArrayState::Closed:
      sink.on_framing_error({MSGEVENTS_RULE("json.syntax"), pos_, "unexpected content after the end of the array: expected the end of the input"});
      array_state_ = ArrayState::AfterClosedGarbage;
      return false;
    case ArrayState::AfterClosedGarbage:
      return false;
  }
  return false;
}

void EventFramer::push_ndjson(std::string_view bytes, size_t from, FramerSink& sink) {
  const size_t n = bytes.size();
  size_t i = from;
  while (i < n) {
    const char* newline = find_byte(bytes.data() + i, n - i, '\n');
    const size_t end = newline ? static_cast<size_t>(newline - bytes.data()) : n;
    const std::string_view segment = bytes.substr(i, end - i);
    if (!line_content_seen_) {
      // Whitespace before the event on its line, counted as it comes: an event too large to be
      // kept still starts at its first byte, as every other event does.
      size_t k = 0;
      while (k < segment.size() && is_json_space(static_cast<unsigned char>(segment[k]))) ++k;
      line_indent_ += k;
      line_content_seen_ = k < segment.size();
    }
    line_size_ += segment.size();
    if (!line_too_large_ && line_size_ > max_event_bytes_) {
      line_too_large_ = true;
      std::string().swap(pending_);
    }
    pos_.offset += segment.size();
    if (!newline) {
      if (!line_too_large_) pending_.append(segment);
      return;
    }
    if (line_too_large_) {
      emit_line({}, sink);
    } else if (pending_.empty()) {
      emit_line(segment, sink);
    } else {
      pending_.append(segment);
      emit_line(pending_, sink);
    }
    pending_.clear();
    first_line_rest_ = false;
    ++pos_.offset;  // the newline
    ++pos_.line;
    pos_.column = 1;
    begin_line();
    i = end + 1;
    if (!sink.wants_more()) return;
  }
}

void EventFramer::begin_line() {
  line_start_ = pos_;
  line_size_ = 0;
  line_too_large_ = false;
  line_indent_ = 0;
  line_content_seen_ = false;
}

void EventFramer::emit_line(std::string_view line, FramerSink& sink) {
  FramedEvent event;
  event.start = line_start_;
  event.size = line_size_;
  if (line_too_large_) {
    event.too_large = true;
    event.start.offset += line_indent_;  // the skipped bytes are ASCII whitespace: one column each
    event.start.column += line_indent_;
    event.size -= line_indent_;
    saw_value_ = true;
    sink.on_event(event);
    return;
  }
  size_t skip = 0;
  size_t invisible = 0;  // bytes of a byte order mark that begins the line: no column
  // `cat a.ndjson b.ndjson`; the first byte is tested on its own, every line comes through here.
  if (!line.empty() && line[0] == '\xEF' && line.substr(0, 3) == "\xEF\xBB\xBF") skip = invisible = 3;
  while (skip < line.size() && is_json_space(static_cast<unsigned char>(line[skip]))) ++skip;
  if (skip == line.size()) return;  // a blank line is no event
  if (first_line_rest_) {
    first_line_rest_ = false;
    Position at = line_start_;
    at.offset += skip;
    at.column += skip - invisible;
    sink.on_framing_error({MSGEVENTS_RULE("json.syntax"), at, "unexpected content after the first event on its line: expected one event a line (NDJSON)"});
    return;
  }
  event.text = line.substr(skip);
  event.size = event.text.size();
  event.start.offset += skip;
  event.start.column += skip - invisible;  // the other skipped bytes are ASCII whitespace
  saw_value_ = true;
  sink.on_event(event);
}

void EventFramer::finish(FramerSink& sink) {
  if (!encoding_checked_) check_encoding(sink);
  if (form_ == InputForm::Rejected) return;
  if (boundary_bom_ > 0) {
    // The input ends inside a byte order mark: those bytes are a (broken) value of their own.
    boundary_bom_ = 0;
    sink.on_framing_error({MSGEVENTS_RULE("json.invalid_utf8"), boundary_bom_at_, "the input ends inside a UTF-8 byte order mark (EF BB BF)"});
  }
  if (form_ == InputForm::Ndjson) {
    if (line_size_ > 0) {
      if (line_too_large_) {
        emit_line({}, sink);
      } else {
        const std::string line = std::move(pending_);
        pending_.clear();
        emit_line(line, sink);
      }
    }
    return;
  }
  if (in_value_) {
    chunk_value_begin_ = 0;  // every byte of the value is in pending_ by now
    end_value({}, 0, sink);  // truncated: the parser says where and why
  }
  if (form_ == InputForm::Array &&
      (array_state_ == ArrayState::ExpectFirstElementOrEnd || array_state_ == ArrayState::ExpectElement ||
       array_state_ == ArrayState::ExpectCommaOrEnd)) {
    sink.on_framing_error({MSGEVENTS_RULE("json.syntax"), pos_, "unexpected end of input: the array of events is not closed, expected ']'"});
  }
  if (!saw_value_) sink.on_framing_error({MSGEVENTS_RULE("input.empty"), pos_, "the input holds no JSON value: expected an event, an array of events or NDJSON"});
}

}  // namespace msgevents::detail
