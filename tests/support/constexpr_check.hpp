// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Test bodies are `constexpr bool` functions, checked twice with the same
// assertions: by static_assert at compile time, and by a doctest case at run
// time (where the sanitizers watch). EXPECT returns false from the body, and at
// run time also prints the failed expression with its line.
#ifndef NYBBLE_TESTS_CONSTEXPR_CHECK_HPP
#define NYBBLE_TESTS_CONSTEXPR_CHECK_HPP

#include <cstdio>
#include <type_traits>

namespace nybble_tests {

constexpr void report_failure(const char* expression, const char* file, int line) {
  if (!std::is_constant_evaluated()) {
    std::fprintf(stderr, "%s:%d: expectation failed: %s\n", file, line, expression);
  }
}

} // namespace nybble_tests

#define EXPECT(...)                                                                                                    \
  do {                                                                                                                 \
    if (!(__VA_ARGS__)) {                                                                                              \
      ::nybble_tests::report_failure(#__VA_ARGS__, __FILE__, __LINE__);                                                \
      return false;                                                                                                    \
    }                                                                                                                  \
  } while (false)

// Checks a constexpr bool test body at compile time and registers it as a doctest case.
#define CONSTEXPR_TEST_CASE(body)                                                                                      \
  static_assert(body(), #body " failed at compile time");                                                              \
  TEST_CASE(#body) { CHECK(body()); }

#endif
