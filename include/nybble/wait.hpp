// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// wait.hpp: what a guest's select is given and answers: its timeout, its
// outcome, and the scratch space the lowering arms the list into; and the same
// for a poll: its entries, each entry's report, its scratch.
//
//   nybble::inline_scratch<64, kinds> scratch;
//   const auto ready = nybble::lower_select<kinds>(words, nybble::timeout::from_guest(ms), host, scratch);
//   return ready ? ready->to_guest() : status_of(ready.error());
#ifndef NYBBLE_WAIT_HPP
#define NYBBLE_WAIT_HPP

#include <nybble/config.hpp>
#include <nybble/host.hpp>
#include <nybble/kind_set.hpp>

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>

namespace nybble {

namespace detail {
// What inline_scratch<N> without a set stands for: a mistake, named by its diagnostic.
struct no_set_named {};

// The word of a kind set, or the word type itself (inline_scratch<N, WordOrSet>).
template <class WordOrSet>
struct scratch_word {
  using type = WordOrSet;
};
template <any_kind_set Set>
struct scratch_word<Set> {
  using type = typename Set::word_type;
};
} // namespace detail

// A guest's timeout: none, or a number of milliseconds.
class timeout {
public:
  [[nodiscard]] static constexpr timeout none() noexcept { return timeout{false, 0}; }
  [[nodiscard]] static constexpr timeout ms(std::uint32_t milliseconds) noexcept { return timeout{true, milliseconds}; }
  // The guest's encoding (WITX): 0 means "no timeout".
  [[nodiscard]] static constexpr timeout from_guest(std::uint32_t milliseconds) noexcept {
    return milliseconds == 0 ? none() : ms(milliseconds);
  }

  [[nodiscard]] constexpr bool is_none() const noexcept { return !bounded_; }
  // Precondition: !is_none().
  [[nodiscard]] constexpr std::uint32_t milliseconds() const noexcept {
    NYBBLE_ASSERT(bounded_, "nybble::timeout::milliseconds() called on timeout::none()");
    return milliseconds_;
  }

  [[nodiscard]] friend constexpr bool operator==(timeout, timeout) noexcept = default;

private:
  constexpr timeout(bool bounded, std::uint32_t milliseconds) noexcept
      : bounded_{bounded}, milliseconds_{milliseconds} {}

  bool bounded_;
  std::uint32_t milliseconds_;
};

// What a select came back with: the index of a ready handle in the caller's
// list, or that the timeout expired.
class select_outcome {
public:
  // The guest's word for "timed out".
  static constexpr std::uint32_t guest_timed_out = 0xFFFF'FFFFU;
  // The longest list a select takes: every index of it (0 to max_handles - 1)
  // is a u32 that differs from guest_timed_out. The ready index is a
  // std::uint32_t whatever the word size, as the guest reads it.
  static constexpr std::size_t max_handles = guest_timed_out;

  [[nodiscard]] static constexpr select_outcome ready_at(std::uint32_t index) noexcept { return select_outcome{index}; }
  [[nodiscard]] static constexpr select_outcome timeout_expired() noexcept { return select_outcome{guest_timed_out}; }

  [[nodiscard]] constexpr bool timed_out() const noexcept { return word_ == guest_timed_out; }
  // Precondition: !timed_out().
  [[nodiscard]] constexpr std::uint32_t index() const noexcept {
    NYBBLE_ASSERT(!timed_out(), "nybble::select_outcome::index() called on a timeout");
    return word_;
  }
  // The index, or guest_timed_out, as the guest reads it.
  [[nodiscard]] constexpr std::uint32_t to_guest() const noexcept { return word_; }

  [[nodiscard]] friend constexpr bool operator==(select_outcome, select_outcome) noexcept = default;

private:
  constexpr explicit select_outcome(std::uint32_t word) noexcept : word_{word} {}

