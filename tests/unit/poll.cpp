// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <nybble/poll.hpp>
#include <nybble/testing.hpp>

#include "constexpr_check.hpp"
#include "select_fixture.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

using namespace nybble_tests::select_fixture;
using nybble::deadline;
using nybble::errc;
using nybble::on_refusal;
using nybble::poll_report;
using nybble::poll_state;
using nybble::testing::call;

namespace {

using entry = nybble::poll_entry<kinds>;
using async_host = nybble::testing::typed_host<kinds, nybble::testing::waitable_sets>;
constexpr std::uint64_t ms = 1'000'000; // nanoseconds

template <std::size_t N>
using entries = std::array<entry, N>;

constexpr entry word_entry(word w) { return entry::of_word(w); }
constexpr entry after(std::uint64_t ns) { return entry::of_deadline(deadline{1, ns, false}); }
constexpr entry at(std::uint64_t ns) { return entry::of_deadline(deadline{0, ns, true}); }

// One poll, with a report per entry and room for N entries.
template <on_refusal Refusals = on_refusal::report_entry, class Host, std::size_t N>
constexpr nybble::result<std::size_t> poll(Host& h, const std::array<entry, N>& list, std::array<poll_report, N>& out,
                                           nybble::timeout t = nybble::timeout::none()) {
  nybble::poll_scratch<N, kinds> scratch;
  return nybble::lower_poll<kinds, Refusals>(std::span<const entry>{list}, t, h, scratch, std::span<poll_report>{out});
}

constexpr poll_report ready{poll_state::ready, {}};
constexpr poll_report not_ready{};
constexpr poll_report refused(errc e) { return poll_report{poll_state::refused, e}; }

// Every pollable the lowering made was dropped exactly once: the host's drops
// are the subscribes, the steps that made a pollable and the clock pollables.
template <class Host>
constexpr bool dropped_what_it_made(const Host& h) {
  std::size_t made = h.count_calls(call::subscribe) + h.count_calls(call::subscribe_duration);
  for (const auto& c : h.calls()) {
    made += c.what == call::step && c.argument != 0 ? 1U : 0U;
  }
  return !h.log_overflowed() && h.count_calls(call::drop_pollable) == made;
}

// --- Every ready entry ------------------------------------------------------------

template <class Host>
constexpr bool every_entry_ready_at_the_wake_is_reported() {
  Host h;
  const entries<5> list{
      word_entry(h.add_pollable(readiness::at_ms(30))),
      word_entry(h.template add<cache_entry>(readiness::at_ms(30)).to_guest()), after(50 * ms),
      word_entry(h.template add<http_cache_entry>({readiness::at_ms(10), readiness::at_ms(30)}).to_guest()),
      word_entry(h.template add<replace_entry>(readiness::never()).to_guest())};
  std::array<poll_report, 5> out{};
  EXPECT(poll(h, list, out) == std::size_t{3});
  EXPECT(out[0] == ready && out[1] == ready && out[2] == not_ready && out[3] == ready && out[4] == not_ready);
  EXPECT(h.virtual_time_ms() == 30);
  EXPECT(h.trap_count() == 0);
  EXPECT(h.live_pollables() == 1); // the guest's own, never dropped
  if constexpr (requires { h.live_waitables(); }) {
    EXPECT(h.live_waitables() == 0 && h.live_waitable_sets() == 0);
  } else {
    EXPECT(dropped_what_it_made(h));
  }
  return true;
}

// WASI 0.2's poll is asked once, and answers every ready index at once.
constexpr bool one_host_poll_reports_every_ready_pollable() {
  host h;
  const entries<3> list{word_entry(h.add_pollable(readiness::now())), word_entry(h.add_pollable(readiness::never())),
                        word_entry(h.add_pollable(readiness::now()))};
  std::array<poll_report, 3> out{};
  EXPECT(poll(h, list, out) == std::size_t{2});
  EXPECT(out[0] == ready && out[1] == not_ready && out[2] == ready);
  EXPECT(h.count_calls(call::poll_pollables) == 1 && h.call_count() == 1); // no clock, nothing to drop
  EXPECT(h.live_pollables() == 3);
  return true;
}

// The async ABI: one blocking wait, then every other event drained without blocking.
constexpr bool a_waitable_set_is_waited_on_once_and_drained() {
  async_host h;
  const entries<3> list{word_entry(h.add_pollable(readiness::at_ms(5))),
                        word_entry(h.add<cache_entry>(readiness::at_ms(5)).to_guest()),
                        word_entry(h.add_pollable(readiness::at_ms(5)))};
  std::array<poll_report, 3> out{};
  EXPECT(poll(h, list, out) == std::size_t{3});
  EXPECT(out[0] == ready && out[1] == ready && out[2] == ready);
  EXPECT(h.count_calls(call::wait) == 1);
  EXPECT(h.count_calls(call::poll) == 3); // two more events, then none
  EXPECT(h.live_waitables() == 0 && h.live_waitable_sets() == 0 && h.trap_count() == 0);
  return true;
}

// A stepping entry is ready only when its last step is; steps in between re-arm.
template <class Host>
constexpr bool a_stepping_entry_is_ready_when_every_step_is() {
  Host h;
  const entries<2> list{
      word_entry(h.template add<http_cache_entry>({readiness::at_ms(10), readiness::at_ms(20), readiness::at_ms(40)})
                     .to_guest()),
      word_entry(h.add_pollable(readiness::at_ms(60)))};
  std::array<poll_report, 2> out{};
  EXPECT(poll(h, list, out) == std::size_t{1});
  EXPECT(out[0] == ready && out[1] == not_ready);
  EXPECT(h.virtual_time_ms() == 40);
  EXPECT(h.trap_count() == 0);
  return true;
}

// A handle ready now (its first step() answers nullopt) is reported, and the
// call no longer blocks: the others are looked at once.
template <class Host>
constexpr bool a_handle_ready_now_makes_the_call_look_once() {
  Host h;
  const entries<3> list{word_entry(h.add_pollable(readiness::now())),
                        word_entry(h.template add<http_cache_entry>({readiness::now()}).to_guest()),
                        word_entry(h.template add<cache_entry>(readiness::at_ms(10)).to_guest())};
  std::array<poll_report, 3> out{};
  EXPECT(poll(h, list, out) == std::size_t{2});
  EXPECT(out[0] == ready && out[1] == ready && out[2] == not_ready);
  EXPECT(h.virtual_time_ms() == 0);
  EXPECT(h.trap_count() == 0);
  return true;
}

// Two stepping entries done in the same round, a waiting one between them: each
// leaves the list, and the list stays whole for the one left.
constexpr bool two_entries_done_in_one_round_both_leave_the_list() {
  host h;
  const word waiting = h.add_pollable(readiness::never());
  const entries<3> list{word_entry(h.add<http_cache_entry>({readiness::at_ms(10)}).to_guest()), word_entry(waiting),
                        word_entry(h.add<http_cache_entry>({readiness::at_ms(10)}).to_guest())};
  std::array<poll_report, 3> out{};
  EXPECT(poll(h, list, out) == std::size_t{2});
  EXPECT(out[0] == ready && out[1] == not_ready && out[2] == ready);
  EXPECT(h.trap_count() == 0 && h.live_pollables() == 1 && dropped_what_it_made(h));
  return true;
}

// A refusal alone makes the call answer at once: a handle not ready yet is
// looked at, not waited for.
template <class Host>
constexpr bool a_refusal_alone_does_not_wait() {
  Host h;
  const entries<2> list{word_entry(forged_word),
                        word_entry(h.template add<cache_entry>(readiness::at_ms(50)).to_guest())};
  std::array<poll_report, 2> out{};
  EXPECT(poll(h, list, out) == std::size_t{1});
  EXPECT(out[0] == refused(errc::unknown_kind) && out[1] == not_ready);
  EXPECT(h.virtual_time_ms() == 0 && h.trap_count() == 0);
  return true;
}

// The same with three handles left to look at (more than a host's is_ready
// looks at one by one): one poll beside a clock wait for no time, and no block.
template <class Host>
constexpr bool a_refusal_beside_many_handles_does_not_wait() {
  Host h;
  const entries<4> list{word_entry(forged_word),
                        word_entry(h.template add<cache_entry>(readiness::at_ms(50)).to_guest()),
                        word_entry(h.template add<cache_entry>(readiness::at_ms(60)).to_guest()),
                        word_entry(h.template add<cache_entry>(readiness::at_ms(70)).to_guest())};
  std::array<poll_report, 4> out{};
  EXPECT(poll(h, list, out) == std::size_t{1});
  EXPECT(out[0] == refused(errc::unknown_kind) && out[1] == not_ready && out[2] == not_ready && out[3] == not_ready);
  EXPECT(h.virtual_time_ms() == 0 && h.trap_count() == 0);
  return true;
}

// --- Deadlines -----------------------------------------------------------------------

// Three clocks: one clock wait for the earliest, and only the ones whose
// instant has come are reported.
constexpr bool several_clocks_share_one_clock_wait() {
  host h;
  const entries<3> list{after(30 * ms), after(10 * ms), at(20 * ms)};
  std::array<poll_report, 3> out{};
  EXPECT(poll(h, list, out) == std::size_t{1});
  EXPECT(out[0] == not_ready && out[1] == ready && out[2] == not_ready);
  EXPECT(h.virtual_time_ms() == 10);
  EXPECT(h.count_calls(call::subscribe_duration) == 1 && h.count_calls(call::block) == 1);
  EXPECT(h.call_count() == 3); // subscribe_duration, block, drop_pollable: no clock read for the durations, no list
  EXPECT(h.live_pollables() == 0 && h.trap_count() == 0);
  // A later call, at 10 ms: the durations count from the call (40 and 20 ms),
  // the instant stays 20 ms; two entries are ready at 20 ms.
  h.clear_log();
  EXPECT(poll(h, list, out) == std::size_t{2});
  EXPECT(out[0] == not_ready && out[1] == ready && out[2] == ready && h.virtual_time_ms() == 20);
  return true;
}

// A deadline already past fires at once: no wait blocks, and the others are looked at.
template <class Host>
constexpr bool a_past_deadline_fires_at_once() {
  Host h;
  h.advance_ms(100);
  const entries<3> list{at(40 * ms), word_entry(h.add_pollable(readiness::now())), after(5 * ms)};
  std::array<poll_report, 3> out{};
  EXPECT(poll(h, list, out) == std::size_t{2});
  EXPECT(out[0] == ready && out[1] == ready && out[2] == not_ready);
  EXPECT(h.virtual_time_ms() == 100);
  EXPECT(h.trap_count() == 0);
  return true;
}

// The timeout is a clock too: nothing ready by then answers 0.
template <class Host>
constexpr bool the_timeout_answers_zero() {
  Host h;
  const entries<2> list{word_entry(h.add_pollable(readiness::never())), after(80 * ms)};
  std::array<poll_report, 2> out{};
  EXPECT(poll(h, list, out, nybble::timeout::ms(25)) == std::size_t{0});
  EXPECT(out[0] == not_ready && out[1] == not_ready);
  EXPECT(h.virtual_time_ms() == 25);
  EXPECT(h.trap_count() == 0);
  return true;
}

// --- Refusals ------------------------------------------------------------------------

// fail_call: the first refusal, before any host call.
constexpr bool fail_call_refuses_before_any_host_call() {
  host h;
  const entries<4> list{word_entry(h.add_pollable(readiness::now())), after(5 * ms), word_entry(forged_word),
                        word_entry(invalid_sentinel)};
  std::array<poll_report, 4> out{};
  h.clear_log();
  EXPECT(poll<on_refusal::fail_call>(h, list, out) == errc::unknown_kind);
  const entries<1> unwaitable{word_entry(h.add<body>().to_guest())};
  std::array<poll_report, 1> one{};
  h.clear_log();
  EXPECT(poll<on_refusal::fail_call>(h, unwaitable, one) == errc::not_waitable);
  EXPECT(h.call_count() == 0);
  return true;
}

// report_entry: each refused entry reported with its errc, the others looked at
// once, and the call answers at once.
template <class Host>
constexpr bool report_entry_marks_each_refusal_and_answers_at_once() {
  Host h;
  const entries<5> list{word_entry(invalid_sentinel), word_entry(h.add_pollable(readiness::now())),
                        word_entry(forged_word),
                        word_entry(h.template add<cache_entry>(readiness::at_ms(50)).to_guest()),
                        word_entry(h.template add<body>().to_guest())};
  std::array<poll_report, 5> out{};
  EXPECT(poll(h, list, out) == std::size_t{4});
  EXPECT(out[0] == refused(errc::invalid_handle) && out[1] == ready && out[2] == refused(errc::unknown_kind) &&
         out[3] == not_ready && out[4] == refused(errc::not_waitable));
  EXPECT(h.virtual_time_ms() == 0);
  EXPECT(h.trap_count() == 0);
  return true;
}

// Every entry refused: answered with no host call at all.
constexpr bool every_entry_refused_needs_no_host_call() {
  host h;
  const entries<2> list{word_entry(forged_word), word_entry(other_sentinel)};
  std::array<poll_report, 2> out{};
  EXPECT(poll(h, list, out) == std::size_t{2});
  EXPECT(h.call_count() == 0);
  return true;
}

// --- Lists and storage -------------------------------------------------------------

constexpr bool empty_lists_and_short_storage() {
  host h;
  std::array<poll_report, 0> none{};
  const entries<0> empty{};
  EXPECT(poll(h, empty, none) == errc::empty_select);
  EXPECT(h.call_count() == 0);
  EXPECT(poll(h, empty, none, nybble::timeout::ms(7)) == std::size_t{0});
  EXPECT(h.virtual_time_ms() == 7 && h.live_pollables() == 0);

  const entries<3> three{after(ms), after(ms), after(ms)};
  std::array<poll_report, 2> short_reports{};
  nybble::poll_scratch<3, kinds> scratch;
  h.clear_log();
  EXPECT(nybble::lower_poll<kinds, on_refusal::report_entry>(std::span<const entry>{three}, nybble::timeout::none(), h,
                                                             scratch, std::span<poll_report>{short_reports}) ==
         errc::capacity_exceeded);
  nybble::poll_scratch<2, kinds> small;
  std::array<poll_report, 3> reports{};
  EXPECT(nybble::lower_poll<kinds, on_refusal::report_entry>(std::span<const entry>{three}, nybble::timeout::none(), h,
                                                             small, std::span<poll_report>{reports}) ==
         errc::capacity_exceeded);
  EXPECT(h.call_count() == 0);
  return true;
}

// A host whose subscribe and step may answer an error (an index its word cannot
// hold): counts what is alive, answers every index ready.
struct failing_host {
  int subscribes_before_error = 100;
  bool answers_the_first_twice = false;
  int live = 0;
  int polls = 0;
  std::uint64_t now = 0;
  constexpr nybble::result<word> make() {
    if (subscribes_before_error-- <= 0) {
      return errc::payload_overflow;
    }
    ++live;
    return word{7};
  }
  constexpr nybble::result<word> subscribe(kinds::handle<cache_entry>) { return make(); }
  constexpr nybble::result<word> subscribe(kinds::handle<replace_entry>) { return make(); }
  constexpr nybble::result<std::optional<word>> step(kinds::handle<http_cache_entry>) {
    const auto made = make();
    if (!made) {
      return made.error();
    }
    return std::optional<word>{*made};
  }
  constexpr std::size_t poll(std::span<const word> pollables, std::span<std::uint32_t> ready) {
    ++polls;
    if (answers_the_first_twice && pollables.size() >= 2) {
      ready[0] = 0;
      ready[1] = 0;
      return 2;
    }
    for (std::size_t i = 0; i < pollables.size(); ++i) {
      ready[i] = static_cast<std::uint32_t>(i);
    }
    return pollables.size();
  }
  constexpr void drop_pollable(word) { --live; }
  constexpr word subscribe_duration(std::uint64_t) {
    ++live;
    return word{9};
  }
  [[nodiscard]] constexpr std::uint64_t ns_until(deadline d) const { return d.ns > now ? d.ns - now : 0; }
};
static_assert(nybble::poll_host<failing_host, kinds>);

// The host's error while arming, or while re-arming a step: the call answers
// it, and what was armed is dropped.
constexpr bool a_host_error_is_answered_and_nothing_leaks() {
  const word entry_word = kinds::handle<cache_entry>::from_payload(3)->to_guest();
  const word http_word = kinds::handle<http_cache_entry>::from_payload(4)->to_guest();
  failing_host arming{.subscribes_before_error = 2};
  const entries<3> three{word_entry(entry_word), word_entry(entry_word), word_entry(entry_word)};
  std::array<poll_report, 3> out{};
  EXPECT(poll(arming, three, out) == errc::payload_overflow);
  EXPECT(arming.live == 0 && arming.polls == 0);

  failing_host rearming{.subscribes_before_error = 2}; // the step fires; its next step cannot be made
  const entries<2> mixed{word_entry(http_word), word_entry(entry_word)};
  std::array<poll_report, 2> two{};
  EXPECT(poll(rearming, mixed, two, nybble::timeout::ms(5)) == errc::payload_overflow);
  EXPECT(rearming.live == 0 && rearming.polls == 1);

  // A host that names one index twice: the entry is still reported once.
  failing_host twice{.answers_the_first_twice = true};
  const entries<2> two_pollables{word_entry(1), word_entry(2)};
  EXPECT(poll(twice, two_pollables, two) == std::size_t{1});
  EXPECT(two[0] == ready && two[1] == not_ready);

  failing_host fits{};
  EXPECT(poll(fits, mixed, two) == std::size_t{1}); // the entry; the step fired, then made another
  EXPECT(two[0] == not_ready && two[1] == ready);
  EXPECT(fits.live == 0);
  return true;
}

} // namespace

