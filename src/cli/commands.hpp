// The native CLI's subcommands. main.cpp dispatches `msgevents <command> ARGS...` to one of these;
// each returns the process exit status (0 ok, 1 findings of severity error or worse / a breaking
// change, 2 usage or I/O error) and writes only to the streams it is given.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "msgevents/catalog.hpp"

namespace msgevents::cli {

using Args = std::vector<std::string>;  // the arguments after the command name

int run_validate(const Args& args, std::ostream& out, std::ostream& err);
int run_catalog(const Args& args, std::ostream& out, std::ostream& err);
int run_checklist(const Args& args, std::ostream& out, std::ostream& err);

// Interoperability exports (src/cli/interop_commands.cpp).
int run_schema(const Args& args, std::ostream& out, std::ostream& err);
int run_asyncapi(const Args& args, std::ostream& out, std::ostream& err);
int run_cloudevent(const Args& args, std::ostream& out, std::ostream& err);

// The change policy: `compat` and `release` (src/cli/compat_commands.cpp).
int run_compat(const Args& args, std::ostream& out, std::ostream& err);
int run_release(const Args& args, std::ostream& out, std::ostream& err);

// Privacy (src/cli/redact_command.cpp).
int run_redact(const Args& args, std::ostream& out, std::ostream& err);

// Reads a whole file ("-" for standard input) into *text; false and a message on *error otherwise.
bool read_file(const std::string& path, std::string* text, std::string* error);
// Reads and parses a catalog file ("-" for standard input); nullopt and "PATH: ..." on *error otherwise.
std::optional<Catalog> load_catalog(const std::string& path, std::string* error);

}  // namespace msgevents::cli
