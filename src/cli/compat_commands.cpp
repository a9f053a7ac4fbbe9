// `msgevents compat` and `msgevents release`: the change-policy checker on the command line, and the
// release step that snapshots the catalog once it keeps the policy against every release.
#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <optional>
#include <ostream>
#include <string>
#include <system_error>
#include <vector>

#include "commands.hpp"
#include "msgevents/catalog.hpp"
#include "msgevents/compat.hpp"

namespace msgevents::cli {
namespace {

constexpr const char* kDefaultReleases = "src/catalog/releases";
constexpr const char* kDefaultCatalog = "src/catalog/catalog.json";

constexpr const char* kCompatUsage =
    "usage: msgevents compat [--mode backward|forward|full|none] [--strict] [--format text|json|markdown] OLD NEW\n"
    "       msgevents compat [--mode M] [--strict] [--format F] [--transitive] [--releases DIR] NEW\n"
    "       msgevents compat --policy [--format text|json|markdown]\n"
    "  Compares two catalog files (the catalog source or `msgevents catalog` output) against the change\n"
    "  policy. With one file, NEW is compared with the latest release in DIR (default src/catalog/releases);\n"
    "  with --transitive, with every release in DIR.\n"
    "  --mode backward (default): a consumer on NEW reads every event written under OLD; forward: a consumer\n"
    "         on OLD reads every event written under NEW; full: both; none: no compatibility is asked.\n"
    "  --strict: consumers reject unknown fields (closed content model); by default they tolerate them.\n"
    "  --policy prints the policy table: each kind of change, compatible or breaking in each mode, and the\n"
    "         bump it needs.\n"
    "  Exit 0 every change compatible in the mode, or breaking with the MAJOR bump (or new event name) the\n"
    "  policy asks for; 1 a breaking change without it, or any other missing or wrong bump; 2 usage or input error.\n";

constexpr const char* kReleaseUsage =
    "usage: msgevents release [--catalog FILE] [--releases DIR] [--mode backward|forward|full|none] [--strict] [--dry-run]\n"
    "  Snapshots the catalog (default src/catalog/catalog.json) as DIR/X.Y.Z.json, X.Y.Z its catalog_version\n"
    "  (DIR default src/catalog/releases), once `compat --transitive` in the mode (default backward) passes\n"
    "  against every release in DIR. Refuses, with exit 1, when it does not, when X.Y.Z is not newer than\n"
    "  every release, or when it is released already. --dry-run checks without writing.\n";

int usage(std::ostream& err, const char* text, const std::string& problem) {
  if (!problem.empty()) err << "msgevents: " << problem << "\n";
  err << text;
  return 2;
}

bool is_help(const std::string& arg) { return arg == "-h" || arg == "--help"; }

// X.Y.Z of a release file's stem; nullopt when it is not one.
std::optional<std::array<unsigned long, 3>> release_version(const std::string& stem) {
  std::array<unsigned long, 3> parts = {0, 0, 0};
  size_t part = 0, digits = 0;
  for (char c : stem) {
    if (c == '.' && digits > 0 && part + 1 < parts.size()) {
      ++part;
      digits = 0;
    } else if (c >= '0' && c <= '9' && digits < 9) {
      parts[part] = parts[part] * 10 + static_cast<unsigned long>(c - '0');
      ++digits;
    } else {
      return std::nullopt;
    }
  }
  if (part != 2 || digits == 0) return std::nullopt;
  return parts;
}

struct Release {
  std::array<unsigned long, 3> version;
  std::filesystem::path path;
};

// Every DIR/X.Y.Z.json, oldest first, each parsed; false and a message on *error when the folder
// cannot be read, holds a .json not named X.Y.Z, a file that is not a catalog, or one whose
// catalog_version is not its name.
bool load_releases(const std::string& dir, std::vector<ReleasedCatalog>* releases, std::string* error) {
  std::error_code ec;
  std::vector<Release> found;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) {
    *error = dir + ": " + ec.message();
    return false;
  }
  for (const auto& entry : it) {
    if (entry.path().extension() != ".json") continue;
    const std::string stem = entry.path().stem().string();
    const auto version = release_version(stem);
    if (!version) {
      *error = entry.path().string() + ": a release file is named after its catalog_version, X.Y.Z.json";
      return false;
    }
    found.push_back({*version, entry.path()});
  }
  std::sort(found.begin(), found.end(), [](const Release& a, const Release& b) { return a.version < b.version; });
  for (const auto& release : found) {
    std::optional<Catalog> catalog = load_catalog(release.path.string(), error);
    if (!catalog) return false;
    const std::string name = release.path.stem().string();
    if (catalog->catalog_version != name) {
      *error = release.path.string() + ": catalog_version is \"" + catalog->catalog_version + "\", not the file's name";
      return false;
    }
    releases->push_back({name, std::move(*catalog)});
  }
  return true;
}

struct Options {
  CompatOptions compat;
  std::string format = "text";
  std::string releases = kDefaultReleases;
  bool transitive = false;
};

// Parses the options compat and release share; "" when arg is none of them, else "ok" or a problem.
std::string shared_option(const Args& args, size_t& i, Options& options) {
  const std::string& arg = args[i];
  auto value = [&]() -> std::optional<std::string> {
    if (++i == args.size()) return std::nullopt;
    return args[i];
  };
  if (arg == "--mode") {
    const auto text = value();
    const auto mode = text ? parse_compat_mode(*text) : std::nullopt;
    if (!mode) return "--mode needs backward, forward, full or none";
    options.compat.mode = *mode;
  } else if (arg.rfind("--mode=", 0) == 0) {
    const auto mode = parse_compat_mode(arg.substr(7));
    if (!mode) return "--mode needs backward, forward, full or none";
    options.compat.mode = *mode;
  } else if (arg == "--strict") {
    options.compat.strict_consumers = true;
  } else if (arg == "--releases") {
    const auto dir = value();
    if (!dir) return "--releases needs a DIR";
    options.releases = *dir;
  } else {
    return "";
  }
  return "ok";
}

void write_compat_report(std::ostream& out, const std::string& format, const CompatReport& report) {
  out << (format == "json"       ? compat_report_json(report) + "\n"
          : format == "markdown" ? compat_report_markdown(report)
                                 : compat_report_text(report));
}

// NEW against the latest release in options.releases, or (--transitive) against every one.
int compat_against_releases(const Options& options, const Catalog& new_catalog, std::ostream& out, std::ostream& err) {
  std::string error;
  std::vector<ReleasedCatalog> releases;
  if (!load_releases(options.releases, &releases, &error)) {
    err << "msgevents compat: " << error << "\n";
    return 2;
  }
  if (releases.empty()) {
    err << "msgevents compat: " << options.releases << " holds no release (X.Y.Z.json) to compare with\n";
    return 2;
  }
  if (!options.transitive) releases.erase(releases.begin(), releases.end() - 1);
  const TransitiveReport report = compare_transitive(releases, new_catalog, options.compat);
  if (options.transitive) {
    out << (options.format == "json"       ? transitive_report_json(report) + "\n"
            : options.format == "markdown" ? transitive_report_markdown(report)
                                           : transitive_report_text(report));
  } else {
    write_compat_report(out, options.format, report.comparisons.front().second);
  }
  return report.ok ? 0 : 1;
}

// Why the catalog cannot be released as `version` (exit status 1), or nullopt when it can.
std::optional<int> refuse_version(const std::string& version, const std::vector<ReleasedCatalog>& releases,
                                  const Options& options, const std::string& catalog_path, std::ostream& err) {
  const auto parsed = release_version(version);
  if (!parsed) {
    err << "msgevents release: catalog_version \"" << version << "\" is not MAJOR.MINOR.PATCH\n";
    return 1;
  }
  for (const auto& release : releases) {
    if (release.name == version) {
      err << "msgevents release: " << version << " is released already (" << options.releases << "/" << version
          << ".json): raise catalog_version in " << catalog_path << " first\n";
      return 1;
    }
  }
  if (!releases.empty() && *release_version(releases.back().name) > *parsed) {
    err << "msgevents release: catalog_version " << version << " is older than the latest release, "
        << releases.back().name << "\n";
    return 1;
  }
  return std::nullopt;
}

// Written beside the target and renamed into place, so that a failed write leaves no half release.
bool write_release(const Catalog& catalog, const std::filesystem::path& target, std::ostream& err) {
  const std::filesystem::path temporary = target.string() + ".tmp";
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    file << catalog_to_json(catalog) << "\n";
    file.close();
    if (!file) {
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      err << "msgevents release: cannot write " << temporary.string() << "\n";
      return false;
    }
  }
  std::error_code ec;
  std::filesystem::rename(temporary, target, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    err << "msgevents release: cannot write " << target.string() << ": " << ec.message() << "\n";
    return false;
  }
  return true;
}

}  // namespace

