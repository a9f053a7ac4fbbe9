// Helpers shared by the GoogleTest files: reading files, the shared fixtures, running the CLI.
#pragma once

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "msgevents/validator.hpp"

namespace msgevents::testing {

inline std::string source_path(const std::string& relative) { return std::string(MSGEVENTS_SOURCE_DIR) + "/" + relative; }

inline std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// One case of tests/fixtures: an input file and <name>.expect.json beside it.
struct FixtureCase {
  std::string name;
  std::filesystem::path input;
  std::string description;
  Options options;
  rapidjson::Document expected;  // {"summary": {...}, "findings": [...]}
};

inline std::vector<std::string> fixture_names() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(source_path("tests/fixtures"))) {
    const std::string file = entry.path().filename().string();
    const std::string suffix = ".expect.json";
    if (file.size() > suffix.size() && file.compare(file.size() - suffix.size(), suffix.size(), suffix) == 0) {
      names.push_back(file.substr(0, file.size() - suffix.size()));
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

inline FixtureCase load_fixture(const std::string& name) {
  FixtureCase fixture;
  fixture.name = name;
  const std::filesystem::path dir = source_path("tests/fixtures");
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string file = entry.path().filename().string();
    if (file.rfind(name + ".", 0) == 0 && file != name + ".expect.json" && file.find(".expect.") == std::string::npos &&
        file.substr(name.size() + 1).find('.') == std::string::npos) {
      fixture.input = entry.path();
    }
  }
  const std::string expected = read_bytes(dir / (name + ".expect.json"));
  fixture.expected.Parse(expected.data(), expected.size());
  const auto& options = fixture.expected["options"];
  fixture.description = fixture.expected["description"].GetString();
  fixture.options.profile = *parse_profile(options["profile"].GetString());
  fixture.options.strict = options["strict"].GetBool();
  if (options.HasMember("now") && options["now"].IsString()) fixture.options.now_unix_ms = parse_rfc3339_ms(options["now"].GetString());
  if (options.HasMember("max_event_bytes")) fixture.options.max_event_bytes = options["max_event_bytes"].GetUint64();
  return fixture;
}

// Runs a command, returning its standard output and exit status.
struct CommandResult {
  std::string out;
  int status = -1;
};
inline CommandResult run_command(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return result;
  char buffer[4096];
  size_t got;
  while ((got = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.out.append(buffer, got);
  const int status = pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace msgevents::testing
