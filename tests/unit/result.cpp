// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <nybble/result.hpp>

#include "constexpr_check.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string_view>

using nybble::errc;
using nybble::result;

namespace {

constexpr errc every_errc[] = {
    errc::unknown_kind,      errc::wrong_kind,   errc::payload_overflow,        errc::not_waitable,
    errc::capacity_exceeded, errc::empty_select, errc::host_index_out_of_range, errc::invalid_handle};

constexpr bool a_value_reads_like_expected() {
  const result<std::uint32_t> r = 42U;
  EXPECT(r.has_value());
  EXPECT(static_cast<bool>(r));
  EXPECT(r.value() == 42U);
  EXPECT(*r == 42U);
  EXPECT(r.value_or(7U) == 42U);
  EXPECT(r == 42U);
  EXPECT(!(r == 41U));
  EXPECT(!(r == errc::wrong_kind));
  return true;
}

constexpr bool an_error_reads_like_expected() {
  const result<std::uint32_t> r = errc::wrong_kind;
  EXPECT(!r.has_value());
  EXPECT(!static_cast<bool>(r));
  EXPECT(r.error() == errc::wrong_kind);
  EXPECT(r.value_or(7U) == 7U);
  EXPECT(r == errc::wrong_kind);
  EXPECT(!(r == errc::unknown_kind));
  EXPECT(!(r == 0U));
  return true;
}

constexpr bool results_compare_by_state_then_content() {
  EXPECT(result<int>{1} == result<int>{1});
  EXPECT(!(result<int>{1} == result<int>{2}));
  EXPECT(!(result<int>{1} == result<int>{errc::empty_select}));
  EXPECT(result<int>{errc::empty_select} == result<int>{errc::empty_select});
  EXPECT(!(result<int>{errc::empty_select} == result<int>{errc::not_waitable}));
  return true;
}

constexpr bool result_of_void_is_success_or_an_errc() {
  const result<void> ok{};
  EXPECT(ok.has_value());
  EXPECT(static_cast<bool>(ok));
  const result<void> failed = errc::not_waitable;
  EXPECT(!failed.has_value());
  EXPECT(failed.error() == errc::not_waitable);
  EXPECT(failed == errc::not_waitable);
  EXPECT(!(ok == failed));
  return true;
}

constexpr bool result_of_bool_keeps_value_and_error_apart() {
  const result<bool> no = false;
  EXPECT(no.has_value());
  EXPECT(*no == false);
  const result<bool> failed = errc::unknown_kind;
  EXPECT(!failed.has_value());
  return true;
}

constexpr bool every_errc_is_non_zero_and_described_distinctly() {
  for (const errc e : every_errc) {
    EXPECT(static_cast<std::uint8_t>(e) != 0);
    EXPECT(!std::string_view{nybble::describe(e)}.empty());
    EXPECT(std::string_view{nybble::describe(e)} != "unrecognised errc");
    for (const errc other : every_errc) {
      EXPECT(e == other || std::string_view{nybble::describe(e)} != std::string_view{nybble::describe(other)});
    }
  }
  return true;
}

} // namespace

CONSTEXPR_TEST_CASE(a_value_reads_like_expected)
CONSTEXPR_TEST_CASE(an_error_reads_like_expected)
CONSTEXPR_TEST_CASE(results_compare_by_state_then_content)
CONSTEXPR_TEST_CASE(result_of_void_is_success_or_an_errc)
CONSTEXPR_TEST_CASE(result_of_bool_keeps_value_and_error_apart)
CONSTEXPR_TEST_CASE(every_errc_is_non_zero_and_described_distinctly)

TEST_CASE("result is nodiscard-sized: a word and a tag") {
  CHECK(sizeof(result<std::uint32_t>) == 2 * sizeof(std::uint32_t));
}