int run_compat(const Args& args, std::ostream& out, std::ostream& err) {
  Options options;
  bool policy = false;
  std::vector<std::string> paths;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (is_help(arg)) {
      out << kCompatUsage;
      return 0;
    }
    const std::string shared = shared_option(args, i, options);
    if (shared == "ok") continue;
    if (!shared.empty()) return usage(err, kCompatUsage, shared);
    if (arg == "--format") {
      if (++i == args.size()) return usage(err, kCompatUsage, "--format needs text, json or markdown");
      options.format = args[i];
    } else if (arg.rfind("--format=", 0) == 0) {
      options.format = arg.substr(9);
    } else if (arg == "--transitive") {
      options.transitive = true;
    } else if (arg == "--policy") {
      policy = true;
    } else if (arg != "-" && !arg.empty() && arg[0] == '-') {
      return usage(err, kCompatUsage, "unknown option " + arg);
    } else {
      paths.push_back(arg);
    }
  }
  const std::string& format = options.format;
  if (format != "text" && format != "json" && format != "markdown")
    return usage(err, kCompatUsage, "--format must be text, json or markdown");
  if (policy) {
    if (!paths.empty() || options.transitive) return usage(err, kCompatUsage, "--policy takes no catalog");
    out << (format == "json" ? policy_table_json() + "\n" : format == "markdown" ? policy_table_markdown() : policy_table_text());
    return 0;
  }
  if (paths.empty() || paths.size() > 2)
    return usage(err, kCompatUsage, "compat needs two catalog files, OLD and NEW, or NEW and the releases");
  if (options.transitive && paths.size() != 1)
    return usage(err, kCompatUsage, "--transitive takes one catalog, NEW, and compares it with every release");

  std::string error;
  std::optional<Catalog> new_catalog = load_catalog(paths.back(), &error);
  if (!new_catalog) {
    err << "msgevents compat: " << error << "\n";
    return 2;
  }
  if (paths.size() == 2) {
    std::optional<Catalog> old_catalog = load_catalog(paths[0], &error);
    if (!old_catalog) {
      err << "msgevents compat: " << error << "\n";
      return 2;
    }
    const CompatReport report = compare_catalogs(*old_catalog, *new_catalog, options.compat);
    write_compat_report(out, format, report);
    return report.ok ? 0 : 1;
  }
  return compat_against_releases(options, *new_catalog, out, err);
}

