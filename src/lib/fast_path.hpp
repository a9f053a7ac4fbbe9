// The one-pass fast path: decides, in a single SAX pass over an event and without building a
// node tree, that the event has no per-event finding at all, and gathers what the stream checks
// need (its facts, the byte offsets of the fields they point at, and the content hash).
//
// It is deliberately conservative: anything it is not certain about (an unknown or duplicated
// member, a value that breaks a rule, a shape it does not know, payload before event_name, ...)
// makes check() return false, and the validator then runs the full path, which produces the
// positioned findings. So the fast path only ever has to agree with the full path on "no finding",
// which tests/fast_path_test.cpp checks over every fixture, random mutations and both benchmark
// corpora. It uses the same checkers as the full path (text_util, formats) for every value.
//
//   FastPath fast(options, catalog);
//   EventFacts facts;
//   if (fast.check(event_text, key, &facts)) { /* clean: hand facts to the stream checks */ }
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "msgevents/catalog.hpp"
#include "msgevents/validator.hpp"
#include "siphash.hpp"
#include "stream_checks.hpp"

namespace msgevents::detail {

class FastPath {
 public:
  FastPath(const Options& options, const Catalog& catalog);
  ~FastPath();

  // True when `text` (one event) has no per-event finding under the options; then *facts holds
  // its stream facts (views into the fast path's own copy, valid until the next call; offsets in
  // `text`) and its content hash under `key`. False means: run the full path.
  bool check(std::string_view text, const SipKey& key, EventFacts* facts);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace msgevents::detail
