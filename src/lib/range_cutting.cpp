// The session's side of parallel validation for an NDJSON input (event_batch.hpp says why): once
// the framer stands at a line start, push() cuts the bytes into ranges of whole lines of about
// kBatchBytes (batch_push) and submits each to a checker (submit_range_text), copying no line it
// can lend (push_lasting) and passing over a line too large to keep (skip_line_bytes), as the
// framer would. parallel_session.cpp has the rest: the checkers' side and the merge.
#include <string_view>

#include "validator_impl.hpp"

namespace msgevents {

namespace {

bool is_line_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }  // JSON whitespace but the line break

// Where the last line of `bytes` begins: just after its last line break (0 if it has none).
size_t last_line_start(std::string_view bytes) {
  const size_t line_break = bytes.rfind('\n');
  return line_break == std::string_view::npos ? 0 : line_break + 1;
}

// The first range of `lines` (at least kBatchBytes of them): up to the last line break within
// kBatchBytes, or a longer line whole. 0 while that line has no end yet.
size_t first_range_size(std::string_view lines) {
  const size_t size = last_line_start(lines.substr(0, detail::kBatchBytes));
  if (size != 0) return size;
  const size_t line_break = lines.find('\n', detail::kBatchBytes);
  return line_break == std::string_view::npos ? 0 : line_break + 1;
}

// How much of `bytes` its first line takes, its line break included (all of them if none).
size_t through_first_line_break(std::string_view bytes) {
  const size_t line_break = bytes.find('\n');
  return line_break == std::string_view::npos ? bytes.size() : line_break + 1;
}

}  // namespace

void Validator::Impl::batch_push(std::string_view bytes) {
  while (!bytes.empty()) {
    if (skipping) {
      skip_line_bytes(bytes);
      continue;
    }
    if (ranging) {
      range_push(bytes);
      return;
    }
    const detail::InputForm form = framer.form();
    if (form == detail::InputForm::Array || form == detail::InputForm::Sequence || form == detail::InputForm::Rejected) {
      framer.push(bytes, *this);  // framed here to the end (event_framer.hpp: the form never changes)
      return;
    }
    // Until the framer has seen the first value end on its line, a line at a time: so it stops at
    // the first line start of an NDJSON input, where the ranges can take over.
    const size_t piece = through_first_line_break(bytes);
    framer.push(bytes.substr(0, piece), *this);
    bytes.remove_prefix(piece);
    if (framer.at_ndjson_line_start()) {
      ranging = true;
      range_offset = framer.position().offset;
      range_line = framer.position().line;
    }
  }
}

void Validator::Impl::range_push(std::string_view bytes) {
  bytes_ranged += bytes.size();
  if (pushing_lasting && range_bytes.empty() &&
      (lasting_lines.empty() || lasting_lines.data() + lasting_lines.size() == bytes.data())) {
    return lasting_range_push(bytes);
  }
  keep_lasting_lines();  // a push that does not last, or not where the last one ended
  // A push of a range or more is cut where it lies rather than copied here first (a whole input
  // given to validate() is pushed at once): lines begun in an earlier push are completed up to
  // this push's first line break and go as a range of their own, maybe a short one.
  if (!range_bytes.empty() && bytes.size() >= detail::kBatchBytes) {
    const size_t through = through_first_line_break(bytes);
    range_bytes.append(bytes.substr(0, through));
    bytes.remove_prefix(through);
    if (range_bytes.back() == '\n') {
      const size_t cut = cut_whole_ranges(range_bytes, false);
      if (cut < range_bytes.size()) submit_range(std::string_view(range_bytes).substr(cut), false);
      range_bytes.clear();
    }
  }
  if (range_bytes.empty()) {
    range_bytes.assign(bytes.substr(cut_whole_ranges(bytes, pushing_lasting)));
  } else {
    range_bytes.append(bytes);
    if (range_bytes.size() >= detail::kBatchBytes) hand_over_range_bytes();
  }
  if (skip_a_last_line_too_large(range_bytes, false)) range_bytes.clear();
}

// Pushes that last and follow one another in memory (a mapped file pushed in slices, the whole
// input of validate()) make one view: no line of theirs is copied, whatever the pushes' sizes.
void Validator::Impl::lasting_range_push(std::string_view bytes) {
  const std::string_view lines(lasting_lines.empty() ? bytes.data() : lasting_lines.data(), lasting_lines.size() + bytes.size());
  lasting_lines = lines.substr(cut_whole_ranges(lines, true));
  // A line too large is passed over here too, though its checker would skip it as well: so the
  // view never holds more than a range and an event, and keep_lasting_lines() copies no more.
  if (skip_a_last_line_too_large(lasting_lines, true)) lasting_lines = {};
}

