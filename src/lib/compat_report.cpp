// The change-policy checker's reports: text, JSON and Markdown, for one comparison and for a
// comparison against every release (compat.cpp makes the reports).
#include <string>

#include "compat_detail.hpp"
#include "json_writer.hpp"

namespace msgevents {

using detail::mode_words;

namespace {

struct Counts {
  size_t unchanged = 0, changed = 0, added = 0, removed = 0;
};

Counts count_events(const CompatReport& report) {
  Counts c;
  for (const auto& ev : report.events) {
    switch (ev.status) {
      case EventStatus::Unchanged: ++c.unchanged; break;
      case EventStatus::Changed: ++c.changed; break;
      case EventStatus::Added: ++c.added; break;
      case EventStatus::Removed: ++c.removed; break;
    }
  }
  return c;
}

std::string summary_line(const CompatReport& report) {
  const Counts c = count_events(report);
  return std::to_string(report.events.size()) + " event types: " + std::to_string(c.changed) + " changed, " +
         std::to_string(c.added) + " added, " + std::to_string(c.removed) + " removed, " + std::to_string(c.unchanged) +
         " unchanged; " + std::to_string(report.problems.size()) + (report.problems.size() == 1 ? " problem" : " problems");
}

void write_changes(detail::JsonWriter& w, const std::vector<SchemaChange>& changes) {
  w.begin_array();
  for (const auto& change : changes) {
    w.begin_object();
    w.key("kind").string(change.kind);
    w.key("compatibility").string(to_string(change.change_class));
    w.key("field").string(change.field);
    w.key("detail").string(change.detail);
    w.end_object();
  }
  w.end_array();
}

void write_report(detail::JsonWriter& w, const CompatReport& report) {
  const Counts c = count_events(report);
  w.begin_object();
  w.key("mode").string(to_string(report.options.mode));
  w.key("strict_consumers").boolean(report.options.strict_consumers);
  w.key("old_catalog_version").string(report.old_catalog_version);
  w.key("new_catalog_version").string(report.new_catalog_version);
  w.key("ok").boolean(report.ok);
  w.key("summary").begin_object();
  w.key("events").number(static_cast<uint64_t>(report.events.size()));
  w.key("unchanged").number(static_cast<uint64_t>(c.unchanged));
  w.key("changed").number(static_cast<uint64_t>(c.changed));
  w.key("added").number(static_cast<uint64_t>(c.added));
  w.key("removed").number(static_cast<uint64_t>(c.removed));
  w.key("problems").number(static_cast<uint64_t>(report.problems.size()));
  w.end_object();
  w.key("events").begin_array();
  for (const auto& ev : report.events) {
    w.begin_object();
    w.key("name").string(ev.name);
    w.key("status").string(to_string(ev.status));
    w.key("old_version").string(ev.old_version);
    w.key("new_version").string(ev.new_version);
    w.key("compatibility").string(ev.changes.empty() ? std::string_view("none") : to_string(ev.worst));
    w.key("required_bump").string(to_string(ev.required));
    w.key("bump").string(to_string(ev.made));
    w.key("ok").boolean(ev.ok);
    w.key("verdict").string(ev.verdict);
    w.key("changes");
    write_changes(w, ev.changes);
    w.end_object();
  }
  w.end_array();
  w.key("catalog_changes");
  write_changes(w, report.catalog_changes);
  w.key("renames").begin_array();
  for (const auto& r : report.renames) {
    w.begin_object();
    w.key("from").string(r.from);
    w.key("to").string(r.to);
    w.key("shared_fields").number(static_cast<uint64_t>(r.shared_fields));
    w.key("total_fields").number(static_cast<uint64_t>(r.total_fields));
    w.end_object();
  }
  w.end_array();
  w.key("problems").begin_array();
  for (const auto& p : report.problems) w.string(p);
  w.end_array();
  w.key("notes").begin_array();
  for (const auto& n : report.notes) w.string(n);
  w.end_array();
  w.end_object();
}

// Markdown table cells hold no line breaks or pipes.
std::string cell(std::string_view text) {
  std::string out;
  for (char ch : text) {
    if (ch == '|') out += "\\|";
    else if (ch == '\n') out += ' ';
    else out += ch;
  }
  return out;
}

}  // namespace

std::string compat_report_text(const CompatReport& report) {
  std::string out;
  out += "catalog " + report.old_catalog_version + " -> " + report.new_catalog_version + " (" + mode_words(report.options) + ")\n";
  for (const auto& ev : report.events) {
    if (ev.status == EventStatus::Unchanged) continue;
    out += ev.name + " " + (ev.old_version.empty() ? "-" : ev.old_version) + " -> " +
           (ev.new_version.empty() ? "-" : ev.new_version) + ": " + (ev.ok ? "ok" : "PROBLEM") + ": " + ev.verdict + "\n";
    for (const auto& change : ev.changes) {
      out += "  " + std::string(to_string(change.change_class)) + " " + change.kind;
      if (!change.field.empty()) out += " " + change.field;
      out += ": " + change.detail + "\n";
    }
  }
  for (const auto& change : report.catalog_changes)
    out += "catalog: " + std::string(to_string(change.change_class)) + " " + change.kind + ": " + change.detail + "\n";
  for (const auto& rename : report.renames) out += "rename: " + rename.from + " -> " + rename.to + "\n";
  for (const auto& note : report.notes) out += "note: " + note + "\n";
  for (const auto& problem : report.problems) out += "problem: " + problem + "\n";
  out += summary_line(report) + "\n";
  return out;
}

std::string compat_report_json(const CompatReport& report, bool pretty) {
  detail::JsonWriter w(pretty ? 2 : 0);
  write_report(w, report);
  return w.take();
}

std::string compat_report_markdown(const CompatReport& report) {
  std::string out = "## Catalog " + report.old_catalog_version + " → " + report.new_catalog_version + " (" +
                    mode_words(report.options) + ")\n\n";
  out += report.ok ? "**Follows the change policy.** " : "**Breaks the change policy.** ";
  out += summary_line(report) + ".\n\n";
  bool any = false;
  for (const auto& ev : report.events) {
    if (ev.status == EventStatus::Unchanged) continue;
    if (!any) out += "| Event | Status | Versions | Compatibility | Needs | Verdict |\n| --- | --- | --- | --- | --- | --- |\n";
    any = true;
    const std::string versions = (ev.old_version.empty() ? "—" : ev.old_version) + " → " + (ev.new_version.empty() ? "—" : ev.new_version);
    out += "| " + cell(ev.name) + " | " + std::string(to_string(ev.status)) + " | " + versions + " | " +
           std::string(ev.changes.empty() ? std::string_view("none") : to_string(ev.worst)) + " | " +
           std::string(to_string(ev.required)) + " | " + (ev.ok ? "" : "✘ ") + cell(ev.verdict) + " |\n";
  }
  if (any) out += "\n";
  for (const auto& ev : report.events) {
    if (ev.changes.empty()) continue;
    out += "### " + ev.name + "\n\n";
    for (const auto& change : ev.changes)
      out += "- " + std::string(to_string(change.change_class)) + " `" + change.kind + "`" +
             (change.field.empty() ? std::string() : " `" + change.field + "`") + ": " + change.detail + "\n";
    out += "\n";
  }
  if (!report.catalog_changes.empty()) {
    out += "### Catalog-wide changes\n\n";
    for (const auto& change : report.catalog_changes)
      out += "- " + std::string(to_string(change.change_class)) + " `" + change.kind + "`: " + change.detail + "\n";
    out += "\n";
  }
  if (!report.problems.empty()) {
    out += "### Problems\n\n";
    for (const auto& problem : report.problems) out += "- " + problem + "\n";
    out += "\n";
  }
  if (!report.notes.empty()) {
    out += "### Notes\n\n";
    for (const auto& note : report.notes) out += "- " + note + "\n";
    out += "\n";
  }
  return out;
}

std::string transitive_report_text(const TransitiveReport& report) {
  std::string out;
  for (const auto& [release, comparison] : report.comparisons) {
    out += "== against release " + release + "\n";
    out += compat_report_text(comparison);
  }
  out += "transitive (" + mode_words(report.options) + "): catalog " + report.new_catalog_version + " against " +
         std::to_string(report.comparisons.size()) + (report.comparisons.size() == 1 ? " release: " : " releases: ") +
         (report.ok ? "ok" : "PROBLEM") + "\n";
  return out;
}

std::string transitive_report_json(const TransitiveReport& report, bool pretty) {
  detail::JsonWriter w(pretty ? 2 : 0);
  w.begin_object();
  w.key("mode").string(to_string(report.options.mode));
  w.key("strict_consumers").boolean(report.options.strict_consumers);
  w.key("transitive").boolean(true);
  w.key("new_catalog_version").string(report.new_catalog_version);
  w.key("ok").boolean(report.ok);
  w.key("comparisons").begin_array();
  for (const auto& [release, comparison] : report.comparisons) {
    w.begin_object();
    w.key("release").string(release);
    w.key("report");
    write_report(w, comparison);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.take();
}

std::string transitive_report_markdown(const TransitiveReport& report) {
  std::string out = "# Catalog " + report.new_catalog_version + " against every release (" + mode_words(report.options) +
                    ", transitive)\n\n";
  out += report.ok ? "**Follows the change policy against every release.**\n\n"
                   : "**Breaks the change policy against at least one release.**\n\n";
  for (const auto& [release, comparison] : report.comparisons) out += compat_report_markdown(comparison);
  return out;
}

}  // namespace msgevents
