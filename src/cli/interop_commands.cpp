// `msgevents schema`, `asyncapi` and `cloudevent`: the interoperability exports on the command line
// (the change-policy checker is in compat_commands.cpp).
#include <optional>
#include <ostream>
#include <string>

#include "commands.hpp"
#include "msgevents/catalog.hpp"
#include "msgevents/interop.hpp"

namespace msgevents::cli {
namespace {

constexpr const char* kSchemaUsage =
    "usage: msgevents schema [--envelope | EVENT] [--strict] [--profile internal|public] [--compact] [--catalog FILE]\n"
    "  Prints JSON Schema (draft 2020-12): the bundle of every event type, one event type, or the envelope.\n"
    "  --strict rejects unknown fields (as `validate --strict` does); by default they are allowed.\n"
    "  --profile public requires every pii field to hold a redaction token (msgevents redact).\n";
constexpr const char* kAsyncapiUsage =
    "usage: msgevents asyncapi [--compact] [--catalog FILE]\n"
    "  Prints the catalog as an AsyncAPI 3.0.0 document (JSON).\n";
constexpr const char* kCloudeventUsage =
    "usage: msgevents cloudevent [--type-prefix PREFIX] [--pretty] FILE | -\n"
    "       msgevents cloudevent --mapping\n"
    "  Maps msgevents events (one object, a JSON array or NDJSON) to CloudEvents 1.0 (structured mode, JSON).\n"
    "  --mapping prints the mapping table (Markdown).\n";
int usage(std::ostream& err, const char* text, const std::string& problem) {
  if (!problem.empty()) err << "msgevents: " << problem << "\n";
  err << text;
  return 2;
}

bool is_help(const std::string& arg) { return arg == "-h" || arg == "--help"; }

}  // namespace

std::optional<Catalog> load_catalog(const std::string& path, std::string* error) {
  std::string text;
  if (!read_file(path, &text, error)) return std::nullopt;
  std::string parse_error;
  std::optional<Catalog> catalog = parse_catalog(text, &parse_error);
  if (!catalog) *error = path + ": not a catalog: " + parse_error;
  return catalog;
}

int run_schema(const Args& args, std::ostream& out, std::ostream& err) {
  bool envelope = false;
  SchemaOptions options;
  std::string event_name, catalog_path;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (is_help(arg)) {
      out << kSchemaUsage;
      return 0;
    } else if (arg == "--envelope") {
      envelope = true;
    } else if (arg == "--strict") {
      options.strict = true;
    } else if (arg == "--profile") {
      if (++i == args.size() || (args[i] != "internal" && args[i] != "public"))
        return usage(err, kSchemaUsage, "--profile needs internal or public");
      options.public_profile = args[i] == "public";
    } else if (arg == "--compact") {
      options.pretty = false;
    } else if (arg == "--catalog") {
      if (++i == args.size()) return usage(err, kSchemaUsage, "--catalog needs a FILE");
      catalog_path = args[i];
    } else if (!arg.empty() && arg[0] == '-') {
      return usage(err, kSchemaUsage, "unknown option " + arg);
    } else if (event_name.empty()) {
      event_name = arg;
    } else {
      return usage(err, kSchemaUsage, "schema takes at most one EVENT");
    }
  }
  if (envelope && !event_name.empty()) return usage(err, kSchemaUsage, "--envelope takes no EVENT");
  std::optional<Catalog> loaded;
  if (!catalog_path.empty()) {
    std::string error;
    loaded = load_catalog(catalog_path, &error);
    if (!loaded) {
      err << "msgevents schema: " << error << "\n";
      return 2;
    }
  }
  const Catalog& catalog = loaded ? *loaded : builtin_catalog();
  if (envelope) {
    out << envelope_json_schema(catalog, options) << "\n";
  } else if (event_name.empty()) {
    out << json_schema_bundle(catalog, options) << "\n";
  } else {
    std::optional<std::string> schema = event_json_schema(event_name, catalog, options);
    if (!schema) {
      err << "msgevents schema: unknown event type \"" << event_name
          << "\" (`msgevents catalog` lists them; names are case-sensitive)\n";
      return 2;
    }
    out << *schema << "\n";
  }
  return 0;
}

int run_asyncapi(const Args& args, std::ostream& out, std::ostream& err) {
  bool pretty = true;
  std::string catalog_path;
  for (size_t i = 0; i < args.size(); ++i) {
    if (is_help(args[i])) {
      out << kAsyncapiUsage;
      return 0;
    } else if (args[i] == "--compact") {
      pretty = false;
    } else if (args[i] == "--catalog") {
      if (++i == args.size()) return usage(err, kAsyncapiUsage, "--catalog needs a FILE");
      catalog_path = args[i];
    } else {
      return usage(err, kAsyncapiUsage, "unexpected argument " + args[i]);
    }
  }
  if (catalog_path.empty()) {
    out << asyncapi_document(builtin_catalog(), pretty) << "\n";
    return 0;
  }
  std::string error;
  std::optional<Catalog> catalog = load_catalog(catalog_path, &error);
  if (!catalog) {
    err << "msgevents asyncapi: " << error << "\n";
    return 2;
  }
  out << asyncapi_document(*catalog, pretty) << "\n";
  return 0;
}

int run_cloudevent(const Args& args, std::ostream& out, std::ostream& err) {
  CloudEventOptions options;
  std::string path;
  bool mapping = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (is_help(arg)) {
      out << kCloudeventUsage;
      return 0;
    } else if (arg == "--mapping") {
      mapping = true;
    } else if (arg == "--pretty") {
      options.pretty = true;
    } else if (arg == "--type-prefix") {
      if (++i == args.size()) return usage(err, kCloudeventUsage, "--type-prefix needs a PREFIX");
      options.type_prefix = args[i];
    } else if (arg != "-" && !arg.empty() && arg[0] == '-') {
      return usage(err, kCloudeventUsage, "unknown option " + arg);
    } else if (path.empty()) {
      path = arg;
    } else {
      return usage(err, kCloudeventUsage, "cloudevent takes one FILE");
    }
  }
  if (mapping) {
    out << cloudevents_mapping_markdown(options);
    return 0;
  }
  if (path.empty()) return usage(err, kCloudeventUsage, "no input: give a FILE or - for standard input");
  std::string text, error;
  if (!read_file(path, &text, &error)) {
    err << "msgevents cloudevent: " << error << "\n";
    return 2;
  }
  CloudEventResult result = to_cloud_events(text, options);
  out << result.json;
  if (!result.json.empty() && result.json.back() != '\n') out << "\n";
  if (!result.ok) {
    err << "msgevents cloudevent: " << path << ": " << result.error << "\n";
    return 1;
  }
  return 0;
}

}  // namespace msgevents::cli
