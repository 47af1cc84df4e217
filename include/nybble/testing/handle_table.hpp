// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Part of <nybble/testing.hpp>, which is the header to include.
#ifndef NYBBLE_TESTING_HANDLE_TABLE_HPP
#define NYBBLE_TESTING_HANDLE_TABLE_HPP

#include <nybble/testing/call_log.hpp>
#include <nybble/testing/readiness.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace nybble::testing {

// The handle table of a component instance, as the test host models it: one
// index space for every resource type, index 0 never used, a freed index reused
// last-in first-out. Each entry has a type, the tag of its kind stored whole
// (std::uintmax_t), so that no two kinds of any layout share a type: tag 0 is
// a pollable. Since no two live entries share an index, a handle of the wrong
// type is caught where a runtime traps.
//
// An entry is either
// * a resource, or a pollable the guest owns: it has a readiness script, one
//   readiness per step (a guest's pollable has one step), and counts the live
//   pollables made from it; or
// * a pollable made by subscribe or step: it watches one step of a resource.
template <class Word, std::size_t Capacity, std::size_t StepCapacity>
class handle_table {
public:
  static constexpr std::uintmax_t pollable_type = 0;
  static constexpr std::size_t capacity = Capacity;
  static constexpr std::size_t step_capacity = StepCapacity;

  // A new live entry of `type`, or 0 when the table is full (trap::table_full).
  [[nodiscard]] constexpr Word allocate(std::uintmax_t type) noexcept {
    Word index = 0;
    if (free_count_ > 0) {
      index = free_[--free_count_];
    } else if (next_ < Capacity) {
      index = static_cast<Word>(next_++);
    } else {
      return 0;
    }
    entries_[index] = entry{};
    entries_[index].live = true;
    entries_[index].type = type;
    return index;
  }

  // Adds one step to a live entry's script: false when it has step_capacity already.
  [[nodiscard]] constexpr bool add_step(Word index, readiness when) noexcept {
    step_script& s = entries_[index].script;
    if (s.step_count >= StepCapacity) {
      return false;
    }
    s.steps[s.step_count++] = when;
    return true;
  }

  // A pollable (or, for the async ABI, a waitable: `type`) that watches a
  // resource's current step, or 0 when the table is full.
  [[nodiscard]] constexpr Word make_pollable(Word resource, std::uintmax_t type = pollable_type) noexcept {
    const Word pollable = allocate(type);
    if (pollable != 0) {
      entries_[pollable].watch = watch_state{resource, entries_[resource].script.current_step};
      ++entries_[resource].children;
    }
    return pollable;
  }

  // Why index cannot be used as a live entry of `type`, or nullopt.
  [[nodiscard]] constexpr std::optional<trap> misuse(Word index, std::uintmax_t type) const noexcept {
    if (!is_live(index)) {
      return trap::invalid_handle;
    }
    if (entries_[index].type != type) {
      return trap::wrong_kind;
    }
    return std::nullopt;
  }

  // Frees a live entry, or answers why not (a resource with live pollables).
  [[nodiscard]] constexpr std::optional<trap> release(Word index) noexcept {
    entry& e = entries_[index];
    if (e.children > 0) {
      return trap::drop_with_live_children;
    }
    if (e.watch.resource != 0) {
      --entries_[e.watch.resource].children;
    }
    if (e.in_set != 0) {
      --entries_[e.in_set].members;
      e.in_set = 0;
    }
    e.live = false;
    free_[free_count_++] = index;
    return std::nullopt;
  }

  // One wait looking at a live pollable at time `now`: ready, or one more poll
  // of the resource it watches.
  constexpr bool poll(Word pollable, std::uint64_t now) noexcept {
    if (pollable_ready(pollable, now)) {
      return true;
    }
    ++script_watched_by(pollable).polls;
    return false;
  }

  // The earliest time at which a timed step watched by one of the pollables
  // becomes ready.
  [[nodiscard]] constexpr std::optional<std::uint64_t> earliest_wake(std::span<const Word> pollables) const noexcept {
    std::optional<std::uint64_t> earliest;
    for (const Word p : pollables) {
      const step_script& s = script_watched_by(p);
      const std::size_t k = step_watched_by(p);
      if (k < s.step_count && s.steps[k].rule() == readiness_rule::time) {
        const std::uint64_t t = s.steps[k].value();
        earliest = earliest ? std::min(*earliest, t) : t;
      }
    }
    return earliest;
  }

  // Passes the resource's steps that are done: whether a step is left to wait on.
  [[nodiscard]] constexpr bool advance(Word resource, std::uint64_t now) noexcept {
    step_script& s = entries_[resource].script;
    while (s.current_step < s.step_count && step_ready(s, s.current_step, now)) {
      ++s.current_step;
      s.polls = 0;
    }
    return s.current_step < s.step_count;
  }

