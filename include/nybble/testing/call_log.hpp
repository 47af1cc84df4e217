// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Part of <nybble/testing.hpp>, which is the header to include.
#ifndef NYBBLE_TESTING_CALL_LOG_HPP
#define NYBBLE_TESTING_CALL_LOG_HPP

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace nybble::testing {

// What the test host records: the calls an adapter made, and the traps a
// component runtime would have raised. Words are kept whole (std::uintmax_t)
// for every word size, so a 64-bit tagged word never reads as a small one.

enum class call : std::uint8_t {
  select,
  select_with_timeout,
  is_ready,
  subscribe,
  step,
  drop_pollable,
  drop,
  poll_pollables,     // WASI 0.2's poll: every ready index
  block,              // WASI 0.2's pollable.block: a wait on one pollable
  subscribe_duration, // a clock pollable (WASI 0.2's monotonic-clock.subscribe-duration)
  // The async ABI (option waitable_sets)
  start_wait,
  end_wait,
  new_waitable_set,
  join,
  wait,
  poll,
  drop_waitable_set,
  start_timeout,
  end_timeout,
  start_for, // a clock wait for a duration (WASI 0.3's monotonic-clock.wait-for)
};

struct call_record {
  call what;
  std::uintmax_t word;    // the handle, or for a select or poll_pollables the first pollable
  std::uint64_t argument; // a select's or poll_pollables' list length, the result of
                          // subscribe/step/is_ready/start_wait/end_wait/wait/poll, or the set a join names
  friend constexpr bool operator==(const call_record&, const call_record&) = default;
};

// Named as the errc that nybble answers for the same mistake, where there is one.
enum class trap : std::uint8_t {
  invalid_handle,          // no live resource has this index (never one, or dropped)
  wrong_kind,              // the index names a resource of another kind
  blocked_forever,         // a select without timeout that nothing can ever wake
  table_full,              // no free index left (option table_capacity<N>)
  drop_with_live_children, // a resource dropped while a pollable made from it is alive
  too_many_steps,          // a resource scripted with more steps than step_capacity<N>
  drop_set_with_members,   // a waitable set dropped while waitables are in it (the async ABI)
};

struct trap_record {
  trap reason;
  std::uintmax_t word;
  friend constexpr bool operator==(const trap_record&, const trap_record&) = default;
};

// The first Capacity records, and how many there were in all: a log that
// overflowed says so (overflowed()), and its count stays exact.
template <class Record, std::size_t Capacity>
class record_log {
public:
  static constexpr std::size_t capacity = Capacity;

  constexpr void add(const Record& r) noexcept {
    if (count_ < Capacity) {
      records_[count_] = r;
    }
    ++count_;
  }
  // Every record made, kept or not.
  [[nodiscard]] constexpr std::size_t count() const noexcept { return count_; }
  [[nodiscard]] constexpr std::span<const Record> kept() const noexcept {
    return std::span<const Record>{records_}.first(std::min(count_, Capacity));
  }
  [[nodiscard]] constexpr bool overflowed() const noexcept { return count_ > Capacity; }
  constexpr void clear() noexcept { count_ = 0; }

private:
  std::array<Record, Capacity> records_{};
  std::size_t count_ = 0;
};

} // namespace nybble::testing

#endif // NYBBLE_TESTING_CALL_LOG_HPP
