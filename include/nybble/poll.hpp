// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// poll.hpp: lower_poll, the lowering of a guest's poll (WASI preview1's
// poll_oneoff, POSIX poll) onto a host: it waits until at least one entry is
// ready or the timeout passes, and reports every ready entry, each with its
// own outcome. Entries are guest words of a kind set, or deadlines. It shares
// lower_select's steps (<nybble/lowering/>): the validation, the arm step and
// its guard, and one wait per wait model.
//
//   nybble::poll_scratch<64, kinds> scratch;
//   std::array<nybble::poll_report, 64> reports;
//   const auto n = nybble::lower_poll<kinds, nybble::on_refusal::report_entry>(entries, timeout, host, scratch,
//   reports);
#ifndef NYBBLE_POLL_HPP
#define NYBBLE_POLL_HPP

#include <nybble/config.hpp>
#include <nybble/host.hpp>
#include <nybble/kind_set.hpp>
#include <nybble/lowering/arm.hpp>
#include <nybble/lowering/host_checks.hpp>
#include <nybble/lowering/poll_clock.hpp>
#include <nybble/lowering/pollables.hpp>
#include <nybble/lowering/validate.hpp>
#include <nybble/lowering/waitable_sets.hpp>
#include <nybble/result.hpp>
#include <nybble/wait.hpp>

#include <cstddef>
#include <cstdint>
#include <span>

namespace nybble {

// Waits until at least one entry is ready, or the timeout passes, and writes
// each entry's outcome into reports (at the entry's position): ready, refused
// (with on_refusal::report_entry) or not ready. Answers how many entries were
// reported ready or refused: 0 means the timeout passed.
// * A deadline entry is ready once its time has passed: a duration counts
//   from the call (no clock is read for it); an absolute deadline is asked of
//   the host once (host.ns_until), and one already past is ready at once.
//   Every deadline and the timeout share one clock wait, made once, for the
//   earliest of them; when it fires, the deadlines at or before it are ready.
// * Once something is reported (a refusal, a past deadline, a handle ready
//   now), the call no longer blocks: it looks once at the rest and answers.
// * Validation comes before any host call; every waitable the lowering made
//   (the clock wait too) is ended exactly once, whichever way it returns; the
//   guest's own handles are never dropped. No heap, no exceptions.
// Errors: capacity_exceeded (more entries than Capacity, or reports shorter
// than entries), empty_select (no entries and no timeout), with
// on_refusal::fail_call the first entry's refusal (validate_word, then
// stale_handle), host_index_out_of_range (the host answered outside the
// list), or the errc the host's subscribe, step or start_wait answered.
// A set whose layout has a generation field takes the adapter's
// generation_table as a last argument, as lower_select does.
template <class Set, on_refusal Refusals, class Host, std::size_t Capacity, class Generations = detail::no_generations>
[[nodiscard]] NYBBLE_INLINE_LOWERING constexpr result<std::size_t>
lower_poll(std::span<const poll_entry<Set>> entries, timeout wait_for, Host& host, poll_scratch<Capacity, Set>& scratch,
           std::span<poll_report> reports, const Generations& generations = Generations{}) {
  detail::check_poll_host<Host, Set>();
  detail::check_generations_argument<Set, Generations>();
  using word = typename Set::word_type;
  const std::size_t count = entries.size();
  if (count > Capacity || reports.size() < count) {
    return errc::capacity_exceeded;
  }
  if (count == 0 && wait_for.is_none()) {
    return errc::empty_select;
  }

  // Validate, before any host call; pack the words to wait on.
  std::size_t reported = 0;
  std::size_t packed = 0;
  for (std::size_t i = 0; i < count; ++i) {
    reports[i] = poll_report{};
    if (entries[i].is_deadline()) {
      continue;
    }
    const word w = entries[i].guest_word();
    result<void> accepted = detail::validate_word<Set, Host>(w);
    if (accepted) {
      accepted = detail::validate_generations<Set>(std::span{&w, 1}, generations);
    }
    if (!accepted) {
      if constexpr (Refusals == on_refusal::fail_call) {
        return accepted.error();
      } else {
        reports[i] = poll_report{poll_state::refused, accepted.error()};
        ++reported;
        continue;
      }
    }
    scratch.guest_words[packed] = w;
    scratch.entry_of[packed] = static_cast<std::uint32_t>(i);
    ++packed;
  }

  // The deadlines: each entry's offset, the timeout's, and those already past.
  detail::poll_clock clock;
  clock.start(host, wait_for, entries, scratch.offsets);
  reported += clock.report_passed(entries, scratch.offsets, reports);

  // Arm every word; a word ready now is reported and leaves the packed list.
  detail::armed_waits<Set, Host> waits{host, std::span<const word>{scratch.guest_words}.first(packed),
                                       std::span<word>{scratch.waitables}.first(packed)};
  for (std::size_t first = 0;;) {
    const result<std::size_t> ready_now = waits.arm_from(first);
    if (!ready_now) {
      return ready_now.error();
    }
    if (*ready_now == waits.size()) {
      break;
    }
    reported += detail::report_ready(scratch, *ready_now, reports);
    detail::move_last_into(scratch, *ready_now, waits.size() - 1);
    waits.forget_last();
    first = *ready_now;
  }

  if constexpr (detail::uses_waitable_sets<Set, Host>) {
    return detail::poll_on_waitable_set<Set>(host, waits, scratch, clock, entries, reports, reported);
  } else {
    return detail::poll_on_pollables<Set>(host, waits, scratch, clock, entries, reports, reported);
  }
}

} // namespace nybble

#endif // NYBBLE_POLL_HPP