  // Whether a live entry's every remaining step is ready.
  [[nodiscard]] constexpr bool is_done(Word index, std::uint64_t now) const noexcept {
    if (!is_live(index)) {
      return false;
    }
    const step_script& s = entries_[index].script;
    for (std::size_t k = s.current_step; k < s.step_count; ++k) {
      if (!step_ready(s, k, now)) {
        return false;
      }
    }
    return true;
  }

  // The async ABI's waitable sets: which set a waitable is in (0: none), and
  // how many members a set has.
  [[nodiscard]] constexpr Word set_of(Word waitable) const noexcept { return entries_[waitable].in_set; }
  [[nodiscard]] constexpr std::size_t members_of(Word set) const noexcept { return entries_[set].members; }
  // Moves a waitable to `set` (0: out of any). Both are live (the caller checked).
  constexpr void move_to_set(Word waitable, Word set) noexcept {
    entry& e = entries_[waitable];
    if (e.in_set != 0) {
      --entries_[e.in_set].members;
    }
    e.in_set = set;
    if (set != 0) {
      ++entries_[set].members;
    }
  }
  // The first live member of a set, in table order, that is ready (each member
  // that is not counts one poll of what it watches), or 0.
  [[nodiscard]] constexpr Word first_ready_member(Word set, std::uint64_t now) noexcept {
    Word found = 0;
    for (std::size_t i = 1; i < next_; ++i) {
      if (entries_[i].live && entries_[i].in_set == set && poll(static_cast<Word>(i), now) && found == 0) {
        found = static_cast<Word>(i);
      }
    }
    return found;
  }
  // The earliest time at which a member of a set becomes ready by the clock.
  [[nodiscard]] constexpr std::optional<std::uint64_t> earliest_member_wake(Word set) const noexcept {
    std::optional<std::uint64_t> earliest;
    for (std::size_t i = 1; i < next_; ++i) {
      if (entries_[i].live && entries_[i].in_set == set) {
        const std::array<Word, 1> member{static_cast<Word>(i)};
        if (const auto wake = earliest_wake(member)) {
          earliest = earliest ? std::min(*earliest, *wake) : *wake;
        }
      }
    }
    return earliest;
  }

  // Live entries whose type satisfies `of_type`.
  template <class TypePredicate>
  [[nodiscard]] constexpr std::size_t count_live(TypePredicate of_type) const noexcept {
    std::size_t n = 0;
    for (std::size_t i = 1; i < next_; ++i) {
      n += entries_[i].live && of_type(entries_[i].type) ? 1U : 0U;
    }
    return n;
  }

private:
  struct step_script {
    std::array<readiness, StepCapacity> steps{};
    std::size_t step_count = 0;
    std::size_t current_step = 0;
    std::uint32_t polls = 0; // waits that found the current step not ready
  };
  struct watch_state {
    Word resource = 0;    // 0: not a made pollable
    std::size_t step = 0; // the step of the resource it watches
  };
  struct entry {
    bool live = false;
    std::uintmax_t type = pollable_type;
    step_script script{};       // a resource, or a guest's own pollable
    std::uint32_t children = 0; // live pollables made from this resource
    watch_state watch{};        // a made pollable
    Word in_set = 0;            // a waitable: the waitable set it is in (0: none)
    std::size_t members = 0;    // a waitable set: the waitables in it
  };

  [[nodiscard]] constexpr bool is_live(Word index) const noexcept {
    return index != 0 && index < Capacity && index < next_ && entries_[index].live;
  }

  [[nodiscard]] static constexpr bool step_ready(const step_script& s, std::size_t k, std::uint64_t now) noexcept {
    if (k < s.current_step) {
      return true;
    }
    const readiness r = s.steps[k];
    switch (r.rule()) {
    case readiness_rule::polls:
      return k == s.current_step && s.polls >= r.value();
    case readiness_rule::time:
      return now >= r.value();
    case readiness_rule::never:
      return false;
    }
    return false;
  }

  // The script a pollable's readiness follows: its resource's, or a guest
  // pollable's own (whose one step is step 0).
  [[nodiscard]] constexpr step_script& script_watched_by(Word pollable) noexcept {
    const Word resource = entries_[pollable].watch.resource;
    return entries_[resource == 0 ? pollable : resource].script;
  }
  [[nodiscard]] constexpr const step_script& script_watched_by(Word pollable) const noexcept {
    const Word resource = entries_[pollable].watch.resource;
    return entries_[resource == 0 ? pollable : resource].script;
  }
  [[nodiscard]] constexpr std::size_t step_watched_by(Word pollable) const noexcept {
    return entries_[pollable].watch.step;
  }
  [[nodiscard]] constexpr bool pollable_ready(Word pollable, std::uint64_t now) const noexcept {
    const step_script& s = script_watched_by(pollable);
    const std::size_t k = step_watched_by(pollable);
    return k >= s.step_count || step_ready(s, k, now);
  }

  std::array<entry, Capacity> entries_{};
  std::array<Word, Capacity> free_{};
  std::size_t free_count_ = 0;
  std::size_t next_ = 1; // index 0 is never handed out
};

} // namespace nybble::testing

#endif // NYBBLE_TESTING_HANDLE_TABLE_HPP
