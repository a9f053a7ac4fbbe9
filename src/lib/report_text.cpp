// The CLI's text format, shared by every command that prints findings, with terminal escaping.
#include <string>

#include "byte_scan.hpp"
#include "msgevents/validator.hpp"
#include "text_util.hpp"

namespace msgevents {
namespace {

const char kHex[] = "0123456789abcdef";

void append_escape(std::string& out, char name) {
  out.push_back('\\');
  out.push_back(name);
}

void append_hex_byte(std::string& out, unsigned char byte) {
  out += "\\x";
  out.push_back(kHex[byte >> 4]);
  out.push_back(kHex[byte & 15]);
}

void append_code_point(std::string& out, uint32_t cp) {
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kHex[(cp >> shift) & 15]);
}

std::string plural(uint64_t n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

}  // namespace

namespace {

// terminal_safe() appended to `out`. Findings print by the million, so runs of printable ASCII
// (nearly all text) are copied at once, not a byte at a time.
void append_terminal_safe(std::string& out, std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const size_t run = detail::printable_ascii_prefix(text.data() + i, text.size() - i);
    out.append(text.data() + i, run);
    i += run;
    if (i == text.size()) break;
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c == '\n') append_escape(out, 'n');
      else if (c == '\r') append_escape(out, 'r');
      else if (c == '\t') append_escape(out, 't');
      else append_hex_byte(out, c);  // ESC, the other C0 controls and DEL
      ++i;
      continue;
    }
    const size_t length = detail::utf8_sequence_length(text, i);
    if (length == 0) {  // not UTF-8 (a file name can be any bytes): shown, never sent raw
      append_hex_byte(out, c);
      ++i;
      continue;
    }
    uint32_t cp = c & (0x7F >> length);
    for (size_t k = 1; k < length; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    // C1 controls (8-bit escape sequences), line and paragraph separators, and the bidirectional
    // overrides and isolates that make a terminal show text in another order than it is.
    const bool hidden = (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) ||
                        (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F || cp == 0x061C;
    if (hidden) append_code_point(out, cp);
    else out.append(text.substr(i, length));
    i += length;
  }
}

}  // namespace

std::string terminal_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_terminal_safe(out, text);
  return out;
}

std::string finding_to_text(std::string_view label, const Finding& f) {
  std::string out;
  out.reserve(label.size() + f.code.size() + f.message.size() + 40);
  append_terminal_safe(out, label);
  out += ':';
  out += std::to_string(f.line);
  out += ':';
  out += std::to_string(f.column);
  out += ": ";
  out += to_string(f.severity);
  out += ' ';
  append_terminal_safe(out, f.code);
  out += ' ';
  append_terminal_safe(out, f.message);
  out += '\n';
  return out;
}

std::string summary_to_text(std::string_view label, const Summary& s) {
  std::string out = terminal_safe(label) + ": " + plural(s.events, "event") + ", " + std::to_string(s.critical) + " critical, " +
                    plural(s.error, "error") + ", " + plural(s.warning, "warning") + ", " + std::to_string(s.info) + " info";
  if (s.incomplete()) {
    // Said in capitals on the summary line itself: a reader skimming for the verdict sees it.
    std::string why;
    if (s.input_rejected) why += "the input is not UTF-8 JSON events and was not read";
    if (s.events_skipped > 0) why += (why.empty() ? "" : "; ") + plural(s.events_skipped, "event") + " over the size limit skipped unread";
    if (s.findings_omitted > 0) {
      why += (why.empty() ? "" : "; ") + plural(s.findings_omitted, "finding") + " counted but not listed (over the limit for one event or for the run)";
    }
    out += "; INCOMPLETE: " + why;
  }
  return out + '\n';
}

}  // namespace msgevents