int run_release(const Args& args, std::ostream& out, std::ostream& err) {
  Options options;
  std::string catalog_path = kDefaultCatalog;
  bool dry_run = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (is_help(arg)) {
      out << kReleaseUsage;
      return 0;
    }
    const std::string shared = shared_option(args, i, options);
    if (shared == "ok") continue;
    if (!shared.empty()) return usage(err, kReleaseUsage, shared);
    if (arg == "--catalog") {
      if (++i == args.size()) return usage(err, kReleaseUsage, "--catalog needs a FILE");
      catalog_path = args[i];
    } else if (arg == "--dry-run") {
      dry_run = true;
    } else {
      return usage(err, kReleaseUsage, "unexpected argument " + arg);
    }
  }
  std::string error;
  std::optional<Catalog> catalog = load_catalog(catalog_path, &error);
  std::vector<ReleasedCatalog> releases;
  if (!catalog || !load_releases(options.releases, &releases, &error)) {
    err << "msgevents release: " << error << "\n";
    return 2;
  }
  const std::string& version = catalog->catalog_version;
  if (const std::optional<int> status = refuse_version(version, releases, options, catalog_path, err)) return *status;
  const TransitiveReport report = compare_transitive(releases, *catalog, options.compat);
  if (!report.ok) {
    out << transitive_report_text(report);
    err << "msgevents release: refused: catalog " << version << " breaks the change policy against a release ("
        << to_string(options.compat.mode) << " mode, transitive); see above\n";
    return 1;
  }
  const std::filesystem::path target = std::filesystem::path(options.releases) / (version + ".json");
  if (dry_run) {
    out << "release: " << version << " keeps the policy against " << releases.size()
        << (releases.size() == 1 ? " release" : " releases") << " (" << to_string(options.compat.mode)
        << ", transitive); would write " << target.string() << "\n";
    return 0;
  }
  if (!write_release(*catalog, target, err)) return 2;
  out << "release: " << version << " keeps the policy against " << releases.size()
      << (releases.size() == 1 ? " release" : " releases") << " (" << to_string(options.compat.mode)
      << ", transitive); wrote " << target.string() << "\n";
  return 0;
}

}  // namespace msgevents::cli
