// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The statuses the adapter answers the guest: WITX fastly_status values, from
// the component's `error` cases and from nybble's errcs.
#ifndef FASTLY_ADAPTER_STATUS_HPP
#define FASTLY_ADAPTER_STATUS_HPP

#include <nybble/result.hpp>

#include <cstdint>

namespace fastly_adapter {

// fastly_status (typenames.witx), the values this adapter answers.
enum class status : std::uint32_t {
  ok = 0,
  error = 1,
  inval = 2,
  badf = 3,
  unsupported = 5,
  limit_exceeded = 13,
};

[[nodiscard]] constexpr std::uint32_t code(status s) noexcept { return static_cast<std::uint32_t>(s); }

// A component `error` case as a fastly_status. The cases are numbered as the
// statuses are, with two gaps (no error case for BADALIGN, none for BADF after
// auxiliary-error): arithmetic instead of a table, which would need a data section.
[[nodiscard]] constexpr std::uint32_t status_of_error(std::uint8_t error_case) noexcept {
  constexpr std::uint8_t last_case = 11; // limit-exceeded
  if (error_case > last_case) {
    return code(status::error);
  }
  return error_case + (error_case <= 4 ? 1U : 2U);
}

// What nybble refused, as the module ABI's host would answer it.
[[nodiscard]] constexpr std::uint32_t status_of(nybble::errc e) noexcept {
  switch (e) {
  case nybble::errc::empty_select:
  case nybble::errc::capacity_exceeded:
    return code(status::inval);
  case nybble::errc::host_index_out_of_range:
    return code(status::error);
  case nybble::errc::unknown_kind:
  case nybble::errc::wrong_kind:
  case nybble::errc::payload_overflow:
  case nybble::errc::not_waitable:
  case nybble::errc::invalid_handle:
  case nybble::errc::word_out_of_range:
  case nybble::errc::stale_handle:
    return code(status::badf);
  }
  return code(status::error);
}

} // namespace fastly_adapter

#endif
