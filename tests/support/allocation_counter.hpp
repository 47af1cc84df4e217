// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Counts every call of the global operator new in the program that links
// allocation_counter.cpp. Kept in its own translation unit so that the
// replacement operators are never inlined into the code they observe.
#ifndef NYBBLE_TESTS_ALLOCATION_COUNTER_HPP
#define NYBBLE_TESTS_ALLOCATION_COUNTER_HPP

#include <cstddef>

namespace nybble_tests {
[[nodiscard]] std::size_t allocation_count() noexcept;
} // namespace nybble_tests

#endif
