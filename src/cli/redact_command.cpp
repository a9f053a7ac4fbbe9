// `msgevents redact [--key-file F] [--profile public|internal] FILE|-`: the events of FILE with every
// personal value replaced by a keyed token, on standard output, streamed chunk by chunk.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>

#include "commands.hpp"
#include "msgevents/redact.hpp"

namespace msgevents::cli {
namespace {

constexpr const char* kRedactUsage =
    "usage: msgevents redact [--key-file FILE] [--profile public|internal] FILE|-\n"
    "  writes the events with each pii value replaced by redacted:<32 hex digits>, the first 128 bits\n"
    "  of HMAC-SHA-256(key, value); everything else stays byte for byte. The same value gives the same\n"
    "  token under one key, so events about one address still match; without the key a token cannot be\n"
    "  reversed by hashing guessed values (all phone numbers are few enough to try: a plain hash would\n"
    "  not protect them, a keyed one does). Keep the key secret, or let it be random.\n"
    "  --key-file FILE  the HMAC key (the file's bytes, surrounding whitespace trimmed); the same key\n"
    "                   gives the same token for the same value. Without it a random key is drawn for\n"
    "                   this run only.\n"
    "  --profile P      public (default): pii, contact data in free text and credentials;\n"
    "                   internal: credentials only.\n"
    "  Fails closed: an event that cannot be read (or, in the public profile, placed in the catalog) is\n"
    "  withheld, replaced by a placeholder string with none of its bytes; a redact.withheld finding on\n"
    "  stderr says where and why, and the exit status is 1 (2 is for usage and I/O errors).\n";

std::string trim(std::string text) {
  const char* space = " \t\r\n\f\v";
  const size_t first = text.find_first_not_of(space);
  if (first == std::string::npos) return {};
  const size_t last = text.find_last_not_of(space);
  return text.substr(first, last - first + 1);
}

bool random_key(std::string* key, std::string* error) {
  std::ifstream urandom("/dev/urandom", std::ios::binary);
  key->assign(32, '\0');
  if (!urandom || !urandom.read(&(*key)[0], 32)) {
    *error = std::string("/dev/urandom: ") + std::strerror(errno);
    return false;
  }
  return true;
}

struct RedactArgs {
  std::string key_file;
  std::string input;
  RedactOptions options;
};

// The exit status when the arguments end the run (--help, a usage error), nullopt to go on.
std::optional<int> parse_redact_args(const Args& args, RedactArgs& parsed, std::ostream& out, std::ostream& err) {
  bool have_input = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      out << kRedactUsage;
      return 0;
    }
    if (arg == "--key-file" || arg == "--profile") {
      if (i + 1 >= args.size()) {
        err << "msgevents redact: " << arg << " needs a value\n" << kRedactUsage;
        return 2;
      }
      const std::string& value = args[++i];
      if (arg == "--key-file") {
        parsed.key_file = value;
      } else if (auto profile = parse_profile(value)) {
        parsed.options.profile = *profile;
      } else {
        err << "msgevents redact: unknown profile '" << value << "' (expected public or internal)\n";
        return 2;
      }
    } else if (arg.size() > 1 && arg[0] == '-') {
      err << "msgevents redact: unknown option '" << arg << "'\n" << kRedactUsage;
      return 2;
    } else if (have_input) {
      err << "msgevents redact: one input at a time (got '" << parsed.input << "' and '" << arg << "')\n";
      return 2;
    } else {
      parsed.input = arg;
      have_input = true;
    }
  }
  if (!have_input) {
    err << "msgevents redact: no input: give a FILE, or - for standard input\n" << kRedactUsage;
    return 2;
  }
  return std::nullopt;
}

// The HMAC key: the key file's bytes, trimmed, or a random key for this run.
std::optional<std::string> redaction_key(const std::string& key_file, std::ostream& err) {
  std::string key;
  std::string error;
  if (!key_file.empty()) {
    if (!read_file(key_file, &key, &error)) {
      err << "msgevents redact: cannot read the key: " << error << "\n";
      return std::nullopt;
    }
    key = trim(std::move(key));
    if (key.empty()) {
      err << "msgevents redact: the key file " << key_file << " is empty\n";
      return std::nullopt;
    }
    return key;
  }
  if (!random_key(&key, &error)) {
    err << "msgevents redact: cannot draw a random key: " << error << "\n";
    return std::nullopt;
  }
  err << "msgevents redact: no --key-file: using a random key for this run; its tokens match no other run\n";
  return key;
}

// Streams `in` through the redactor, chunk by chunk, to `out`.
int redact_stream(std::istream& in, const std::string& input, Redactor& redactor, std::ostream& out, std::ostream& err) {
  // What was withheld goes to stderr as it is found, in validate's text form; never the content.
  const std::string label = input == "-" ? "<stdin>" : input;
  bool withheld = false;
  auto report_withheld = [&] {
    for (const Finding& f : redactor.drain()) {
      err << finding_to_text(label, f);
      withheld = true;
    }
  };
  std::string chunk(1 << 16, '\0');
  while (in && out) {
    in.read(&chunk[0], static_cast<std::streamsize>(chunk.size()));
    const std::streamsize got = in.gcount();
    if (got > 0) out << redactor.push(std::string_view(chunk.data(), static_cast<size_t>(got)));
    report_withheld();
  }
  if (in.bad()) {
    err << "msgevents redact: " << input << ": read error\n";
    return 2;
  }
  out << redactor.finish();
  report_withheld();
  out.flush();
  if (!out) return 2;  // main() says that the output could not be written
  return withheld ? 1 : 0;
}

}  // namespace

int run_redact(const Args& args, std::ostream& out, std::ostream& err) {
  RedactArgs parsed;
  if (const std::optional<int> status = parse_redact_args(args, parsed, out, err)) return *status;
  std::optional<std::string> key = redaction_key(parsed.key_file, err);
  if (!key) return 2;
  std::ifstream file;
  std::istream* in = &std::cin;
  if (parsed.input != "-") {
    file.open(parsed.input, std::ios::binary);
    if (!file) {
      err << "msgevents redact: " << parsed.input << ": " << std::strerror(errno) << "\n";
      return 2;
    }
    in = &file;
  }
  Redactor redactor(std::move(*key), parsed.options);
  return redact_stream(*in, parsed.input, redactor, out, err);
}

}  // namespace msgevents::cli
