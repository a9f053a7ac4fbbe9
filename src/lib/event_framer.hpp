// Cuts an input byte stream into events, whatever size the chunks it arrives in.
//
// The input form is detected from the bytes: a JSON array of events (first byte `[`), NDJSON (the
// first value ends on its first line: from then on one event a line), or a sequence of JSON values
// (one pretty-printed event, or several one after another). The framer only finds where each event
// starts and ends (tracking strings and nesting depth, never recursing); the event parser reads
// the event itself. Memory is bounded by the largest event kept: an event over the size limit is
// skipped to its end and reported as too large, not buffered.
//
// Structural problems of the container (a missing comma between array elements, a trailing comma,
// an unclosed array, content after the array) are framing errors with the position of the byte.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "rule_table.hpp"

namespace msgevents::detail {

struct Position {
  uint64_t offset = 0;  // 0-based byte offset in the input
  uint64_t line = 1;    // 1-based
  uint64_t column = 1;  // 1-based, in Unicode code points
};

// The position after `byte`, as every part of the validator counts: lines from 1, columns in code
// points from 1 (a UTF-8 continuation byte starts no new column).
inline void advance(Position& at, unsigned char byte) {
  ++at.offset;
  if (byte == '\n') {
    ++at.line;
    at.column = 1;
  } else if ((byte & 0xC0) != 0x80) {
    ++at.column;
  }
}

// advance() over every byte of `bytes`, a line at a time (what a finding's position costs).
void advance_over(Position& at, std::string_view bytes);

struct FramedEvent {
  std::string_view text;  // the event's bytes; valid only during the callback. Empty if too large.
  Position start;         // where text[0] is in the input
  uint64_t size = 0;      // the event's full size in bytes
  bool too_large = false;
};

struct FramingError {
  RuleId rule;  // json.syntax; input.empty for an input with no value; see below
  Position at;
  std::string message;  // what is wrong and what was expected
  // input.encoding (UTF-16 or UTF-32) and input.not_json (a first byte no JSON event starts
  // with): the framer reads nothing more of the input, which would only be noise.
  bool rejects_input = false;
};

class FramerSink {
 public:
  virtual ~FramerSink() = default;
  virtual void on_event(const FramedEvent& event) = 0;
  virtual void on_framing_error(const FramingError& error) = 0;
  // Read after each NDJSON line: false stops the framer at the next line's start, which
  // position() then is (a range's checker frames at most kRangeEvents events, event_batch.hpp).
  virtual bool wants_more() const { return true; }
};

enum class InputForm { Unknown, Array, Ndjson, Sequence, Rejected };

class EventFramer {
 public:
  explicit EventFramer(uint64_t max_event_bytes) : max_event_bytes_(max_event_bytes) {}

  void push(std::string_view bytes, FramerSink& sink);
  // Ends the input: emits an unfinished event as it is (its parser reports the truncation) and
  // reports an unclosed array or an input with no value at all.
  void finish(FramerSink& sink);

  InputForm form() const { return form_; }
  // The position of the next byte to read.
  Position position() const { return pos_; }
  // True when the input is NDJSON and every byte pushed so far belongs to a line that has ended:
  // from here on each line is an event on its own, whatever came before (how a parallel session
  // hands whole lines to checkers that frame them, Validator::handing_out_batches).
  bool at_ndjson_line_start() const {
    return form_ == InputForm::Ndjson && encoding_checked_ && line_size_ == 0 && pending_.empty() && !first_line_rest_;
  }
  // Frames from `at` on as the lines of an NDJSON input after its first: what a checker given a
  // range of such lines does (the range begins at a line start, at `at` in the input).
  void continue_ndjson(Position at) {
    encoding_checked_ = true;
    form_ = InputForm::Ndjson;
    saw_value_ = true;
    pos_ = at;
    begin_line();
  }
  // Every byte pushed, including the first few held until the encoding is known.
  uint64_t bytes_seen() const { return pos_.offset + encoding_probe_.size(); }
  // The offset of the first byte of the event being framed (not yet emitted), or of the next byte
  // to read when the framer is between events. Every byte before it belongs to an event already emitted
  // or to none: redaction may deal with those before the framer reaches the next event's end.
  uint64_t open_event_offset() const;

