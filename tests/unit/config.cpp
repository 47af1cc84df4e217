// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// NYBBLE_ASSERT can be routed to the adapter's own handler. Here the handler
// records the failure instead of trapping, so the test can see that reading the
// value of an error, or the error of a value, is caught.
#include <cstddef>

namespace {
std::size_t assertion_failures = 0;
const char* last_assertion = nullptr;
} // namespace

#define NYBBLE_ASSERT(condition, message)                                                                              \
  ((condition) ? static_cast<void>(0) : static_cast<void>((++assertion_failures, last_assertion = (message))))

#include <nybble/result.hpp>
#include <nybble/select.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <string_view>

TEST_CASE("a broken precondition reaches the adapter's own handler") {
  const nybble::result<std::uint32_t> error = nybble::errc::wrong_kind;
  const nybble::result<std::uint32_t> value = 7U;
  const std::size_t before = assertion_failures;

  static_cast<void>(error.value());
  CHECK(assertion_failures == before + 1);
  CHECK(std::string_view{last_assertion} == "nybble::result::value() called on an error");

  static_cast<void>(value.error());
  CHECK(assertion_failures == before + 2);

  static_cast<void>(nybble::timeout::none().milliseconds());
  CHECK(assertion_failures == before + 3);

  static_cast<void>(nybble::select_outcome::timeout_expired().index());
  CHECK(assertion_failures == before + 4);
}

TEST_CASE("kept preconditions do not reach the handler") {
  const std::size_t before = assertion_failures;
  const nybble::result<std::uint32_t> value = 7U;
  CHECK(value.value() == 7U);
  CHECK(nybble::timeout::ms(3).milliseconds() == 3U);
  CHECK(nybble::select_outcome::ready_at(2).index() == 2U);
  CHECK(assertion_failures == before);
}
