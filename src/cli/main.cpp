// msgevents: the native command line. `msgevents <command> ...`; see usage below.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

#include "commands.hpp"

namespace msgevents::cli {

bool read_file(const std::string& path, std::string* text, std::string* error) {
  if (path == "-") {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    *text = buffer.str();
    return true;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = path + ": " + std::strerror(errno);
    return false;
  }
  text->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) {
    *error = path + ": read error";
    return false;
  }
  return true;
}

}  // namespace msgevents::cli

namespace {

constexpr const char* kUsage =
    "usage: msgevents <command> [options]\n"
    "\n"
    "commands:\n"
    "  validate [--profile internal|public] [--strict] [--now RFC3339] [--format text|json|sarif|junit|github]\n"
    "           [--fail-on critical|error|warning|info] FILE... | -\n"
    "                 check events (one JSON event, a JSON array of events, or NDJSON)\n"
    "  catalog        print the event catalog as JSON\n"
    "  checklist      print the validation checklist (Markdown)\n"
    "  schema [EVENT] print JSON Schema (draft 2020-12) for the envelope, an event type, or all\n"
    "  asyncapi       print the catalog as an AsyncAPI 3.0 document\n"
    "  cloudevent     convert events to CloudEvents 1.0\n"
    "  compat [--mode backward|forward|full|none] [--transitive] OLD NEW | NEW\n"
    "                 check a catalog change against the change policy (--policy prints the policy table)\n"
    "  release        snapshot the catalog as src/catalog/releases/X.Y.Z.json once it keeps the policy\n"
    "  redact         replace personal data with keyed tokens\n"
    "\n"
    "exit status: 0 no finding of severity error or critical (validate: of --fail-on's severity or worse),\n"
    "             1 such findings (or a breaking change), 2 usage or I/O error\n";

struct Command {
  const char* name;
  int (*run)(const msgevents::cli::Args&, std::ostream&, std::ostream&);
};

constexpr Command kCommands[] = {
    {"validate", msgevents::cli::run_validate},
    {"catalog", msgevents::cli::run_catalog},
    {"checklist", msgevents::cli::run_checklist},
    {"schema", msgevents::cli::run_schema},
    {"asyncapi", msgevents::cli::run_asyncapi},
    {"cloudevent", msgevents::cli::run_cloudevent},
    {"compat", msgevents::cli::run_compat},
    {"release", msgevents::cli::run_release},
    {"redact", msgevents::cli::run_redact},
};

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    (argc < 2 ? std::cerr : std::cout) << kUsage;
    return argc < 2 ? 2 : 0;
  }
  const msgevents::cli::Args args(argv + 2, argv + argc);
  for (const Command& command : kCommands) {
    if (std::strcmp(argv[1], command.name) == 0) {
      const int status = command.run(args, std::cout, std::cerr);
      std::cout.flush();
      if (std::cout) return status;
      // errno is the failed write's (ENOSPC, EPIPE when SIGPIPE is ignored, EBADF for a closed stdout).
      const int error = errno;
      std::cerr << "msgevents: cannot write output: " << (error ? std::strerror(error) : "write error") << '\n';
      return 2;
    }
  }
  std::cerr << "msgevents: unknown command '" << argv[1] << "'\n" << kUsage;
  return 2;
}