 private:
  enum class ArrayState { ExpectFirstElementOrEnd, ExpectElement, ExpectCommaOrEnd, Closed, AfterClosedGarbage };

  // Reads the first bytes: a UTF-8 byte order mark is skipped, UTF-16 and UTF-32 are rejected.
  void check_encoding(FramerSink& sink);
  void reject(RuleId rule, std::string message, FramerSink& sink);
  // A byte order mark between events (after `cat a.json b.json`) is skipped like whitespace;
  // returns false when `c` turns out not to continue one.
  bool skip_boundary_bom(unsigned char c, size_t index);
  void push_body(std::string_view bytes, FramerSink& sink);
  void push_ndjson(std::string_view bytes, size_t from, FramerSink& sink);
  // Returns where the NDJSON form takes over (bytes.size() if it does not in this chunk).
  size_t push_scanning(std::string_view bytes, FramerSink& sink);
  // The steps of push_scanning. Those given `i` read the byte there and move `i` past what they
  // read; those that return bool return false when the scan stops in this chunk: the NDJSON form
  // takes over at `i`, or the input was rejected (`i` is then the chunk's end).
  bool scan_between_values(std::string_view bytes, size_t& i, FramerSink& sink);
  // A byte of a string: escapes and the string's end; true when a top-level string ends here.
  bool string_ends_value(unsigned char c);
  // Recovery: an object opening in column 1 while a value is still open starts the next event.
  // Pretty-printed events indent nested objects, so this only cuts a broken event (say an NDJSON
  // line missing its closing brace) short at `end`, instead of merging the rest into it.
  void cut_value_short(std::string_view bytes, size_t end, FramerSink& sink);
  // Emits the top-level object or array that ends before `end`; the first one decides the form.
  bool close_value(std::string_view bytes, size_t end, FramerSink& sink);
  void reject_not_json(unsigned char first, FramerSink& sink);
  // Between the elements of an array: reports misplaced commas and brackets, moves the array's
  // state on, and returns true when `c` starts an element.
  bool array_element_starts(unsigned char c, FramerSink& sink);
  void take_and_advance(unsigned char c, size_t& i);  // the byte at `i` belongs to the value
  void begin_value(unsigned char first, size_t index);
  void end_value(std::string_view bytes, size_t end, FramerSink& sink);
  void take_value_byte();
  void take_value_bytes(uint64_t count);
  void begin_line();  // the NDJSON line that starts at pos_
  void emit_line(std::string_view line, FramerSink& sink);
  void advance_position(unsigned char byte);

  uint64_t max_event_bytes_;
  InputForm form_ = InputForm::Unknown;
  Position pos_;  // position of the next byte to read

  // The value being read (array and sequence forms, and the first value of any input).
  bool in_value_ = false;
  bool in_string_ = false;
  bool escaped_ = false;
  bool scalar_ = false;  // a number or literal, which ends at the first delimiter
  uint64_t depth_ = 0;
  Position value_start_;
  uint64_t value_size_ = 0;
  bool value_too_large_ = false;
  size_t chunk_value_begin_ = 0;  // where the value starts in the current chunk (0: in an earlier one)
  std::string pending_;  // bytes of the value or line that began in an earlier chunk

  ArrayState array_state_ = ArrayState::ExpectFirstElementOrEnd;
  bool saw_value_ = false;
  bool encoding_checked_ = false;
  std::string encoding_probe_;  // the first bytes, until the encoding is known
  size_t boundary_bom_ = 0;     // bytes of a byte order mark matched between events (0 to 2)
  Position boundary_bom_at_;

  // NDJSON: the current line.
  Position line_start_;
  uint64_t line_size_ = 0;
  bool line_too_large_ = false;
  uint64_t line_indent_ = 0;        // whitespace before the line's first other byte
  bool line_content_seen_ = false;  // a byte other than whitespace has come on this line
  bool first_line_rest_ = false;  // the rest of the line the first value ended on
};

}  // namespace msgevents::detail
