// Must not compile: a finding names its rule by code, and a code no rule has is a compile error
// (tests/CMakeLists.txt checks that the compiler says why). MSGEVENTS_SPELLING picks the code.
#include "rule_table.hpp"

int main() { return MSGEVENTS_RULE(MSGEVENTS_SPELLING).index; }
