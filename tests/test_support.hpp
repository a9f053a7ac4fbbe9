// Helpers shared by the GoogleTest files: reading files, the shared fixtures, running the CLI.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
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
  if (options.HasMember("max_findings")) fixture.options.max_findings = options["max_findings"].GetUint64();
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

// Random edits of a text, reproducible from a seed (xorshift): what the differential tests throw
// at both sides of a comparison. One to three edits a call: a byte replaced by or inserted from
// `bytes`, a run deleted, one of `pieces` inserted (whole characters of UTF-8, say), or a stretch
// of the text copied elsewhere in it.
class Mutator {
 public:
  Mutator(uint64_t seed, std::string bytes, std::vector<std::string> pieces = {})
      : state_(seed), bytes_(std::move(bytes)), pieces_(std::move(pieces)) {}
  uint64_t next() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 2685821657736338717ULL;
  }
  std::string mutate(std::string text) {
    for (int edits = 1 + static_cast<int>(next() % 3); edits > 0; --edits) {
      const size_t at = next() % (text.size() + 1);
      switch (next() % (pieces_.empty() ? 4 : 5)) {
        case 0: if (at < text.size()) text[at] = bytes_[next() % bytes_.size()]; break;
        case 1: text.insert(at, 1, bytes_[next() % bytes_.size()]); break;
        case 2: text.erase(at, next() % 8); break;
        case 3: text.insert(at, text.substr(next() % (text.size() + 1), next() % 24)); break;
        default: text.insert(at, pieces_[next() % pieces_.size()]); break;
      }
    }
    return text;
  }

 private:
  uint64_t state_;
  std::string bytes_;
  std::vector<std::string> pieces_;
};

}  // namespace msgevents::testing
