// Positions: advance_over() over a run of bytes ends where advance() byte by byte does (lines from
// 1, columns in code points), over random text with line breaks and multi-byte characters.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "event_framer.hpp"

namespace msgevents {
namespace {

TEST(EventFramer, AdvanceOverARunIsAdvanceByteByByte) {
  static const std::string kPieces[] = {"a", "{", "\"", " ", "\n", "\r\n", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\x80", "\xFF"};
  std::mt19937 random(33);
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    const size_t pieces = std::uniform_int_distribution<size_t>(0, 60)(random);
    for (size_t i = 0; i < pieces; ++i) text += kPieces[std::uniform_int_distribution<size_t>(0, std::size(kPieces) - 1)(random)];
    detail::Position start;
    start.offset = round;
    start.line = 1 + round % 3;
    start.column = 1 + round % 11;
    detail::Position by_byte = start, by_run = start;
    for (unsigned char c : text) detail::advance(by_byte, c);
    detail::advance_over(by_run, text);
    EXPECT_EQ(by_run.offset, by_byte.offset);
    EXPECT_EQ(by_run.line, by_byte.line);
    EXPECT_EQ(by_run.column, by_byte.column);
  }
}

}  // namespace
}  // namespace msgevents
