// The streaming session and the batch checker, as both modules bind them: the validator module
// (bindings.cpp: sessions that check their own events) and the tools module (tools_bindings.cpp:
// sessions that hand out batches, and the checker that checks them, for the page's pool of Web
// Workers). Member functions a module does not call are not linked into it.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "boundary.hpp"
#include "msgevents/validator.hpp"
#include "options.hpp"

namespace msgevents::wasm {

// The findings as a JSON array, from the same finding_to_json the CLI uses.
inline std::string findings_to_json(const std::vector<Finding>& findings) {
  std::string out = "[";
  for (size_t i = 0; i < findings.size(); ++i) {
    if (i) out += ',';
    out += finding_to_json(findings[i]);
  }
  out += ']';
  return out;
}

// A streaming session over one input. The JS wrapper owns the handle and delete()s it.
// A validator made by Validator::handing_out_batches: its next batch kept as the result (its
// length returned), or 0 when none is ready. Sessions and the tools module's reports take them so.
inline double stash_next_batch(Validator& validator) {
  std::optional<std::string> batch;
  guarded("takeBatch", [&] {
    batch = validator.take_batch();
    return std::string("ok");
  });
  return batch ? stash(std::move(*batch)) : 0;
}

// Why merge_batch() refused the bytes it was given.
constexpr const char* kNotTheOldestBatch = "these are not the results of the oldest batch taken and not yet merged";

class Session {
 public:
  // What one push() reads before it looks at the findings it has made: a step of `{}` lines,
  // the densest input there is, makes about 45,000 findings (6 MB of JSON).
  static constexpr size_t kPushStep = 16 * 1024;
  // push() stops after the step that takes its findings' JSON past this, so what one call returns
  // stays a few MB however dense the input is in findings.
  static constexpr size_t kPushBudget = 4 * 1024 * 1024;

  // `make` makes the validator from the options: Validator's constructor, or (the tools module's
  // sessions for the page's worker pool) Validator::handing_out_batches, whose push() checks no
  // event and so reads its bytes whole (`step`: no limit).
  Session(const JsOptions& js, Validator (*make)(const Options&), size_t step = kPushStep) : step_(step) {
    guarded("session", [&] {
      const std::optional<Options> options = to_options(js, "session");
      if (!options) return std::string();
      validator_ = make(*options);
      ready_ = true;
      return std::string("ok");
    });
    if (!ready_) start_error_ = last_error_storage();
  }

  // Feeds the next bytes, or their first part: returns the findings they completed, as a JSON
  // array, and taken() says how many bytes it read. It reads kPushStep at a time and stops after
  // the step whose findings take the array past kPushBudget; the wrapper pushes the rest in the
  // next call. So a megabyte goes in one call (not 64: the calls cost about 5% of a session's
  // time in Node on bench/'s corpora) and no call returns more than a few MB.
  // A push that fails (out of memory) spends the session: a later finish() must not report the
  // summary of a stream that lost some of its events.
  double push(uintptr_t pointer, size_t length) {
    taken_ = 0;
    if (!ready_) return stash(refuse("push"));
    const double result = stash(guarded("push", [&] {
      const std::string_view bytes = bytes_at(pointer, length);
      std::string out = "[";
      do {
        const std::string_view step = bytes.substr(taken_, step_);
        validator_.push(step);
        taken_ += step.size();
        list_into(out, validator_.drain());
      } while (taken_ < bytes.size() && out.size() < kPushBudget);
      out += ']';
      return out;
    }));
    if (result == 0) {
      ready_ = false;
      start_error_ = last_error_storage() + " (the session is spent: its findings and summary would be incomplete)";
    }
    return result;
  }

  // Ends the input: the report of what push() has not returned, report_to_json's shape
  // ({"summary", "findings", "aggregates", "aggregates_omitted"}, what validate() returns).
  double finish() {
    if (!ready_) return stash(refuse("finish"));
    ready_ = false;
    return stash(guarded("finish", [&] { return report_to_json(validator_.finish()); }));
  }

