// Writes a benchmark corpus: make_corpus [--clean] OUT.ndjson [EVENTS] (default 100000).
// Without --clean: the 10% broken corpus; with it: clean, realistic streams (see corpus.hpp).
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "corpus.hpp"

int main(int argc, char** argv) {
  bool clean = false;
  int first = 1;
  if (argc > 1 && std::strcmp(argv[1], "--clean") == 0) {
    clean = true;
    first = 2;
  }
  if (argc <= first) {
    std::fprintf(stderr, "usage: make_corpus [--clean] OUT.ndjson [EVENTS]\n");
    return 2;
  }
  const size_t events = argc > first + 1 ? std::stoull(argv[first + 1]) : 100000;
  const std::string corpus = clean ? msgevents::bench::make_clean_corpus(events) : msgevents::bench::make_corpus(events);
  std::ofstream out(argv[first], std::ios::binary);
  out << corpus;
  return out ? 0 : 2;
}
