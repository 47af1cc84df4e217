// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// lower_select and lower_is_ready over a host of the Component Model's async
// ABI (WASI 0.3): started waits in one waitable set. The same kinds, the same
// guest words and the same errcs as the pollable host's tests (select.cpp).
#include <nybble/select.hpp>
#include <nybble/testing.hpp>

#include "constexpr_check.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <optional>
#include <span>

namespace {

struct cache_entry : nybble::kind<1> {};
struct replace_entry : nybble::kind<2> {};
struct http_cache_entry : nybble::kind<3> {}; // several steps
struct request : nybble::unwaitable_kind<4> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry, replace_entry, http_cache_entry, request>;
using word = kinds::word_type;
using async_host = nybble::testing::typed_host<kinds, nybble::testing::waitable_sets>;
using nybble::errc;
using nybble::lower_is_ready;
using nybble::lower_select;
using nybble::timeout;
using nybble::testing::call;
using nybble::testing::readiness;

static_assert(nybble::select_host<async_host, kinds> && nybble::is_ready_host<async_host, kinds>);
static_assert(nybble::wait_model_of<async_host, nybble::untagged, kinds::layout_type> == nybble::wait_model::start);
static_assert(nybble::wait_model_of<async_host, http_cache_entry, kinds::layout_type> == nybble::wait_model::start);
static_assert(nybble::wait_model_of<async_host, request, kinds::layout_type> == nybble::wait_model::unwaitable);
static_assert(!nybble::host_with_select<async_host, word>); // no pollables in this world

template <std::size_t N>
using list = std::array<word, N>;

// Nothing the lowering started is left: no waitable, no set, no trap; every
// wait that was started (a start_wait that answered a waitable) ended once.
constexpr bool nothing_left(const async_host& h) {
  std::size_t started = 0;
  for (const auto& c : h.calls()) {
    started += c.what == call::start_wait && c.argument != 0 ? 1U : 0U;
  }
  return h.live_waitables() == 0 && h.live_waitable_sets() == 0 && h.trap_count() == 0 && !h.log_overflowed() &&
         started == h.count_calls(call::end_wait) &&
         h.count_calls(call::new_waitable_set) == h.count_calls(call::drop_waitable_set) &&
         h.count_calls(call::start_timeout) == h.count_calls(call::end_timeout);
}

constexpr bool select_joins_every_wait_to_one_set_and_maps_the_event_back() {
  async_host h;
  const list<3> guest{h.add_pollable(readiness::at_ms(100)), h.add<cache_entry>(readiness::at_ms(40)).to_guest(),
                      h.add<http_cache_entry>({readiness::at_ms(10), readiness::at_ms(25)}).to_guest()};
  nybble::inline_scratch<3, kinds> scratch;
  const auto r = lower_select<kinds>(guest, timeout::none(), h, scratch);
  EXPECT(r && r->index() == 2);                       // the caller's index
  EXPECT(h.virtual_time_ms() == 25);                  // after both steps of the entry
  EXPECT(h.count_calls(call::new_waitable_set) == 1); // one set for the whole select
  EXPECT(h.count_calls(call::start_wait) == 4);       // three, and the entry's second step
  EXPECT(h.count_calls(call::start_timeout) == 0);    // no timeout, no clock wait
  EXPECT(nothing_left(h));
  return true;
}

constexpr bool the_timeout_is_one_clock_wait_in_the_same_set() {
  async_host h;
  const list<2> guest{
      h.add_pollable(readiness::never()),
      h.add<http_cache_entry>({readiness::at_ms(60), readiness::at_ms(120), readiness::at_ms(180)}).to_guest()};
  nybble::inline_scratch<2, kinds> scratch;
  const auto r = lower_select<kinds>(guest, timeout::ms(100), h, scratch);
  EXPECT(r && r->timed_out());
  EXPECT(h.virtual_time_ms() == 100); // one deadline, whatever the steps re-arm
  EXPECT(h.count_calls(call::start_timeout) == 1);
  EXPECT(h.count_calls(call::start_wait) == 3); // the entry re-armed once, at 60 ms
  EXPECT(nothing_left(h));
  return true;
}

constexpr bool a_zero_timeout_polls() {
  async_host h;
  const list<2> guest{h.add_pollable(readiness::never()), h.add<cache_entry>(readiness::at_ms(5)).to_guest()};
  nybble::inline_scratch<2, kinds> scratch;
  const auto r = lower_select<kinds>(guest, timeout::ms(0), h, scratch);
  EXPECT(r && r->timed_out());
  EXPECT(h.count_calls(call::poll) == 1 && h.count_calls(call::wait) == 0);
  EXPECT(h.count_calls(call::start_timeout) == 0);
  EXPECT(h.virtual_time_ms() == 0);
  EXPECT(nothing_left(h));
  h.advance_ms(5);
  const auto later = lower_select<kinds>(guest, timeout::ms(0), h, scratch);
  EXPECT(later && later->index() == 1);
  EXPECT(nothing_left(h));
  return true;
}

constexpr bool a_handle_ready_at_once_is_answered_without_a_set() {
  async_host h;
  const list<3> guest{h.add<cache_entry>(readiness::at_ms(50)).to_guest(),
                      h.add<http_cache_entry>({readiness::now(), readiness::now()}).to_guest(),
                      h.add<cache_entry>(readiness::at_ms(50)).to_guest()};
  nybble::inline_scratch<3, kinds> scratch;
  const auto r = lower_select<kinds>(guest, timeout::none(), h, scratch);
  EXPECT(r && r->index() == 1);
  EXPECT(h.count_calls(call::new_waitable_set) == 0);
  EXPECT(h.count_calls(call::start_wait) == 2); // the third is never started
  EXPECT(nothing_left(h));
  return true;
}

// Scenario i: a handle whose wait completed while another index won is ready at
// the next select and is_ready that name it.
constexpr bool a_wait_that_lost_a_select_is_not_lost() {
  async_host h;
  const word first = h.add<cache_entry>(readiness::at_ms(10)).to_guest();
  const word second = h.add<replace_entry>(readiness::at_ms(10)).to_guest();
  const list<2> guest{first, second};
  nybble::inline_scratch<2, kinds> scratch;
  const auto r = lower_select<kinds>(guest, timeout::none(), h, scratch);
  EXPECT(r && r->index() == 0);
  EXPECT(nothing_left(h));
  const auto again = lower_select<kinds>(list<1>{second}, timeout::ms(0), h, scratch);
  EXPECT(again && again->index() == 0);
  EXPECT(lower_is_ready<kinds>(second, h) == true);
  EXPECT(h.virtual_time_ms() == 10);
  EXPECT(nothing_left(h));
  return true;
}

// Scenario j: many selects in a loop leave nothing alive.
constexpr bool selects_in_a_loop_leave_nothing_alive() {
  async_host h;
  const list<3> guest{h.add_pollable(readiness::never()), h.add<cache_entry>(readiness::after_polls(1)).to_guest(),
                      h.add<http_cache_entry>({readiness::now(), readiness::after_polls(1)}).to_guest()};
  nybble::inline_scratch<3, kinds> scratch;
  for (int i = 0; i < 100; ++i) {
    const auto r = lower_select<kinds>(guest, timeout::ms(i % 2 == 0 ? 0U : 7U), h, scratch);
    EXPECT(r.has_value());
    h.clear_log();
  }
  EXPECT(h.live_waitables() == 0 && h.live_waitable_sets() == 0 && h.trap_count() == 0);
  return true;
}

constexpr bool everything_refused_is_refused_before_any_host_call() {
  async_host h;
  const word entry = h.add<cache_entry>().to_guest();
  const word request_word = h.add<request>().to_guest();
  nybble::inline_scratch<2, kinds> scratch;
  h.clear_log();
  EXPECT(lower_select<kinds>(list<2>{entry, nybble::canonical_abi_layout::null_word}, timeout::none(), h, scratch) ==
         errc::invalid_handle);
  EXPECT(lower_select<kinds>(list<2>{entry, 0x6000'0001U}, timeout::none(), h, scratch) == errc::unknown_kind);
  EXPECT(lower_select<kinds>(list<2>{entry, request_word}, timeout::none(), h, scratch) == errc::not_waitable);
  EXPECT(lower_select<kinds>(std::span<const word>{}, timeout::none(), h, scratch) == errc::empty_select);
  EXPECT(lower_is_ready<kinds>(0x6000'0001U, h) == errc::unknown_kind);
  EXPECT(lower_is_ready<kinds>(std::uint64_t{1} << 40, h) == errc::word_out_of_range);
  EXPECT(h.call_count() == 0);
  return true;
}

constexpr bool an_empty_select_with_a_timeout_waits_on_the_clock_alone() {
  async_host h;
  nybble::inline_scratch<1, kinds> scratch;
  const auto r = lower_select<kinds>(std::span<const word>{}, timeout::ms(30), h, scratch);
  EXPECT(r && r->timed_out());
  EXPECT(h.virtual_time_ms() == 30);
  EXPECT(nothing_left(h));
  return true;
}

constexpr bool is_ready_polls_and_looks_past_a_step_that_is_done() {
  async_host h;
  const word half = h.add<http_cache_entry>({readiness::now(), readiness::at_ms(50)}).to_guest();
  const word late = h.add<cache_entry>(readiness::at_ms(50)).to_guest();
  const word done = h.add<http_cache_entry>({readiness::now(), readiness::now()}).to_guest();
  EXPECT(lower_is_ready<kinds>(half, h) == false);
  EXPECT(lower_is_ready<kinds>(late, h) == false);
  EXPECT(lower_is_ready<kinds>(done, h) == true);
  EXPECT(h.count_calls(call::wait) == 0); // is_ready never blocks
  h.advance_ms(50);
  EXPECT(lower_is_ready<kinds>(half, h) == true);
  EXPECT(lower_is_ready<kinds>(late, h) == true);
  EXPECT(nothing_left(h));
  return true;
}

// A host whose start_wait answers an errc for the third handle (an index its
// words cannot hold, say): the lowering answers it and ends what it started.
struct refusing_host {
  int started = 0;
  int ended = 0;
  int sets = 0;
  word next = 100;
  [[nodiscard]] constexpr std::uint32_t new_waitable_set() {
    ++sets;
    return 7;
  }
  constexpr void join(word /*waitable*/, std::uint32_t /*set*/) {}
  [[nodiscard]] constexpr word wait(std::uint32_t /*set*/) { return 100; }
  [[nodiscard]] constexpr std::optional<word> poll(std::uint32_t /*set*/) { return std::nullopt; }
  constexpr void drop_waitable_set(std::uint32_t /*set*/) { --sets; }
  [[nodiscard]] constexpr word start_timeout(std::uint32_t /*ms*/) { return 99; }
  constexpr void end_timeout(word /*waitable*/) {}
  template <class K>
  [[nodiscard]] constexpr nybble::result<std::optional<word>> start_wait(kinds::handle<K> /*h*/) {
    if (started == 2) {
      return errc::payload_overflow;
    }
    ++started;
    return std::optional<word>{next++};
  }
  template <class K>
  [[nodiscard]] constexpr bool end_wait(kinds::handle<K> /*h*/, word /*waitable*/) {
    ++ended;
    return true;
  }
};
static_assert(nybble::select_host<refusing_host, kinds>);

constexpr bool a_host_errc_ends_every_wait_started_so_far() {
  refusing_host h;
  nybble::inline_scratch<3, kinds> scratch;
  const auto r = lower_select<kinds>(list<3>{1, 2, 3}, timeout::none(), h, scratch);
  EXPECT(r == errc::payload_overflow);
  EXPECT(h.started == 2 && h.ended == 2 && h.sets == 0);
  return true;
}

// A host that answers a waitable the lowering never started: an errc, and
// everything ended.
struct lying_host : refusing_host {
  [[nodiscard]] constexpr word wait(std::uint32_t /*set*/) { return 12345; }
};

constexpr bool a_waitable_not_in_the_set_is_host_index_out_of_range() {
  lying_host h;
  nybble::inline_scratch<2, kinds> scratch;
  const auto r = lower_select<kinds>(list<2>{1, 2}, timeout::none(), h, scratch);
  EXPECT(r == errc::host_index_out_of_range);
  EXPECT(h.started == 2 && h.ended == 2 && h.sets == 0);
  return true;
}

// A host whose poll answers a waitable that is not the one in the set: the
// handle is not ready, and its wait is ended.
struct poll_lying_host : refusing_host {
  [[nodiscard]] constexpr std::optional<word> poll(std::uint32_t /*set*/) { return word{12345}; }
};

constexpr bool is_ready_reads_only_its_own_waitable() {
  poll_lying_host h;
  EXPECT(lower_is_ready<kinds>(word{1}, h) == false);
  EXPECT(h.started == 1 && h.ended == 1 && h.sets == 0);
  return true;
}

// The test host's own traps for the async ABI.
constexpr bool the_test_host_traps_what_a_runtime_traps() {
  async_host h;
  const auto entry = h.add<cache_entry>(readiness::at_ms(5));
  const auto waitable = h.start_wait(entry);
  EXPECT(waitable.has_value());
  const std::uint32_t set = h.new_waitable_set();
  h.join(*waitable, set);
  h.drop_waitable_set(set); // a member is in it
  EXPECT(h.trap_count() == 1 && h.traps()[0].reason == nybble::testing::trap::drop_set_with_members);
  h.join(*waitable, 0);
  const std::uint32_t other = h.new_waitable_set();
  h.drop_waitable_set(set);
  EXPECT(h.trap_count() == 1);
  EXPECT(!h.end_wait(entry, *waitable));
  h.join(*waitable, other); // joining a waitable that was ended
  EXPECT(h.trap_count() == 2 && h.traps()[1].reason == nybble::testing::trap::invalid_handle);
  static_cast<void>(h.poll(set)); // a set used after it was dropped
  EXPECT(h.trap_count() == 3 && h.traps()[2].reason == nybble::testing::trap::invalid_handle);
  h.join(entry.payload(), other); // a resource where a waitable goes
  EXPECT(h.trap_count() == 4 && h.traps()[3].reason == nybble::testing::trap::wrong_kind);
  h.drop_waitable_set(other);
  EXPECT(h.live_waitables() == 0 && h.live_waitable_sets() == 0);
  return true;
}

} // namespace

CONSTEXPR_TEST_CASE(select_joins_every_wait_to_one_set_and_maps_the_event_back)
CONSTEXPR_TEST_CASE(the_timeout_is_one_clock_wait_in_the_same_set)
CONSTEXPR_TEST_CASE(a_zero_timeout_polls)
CONSTEXPR_TEST_CASE(a_handle_ready_at_once_is_answered_without_a_set)
CONSTEXPR_TEST_CASE(a_wait_that_lost_a_select_is_not_lost)
CONSTEXPR_TEST_CASE(selects_in_a_loop_leave_nothing_alive)
CONSTEXPR_TEST_CASE(everything_refused_is_refused_before_any_host_call)
CONSTEXPR_TEST_CASE(an_empty_select_with_a_timeout_waits_on_the_clock_alone)
CONSTEXPR_TEST_CASE(is_ready_polls_and_looks_past_a_step_that_is_done)
CONSTEXPR_TEST_CASE(a_host_errc_ends_every_wait_started_so_far)
CONSTEXPR_TEST_CASE(a_waitable_not_in_the_set_is_host_index_out_of_range)
CONSTEXPR_TEST_CASE(is_ready_reads_only_its_own_waitable)
CONSTEXPR_TEST_CASE(the_test_host_traps_what_a_runtime_traps)
