// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Part of <nybble/testing.hpp>, which is the header to include.
#ifndef NYBBLE_TESTING_READINESS_HPP
#define NYBBLE_TESTING_READINESS_HPP

#include <cstdint>

namespace nybble::testing {

// How a readiness script decides: after a number of polls, at a time on the
// virtual clock, or never.
enum class readiness_rule : std::uint8_t { polls, time, never };

// When a resource (or one step of it) becomes ready.
class readiness {
public:
  [[nodiscard]] static constexpr readiness now() noexcept { return after_polls(0); }
  // Not ready for the first n waits that look at it, ready from then on.
  [[nodiscard]] static constexpr readiness after_polls(std::uint32_t n) noexcept { return {readiness_rule::polls, n}; }
  // Ready once the virtual clock reaches t milliseconds.
  [[nodiscard]] static constexpr readiness at_ms(std::uint64_t t) noexcept { return {readiness_rule::time, t}; }
  [[nodiscard]] static constexpr readiness never() noexcept { return {readiness_rule::never, 0}; }

  [[nodiscard]] constexpr readiness_rule rule() const noexcept { return rule_; }
  // The number of polls, or the time in milliseconds, the rule waits for.
  [[nodiscard]] constexpr std::uint64_t value() const noexcept { return value_; }

  constexpr readiness() noexcept = default;

private:
  constexpr readiness(readiness_rule r, std::uint64_t v) noexcept : rule_{r}, value_{v} {}

  readiness_rule rule_ = readiness_rule::polls;
  std::uint64_t value_ = 0;
};

} // namespace nybble::testing

#endif // NYBBLE_TESTING_READINESS_HPP
