// Writes the benchmark corpus: make_corpus OUT.ndjson [EVENTS] (default 100000).
#include <cstdio>
#include <fstream>
#include <string>

#include "corpus.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: make_corpus OUT.ndjson [EVENTS]\n");
    return 2;
  }
  const size_t events = argc > 2 ? std::stoull(argv[2]) : 100000;
  const std::string corpus = msgevents::bench::make_corpus(events);
  std::ofstream out(argv[1], std::ios::binary);
  out << corpus;
  return out ? 0 : 2;
}
