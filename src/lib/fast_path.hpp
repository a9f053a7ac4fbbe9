// The one-pass fast path: reads an event in a single SAX pass, without building a node tree, and
// either finds it clean, or makes the common findings of an otherwise well-formed event itself
// (an unknown or credential-named member with a scalar value, an unknown event_name, a bad
// event_id, occurred_at, actor or version, contact data in an identifier: the shapes a broken
// producer sends most), or leaves the event to the full path. Either way it gathers what the
// stream checks need (the event's facts, the byte offsets of the fields they point at, the
// content hash).
//
// It is deliberately conservative: anything it is not certain about (a duplicated member, a
// value that breaks a rule it does not report, a shape it does not know, payload before
// event_name, ...) makes check() say FullPath, and the validator then runs the full path. Where it
// reports findings they are the full path's, in its report order, with the messages both take
// from finding_messages.hpp and the facts the full path would hand on; tests/fast_path_test.cpp
// checks this event by event over every fixture, random mutations and both benchmark corpora. It
// uses the same checkers as the full path (text_util, formats, envelope_rules) for every value.
//
//   FastPath fast(options, catalog);
//   EventFacts facts;
//   std::vector<PendingFinding> findings;
//   if (fast.check(event_text, key, &facts, &findings) != FastVerdict::FullPath) {
//     /* keep the findings (if any), hand the facts to the stream checks */
//   }
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "msgevents/catalog.hpp"
#include "msgevents/validator.hpp"
#include "siphash.hpp"
#include "stream_checks.hpp"

namespace msgevents::detail {

enum class FastVerdict : uint8_t {
  Clean,     // no per-event finding
  Findings,  // the findings are the full path's
  FullPath,  // read it with the full path
};

class FastPath {
 public:
  FastPath(const Options& options, const Catalog& catalog);
  ~FastPath();

  // Unless FullPath, *facts holds the stream facts of `text` (one event) under the options
  // (views into `text` or the fast path's own copy, valid until the next call; offsets in `text`)
  // and its content hash under `key`, and *findings its findings (Findings), in the full path's
  // report order (their sequence), placed by offset in `text`, their pointers built
  // (kNoPointerNode). FullPath: *findings is empty, run the full path.
  // `prefetcher`: the stream checker the facts will go to, if any, on this thread; it is told
  // the event's identities as soon as they are read (StreamChecker::prefetch).
  FastVerdict check(std::string_view text, const SipKey& key, EventFacts* facts, std::vector<PendingFinding>* findings,
                    const StreamChecker* prefetcher = nullptr);
  // Whether the last check() read the event where it is, so that its facts' views are into
  // `text` (not into the copy RapidJSON reads what the plain reader defers from: a string with an
  // escape, a number with an exponent or many digits, deep nesting; the next call overwrites it).
  bool read_in_place() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace msgevents::detail