  // Counts so far as {"events","critical","error","warning","info","bytes","rules"}: for
  // progress. "rules" counts the findings push() has returned or muted, by code and severity:
  // {"CODE": {"critical": n, "error": n, "warning": n, "info": n}}.
  std::string progress() const {
    return guarded("progress", [&] {
      const Summary& s = validator_.summary();
      std::string rules = "{";
      for (const auto& [code, n] : rules_) {
        rules += (rules.size() > 1 ? "," : "") + json_quote(code) + ":{\"critical\":" + std::to_string(n[3]) +
                 ",\"error\":" + std::to_string(n[2]) + ",\"warning\":" + std::to_string(n[1]) + ",\"info\":" + std::to_string(n[0]) + "}";
      }
      return "{\"events\":" + std::to_string(s.events) + ",\"critical\":" + std::to_string(s.critical) +
             ",\"error\":" + std::to_string(s.error) + ",\"warning\":" + std::to_string(s.warning) +
             ",\"info\":" + std::to_string(s.info) + ",\"bytes\":" + std::to_string(validator_.bytes_pushed()) +
             ",\"rules\":" + rules + "}}";
    });
  }

  // How many bytes the last push() read: the wrapper pushes the rest again.
  double taken() const { return static_cast<double>(taken_); }

  // handing_out_batches: the next batch to check (its bytes), or nothing (0) when none is ready.
  double take_batch() {
    if (!ready_) return stash(refuse("takeBatch"));
    return stash_next_batch(validator_);
  }

  // The results of the oldest batch taken and not merged; returns the findings merging completed,
  // as push() does.
  double merge_batch(uintptr_t pointer, size_t length) {
    if (!ready_) return stash(refuse("mergeBatch"));
    return stash(guarded("mergeBatch", [&] {
      if (!validator_.merge_batch(bytes_at(pointer, length))) {
        refused("mergeBatch", kNotTheOldestBatch);
        return std::string();
      }
      return listed(validator_.drain());
    }));
  }

  // No more input: frames the rest (the last batches then come out of take_batch()); returns the
  // findings it completed.
  double close_input() {
    if (!ready_) return stash(refuse("closeInput"));
    return stash(guarded("closeInput", [&] {
      validator_.close_input();
      return listed(validator_.drain());
    }));
  }

  // From now on push() counts this rule's findings but does not return them: a caller that
  // lists only the first findings of each rule (the page, on inputs with millions) then never
  // builds the others in JS at all. finish() returns every remaining finding.
  std::string mute(uintptr_t pointer, size_t length) {
    return guarded("mute", [&] {
      muted_.emplace(bytes_at(pointer, length));
      return std::string("ok");
    });
  }

 private:
  std::string refuse(const char* what) const {
    last_error_storage() = start_error_.empty() ? std::string(what) + ": the session is already finished" : start_error_;
    return std::string();
  }

  // The findings as a JSON array, less the muted rules', every one counted in rules_.
  std::string listed(const std::vector<Finding>& findings) {
    std::string out = "[";
    list_into(out, findings);
    return out + ']';
  }
  // The same appended to an array begun in `out` ("[" and the findings so far).
  void list_into(std::string& out, const std::vector<Finding>& findings) {
    for (const Finding& f : findings) {
      ++rules_[f.code][static_cast<size_t>(f.severity)];
      if (!muted_.empty() && muted_.count(f.code)) continue;
      if (out.size() > 1) out += ',';
      out += finding_to_json(f);
    }
  }

  Validator validator_;
  size_t step_;
  size_t taken_ = 0;  // by the last push()
  bool ready_ = false;
  std::string start_error_;  // why the constructor failed, repeated by every later call
  std::map<std::string, std::array<uint64_t, 4>> rules_;  // by Severity (Info = 0 ... Critical = 3)
  std::unordered_set<std::string> muted_;
};

// Checks the batches a session hands out (Validator::handing_out_batches), in another Web Worker.
// The batch carries the options of its session: the checker needs none.
class Checker {
 public:
  // The batch's results (bytes for the session's mergeBatch), or nothing with the reason.
  double check(uintptr_t pointer, size_t length) {
    return stash(guarded("check", [&] {
      std::optional<std::string> results = checker_.check(bytes_at(pointer, length));
      if (!results) refused("check", "these bytes are not a batch a session handed out");
      return results ? std::move(*results) : std::string();
    }));
  }

 private:
  BatchChecker checker_;
};

}  // namespace msgevents::wasm