  std::uint32_t word_;
};

// Scratch space on the stack, for adapters that know their largest handle list:
// `nybble::inline_scratch<64, kinds>` holds 64 of the set's words (generic code
// may name a word type instead). There is no default: a scratch of the wrong
// word size is the mistake the set prevents. Converts to the
// std::span<word_type> that lower_select takes.
template <std::size_t Capacity, class WordOrSet = detail::no_set_named>
class inline_scratch {
  static_assert(!std::same_as<WordOrSet, detail::no_set_named>,
                "nybble::inline_scratch<N>: name the kind set whose words it holds, as in "
                "nybble::inline_scratch<64, kinds>; its word type follows from the set's layout.");

public:
  using word_type = typename detail::scratch_word<WordOrSet>::type;
  static_assert(std::unsigned_integral<word_type> && !std::same_as<word_type, bool>,
                "nybble::inline_scratch<N, X>: X must be a kind_set or an unsigned word type.");
  static constexpr std::size_t capacity = Capacity;

  constexpr operator std::span<word_type>() noexcept { return words_; } // NOLINT(google-explicit-constructor)
  [[nodiscard]] constexpr std::span<word_type> span() noexcept { return words_; }

private:
  std::array<word_type, Capacity> words_{};
};

// --- A poll (<nybble/poll.hpp>) -----------------------------------------------

// What lower_poll does with an entry validation refuses (an invalid sentinel,
// a tag no kind has, a kind that cannot be waited on, a stale word):
//   fail_call     the call answers its errc before any host call, as lower_select does;
//   report_entry  the entry is reported refused with its errc, and the call
//                 answers at once, with every other entry ready by then (as
//                 preview1's per-event error and POSIX's POLLNVAL have it).
enum class on_refusal : std::uint8_t { fail_call, report_entry };

// One entry of a poll: a guest word of Set, or a deadline.
template <any_kind_set Set>
class poll_entry {
public:
  using word_type = typename Set::word_type;

  // The "no handle" sentinel: refused (invalid_handle) if it is ever polled.
  constexpr poll_entry() noexcept = default;

  [[nodiscard]] static constexpr poll_entry of_word(word_type guest_word) noexcept {
    return poll_entry{guest_word, {}, false};
  }
  [[nodiscard]] static constexpr poll_entry of_deadline(deadline when) noexcept { return poll_entry{0, when, true}; }

  [[nodiscard]] constexpr bool is_deadline() const noexcept { return is_deadline_; }
  // Precondition: !is_deadline().
  [[nodiscard]] constexpr word_type guest_word() const noexcept { return word_; }
  // Precondition: is_deadline().
  [[nodiscard]] constexpr deadline when() const noexcept { return deadline_; }

private:
  constexpr poll_entry(word_type w, deadline d, bool is_deadline) noexcept
      : word_{w}, deadline_{d}, is_deadline_{is_deadline} {}

  word_type word_ = Set::layout_type::null_word;
  deadline deadline_{};
  bool is_deadline_ = false;
};

// What lower_poll reports for one entry, at the entry's position.
enum class poll_state : std::uint8_t { not_ready, ready, refused };
struct poll_report {
  poll_state state = poll_state::not_ready;
  errc error{}; // when refused
  friend constexpr bool operator==(const poll_report&, const poll_report&) = default;
};

// The storage of one lower_poll over at most Capacity entries, on the caller's
// stack (or in its memory): no heap.
template <std::size_t Capacity, any_kind_set Set>
struct poll_scratch {
  using word_type = typename Set::word_type;
  static constexpr std::size_t capacity = Capacity;
  std::array<word_type, Capacity> guest_words{};   // the entries to wait on, packed
  std::array<std::uint32_t, Capacity> entry_of{};  // each packed word's entry
  std::array<word_type, Capacity + 1> waitables{}; // theirs, and one clock wait
  std::array<std::uint32_t, Capacity + 1> fired{}; // what one host poll answered
  std::array<std::uint64_t, Capacity> offsets{};   // each deadline entry's offset from the call's start
};

} // namespace nybble

#endif // NYBBLE_WAIT_HPP
