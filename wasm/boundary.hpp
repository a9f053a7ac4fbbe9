// What both WebAssembly modules share at their boundary: the error channel, the result kept in
// the module and the way bytes come in.
//
// The package ships two modules built from the same core (wasm/CMakeLists.txt):
//   msgevents_wasm   (bindings.cpp):        what a validating page needs, loaded by createValidator();
//                                           plain C exports, no Embind (its JS runtime alone is
//                                           ~10 KB gzipped of glue)
//   msgevents_tools  (tools_bindings.cpp):  reports, JSON Schema, CloudEvents, compat, loaded on
//                                           first use; Embind
// Each module's one source file includes this header once and exports version, lastError,
// resultPointer and releaseResult in its own way; the npm wrapper sees the same calls in both.
//
// Every call takes a whole buffer (a pointer and a length into the module's heap, filled by the
// wrapper with HEAPU8.set / TextEncoder.encodeInto) and returns ONE string: the JSON or Markdown
// the native CLI would print (large results by length, decoded in place: see stash()).
// No function takes JS text as a std::string: Embind's conversion of a string with a lone UTF-16
// surrogate swallows the next code unit (a closing quote, say), while TextEncoder writes U+FFFD.
// Text that reached the core two ways would be two different texts, so every string comes in as
// bytes the wrapper encoded, one way.
//
// Nothing throws across the boundary: each bound function runs inside guarded(), which turns an
// empty result into last_error() and, in the tools module (built with -fexceptions), any C++
// exception (std::bad_alloc on a huge input, a bug) into an empty result plus last_error(); the
// wrapper raises a JS Error with that message. An empty string is never a valid result. The
// validator module is built without exceptions, to keep it small: its calls refuse without
// throwing (options.hpp's refused()), and what would have thrown aborts the module, which the
// wrapper reports as a MsgeventsError before loading a fresh module on the next createValidator().
#pragma once

#include <cstdint>
#include <exception>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "msgevents/report.hpp"

namespace msgevents::wasm {

inline std::string& last_error_storage() {
  static std::string message;
  return message;
}

// Runs call(body), turning an exception into "" + last_error(). Out of line and not a template:
// the catch clauses and their messages exist once in the module, not once per bound function
// (inlined into each, they were about a third of the boundary's code).
[[gnu::noinline]] inline std::string guarded_call(const char* what, std::string (*call)(void*), void* body) noexcept {
  last_error_storage().clear();
  try {
    std::string result = call(body);
    if (!result.empty()) return result;
    // A body that refused (options.hpp's refused()) has said why already.
    if (last_error_storage().empty()) last_error_storage() = std::string(what) + ": the core returned nothing";
  } catch (const std::bad_alloc&) {
    last_error_storage() = std::string(what) + ": out of memory";
  } catch (const std::exception& e) {
    last_error_storage() = std::string(what) + ": " + e.what();
  } catch (...) {
    last_error_storage() = std::string(what) + ": unknown C++ exception";
  }
  return std::string();
}

// Runs `body`, turning an exception into "" + last_error(). `body` returns the result text.
template <typename Body>
std::string guarded(const char* what, Body&& body) noexcept {
  using BodyType = std::remove_reference_t<Body>;
  return guarded_call(what, [](void* b) -> std::string { return (*static_cast<BodyType*>(b))(); },
                      const_cast<void*>(static_cast<const void*>(&body)));
}

// Large results (reports of big inputs run to tens of MB) are not returned as std::string, which
// Embind would copy into a second buffer and decode byte by byte in JS: they stay here and the
// wrapper decodes them in place (TextDecoder over HEAPU8), then calls release_result().
inline std::string& result_storage() {
  static std::string result;
  return result;
}

// Keeps `text` as the pending result; returns its length in bytes (0: failed, see last_error()).
inline double stash(std::string text) {
  result_storage() = std::move(text);
  return static_cast<double>(result_storage().size());
}

inline uintptr_t result_pointer() { return reinterpret_cast<uintptr_t>(result_storage().data()); }

// Frees the pending result's memory (not only its length: the heap must not keep tens of MB).
inline void release_result() { std::string().swap(result_storage()); }

// Bytes the wrapper wrote into the heap: the only way text enters the module.
inline std::string_view bytes_at(uintptr_t pointer, size_t length) {
  if (length == 0) return std::string_view();
  return std::string_view(reinterpret_cast<const char*>(pointer), length);
}

inline std::string last_error() { return last_error_storage(); }

inline std::string version() { return std::string(msgevents::version()); }

}  // namespace msgevents::wasm