void Validator::Impl::keep_lasting_lines() {
  if (lasting_lines.empty()) return;
  range_bytes.assign(lasting_lines);
  lasting_lines = {};
}

// Small pushes (the CLI's 16 KiB, a page's 64 KiB) gather in range_bytes; once it holds a range,
// the string itself becomes the range's text and only the lines after the cut are copied, into
// a string with room for the next range (no copy of the range on this thread, no growth).
void Validator::Impl::hand_over_range_bytes() {
  const size_t cut = first_range_size(range_bytes);
  if (cut == 0) return;  // one line, not ended yet
  std::string rest;
  rest.reserve(2 * detail::kBatchBytes);  // pushes below a range never make it grow before the next cut
  rest.assign(std::string_view(range_bytes).substr(cut));
  range_bytes.resize(cut);
  submit_range_text(std::move(range_bytes), false);
  range_bytes = std::move(rest);
  range_bytes.erase(0, cut_whole_ranges(range_bytes, false));  // more than one range in it: copied
}

size_t Validator::Impl::cut_whole_ranges(std::string_view lines, bool lend) {
  size_t from = 0;
  // Ranges of about kBatchBytes, each ending at a line break; a longer line is a range of its own.
  while (lines.size() - from >= detail::kBatchBytes) {
    const std::string_view rest = lines.substr(from);
    const size_t size = first_range_size(rest);
    if (size == 0) break;
    submit_range(rest.substr(0, size), false, lend);
    from += size;
  }
  return from;
}

bool Validator::Impl::skip_a_last_line_too_large(std::string_view lines, bool lend) {
  if (lines.size() <= options.max_event_bytes) return false;
  // The last line, unended, is larger than an event may be: the framer would skip it unkept, so
  // it is passed over here (skip_line_bytes), and only its size goes to a checker.
  const size_t line_start = last_line_start(lines);
  if (lines.size() - line_start <= options.max_event_bytes) return false;
  if (line_start > 0 || skipped) submit_range(lines.substr(0, line_start), false, lend);
  std::string_view line = lines.substr(line_start);
  skipping = detail::SkippedLine{};
  skipping_content = false;
  bytes_ranged -= line.size();  // counted again as it is skipped
  skip_line_bytes(line);
  return true;
}

void Validator::Impl::end_ranges() {
  const bool lend = !lasting_lines.empty();  // then range_bytes is empty
  std::string_view rest = lend ? lasting_lines : std::string_view(range_bytes);
  rest.remove_prefix(cut_whole_ranges(rest, lend));
  if (skipping) {  // the input ends in a line too large to keep
    skipping->ended = false;
    skipped = skipping;
    skipping.reset();
  }
  if (!rest.empty() || skipped) submit_range(rest, true, lend);
  lasting_lines = {};
}

void Validator::Impl::skip_line_bytes(std::string_view& bytes) {
  const size_t line_break = bytes.find('\n');
  const bool ended = line_break != std::string_view::npos;
  const size_t size = ended ? line_break : bytes.size();
  if (!skipping_content) {
    size_t indent = 0;
    while (indent < size && is_line_space(bytes[indent])) ++indent;
    skipping->indent += indent;
    skipping_content = indent < size;
  }
  skipping->size += size;
  bytes_ranged += size + (ended ? 1 : 0);
  bytes.remove_prefix(size + (ended ? 1 : 0));
  if (!ended) return;
  skipping->ended = true;
  skipped = skipping;  // the next range opens with it
  skipping.reset();
}

void Validator::Impl::submit_range(std::string_view lines, bool last, bool lend) {
  if (lend) return submit_range_text({}, last, lines);
  submit_range_text(std::string(lines), last);
}

void Validator::Impl::submit_range_text(std::string lines, bool last, std::string_view lent) {
  if (batch) submit_batch(last);  // the events framed here before the ranges began come first
  batch = std::make_unique<detail::Batch>();
  batch->range = true;
  batch->range_offset = range_offset;
  batch->skipped = skipped;
  skipped.reset();
  batch->text = std::move(lines);
  batch->lent = lent;
  range_offset += batch->text_offset() + batch->bytes().size();
  submit_batch(last);
}

}  // namespace msgevents