CONSTEXPR_TEST_CASE(every_entry_ready_at_the_wake_is_reported<host>)
CONSTEXPR_TEST_CASE(every_entry_ready_at_the_wake_is_reported<async_host>)
CONSTEXPR_TEST_CASE(one_host_poll_reports_every_ready_pollable)
CONSTEXPR_TEST_CASE(a_waitable_set_is_waited_on_once_and_drained)
CONSTEXPR_TEST_CASE(a_stepping_entry_is_ready_when_every_step_is<host>)
CONSTEXPR_TEST_CASE(a_stepping_entry_is_ready_when_every_step_is<async_host>)
CONSTEXPR_TEST_CASE(a_handle_ready_now_makes_the_call_look_once<host>)
CONSTEXPR_TEST_CASE(a_handle_ready_now_makes_the_call_look_once<async_host>)
CONSTEXPR_TEST_CASE(two_entries_done_in_one_round_both_leave_the_list)
CONSTEXPR_TEST_CASE(a_refusal_alone_does_not_wait<host>)
CONSTEXPR_TEST_CASE(a_refusal_alone_does_not_wait<async_host>)
CONSTEXPR_TEST_CASE(a_refusal_beside_many_handles_does_not_wait<host>)
CONSTEXPR_TEST_CASE(a_refusal_beside_many_handles_does_not_wait<async_host>)
CONSTEXPR_TEST_CASE(several_clocks_share_one_clock_wait)
CONSTEXPR_TEST_CASE(a_past_deadline_fires_at_once<host>)
CONSTEXPR_TEST_CASE(a_past_deadline_fires_at_once<async_host>)
CONSTEXPR_TEST_CASE(the_timeout_answers_zero<host>)
CONSTEXPR_TEST_CASE(the_timeout_answers_zero<async_host>)
CONSTEXPR_TEST_CASE(fail_call_refuses_before_any_host_call)
CONSTEXPR_TEST_CASE(report_entry_marks_each_refusal_and_answers_at_once<host>)
CONSTEXPR_TEST_CASE(report_entry_marks_each_refusal_and_answers_at_once<async_host>)
CONSTEXPR_TEST_CASE(every_entry_refused_needs_no_host_call)
CONSTEXPR_TEST_CASE(empty_lists_and_short_storage)
CONSTEXPR_TEST_CASE(a_host_error_is_answered_and_nothing_leaks)
