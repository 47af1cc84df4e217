// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// lowering/pollables.hpp: the wait on pollables, its timeouts and its one deadline.
#include <nybble/select.hpp>

#include "constexpr_check.hpp"
#include "kinds.hpp"
#include "select_fixture.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <type_traits>

using namespace nybble_tests::select_fixture;
using nybble::errc;
using nybble::lower_is_ready;
using nybble::lower_select;
using nybble::select_outcome;
using nybble::timeout;
using nybble::testing::call;

namespace {

// --- Timeouts -----------------------------------------------------------------

constexpr bool a_clock_keeps_one_deadline_across_steps() {
  host h;
  const list<1> slow{
      h.add<http_cache_entry>({readiness::at_ms(40), readiness::at_ms(80), readiness::at_ms(120)}).to_guest()};
  nybble::inline_scratch<1, kinds> scratch;
  const auto r = lower_select<kinds>(slow, timeout::ms(100), h, scratch);
  EXPECT(r.has_value() && r->timed_out());
  EXPECT(h.virtual_time_ms() == 100); // the reference adapter would wait until 120
  EXPECT(h.last_timeout_ms() == 20);  // the last wait was given what was left
  EXPECT(h.live_pollables() == 0);

  host fast_host;
  const list<1> fast{
      fast_host.add<http_cache_entry>({readiness::at_ms(30), readiness::at_ms(60), readiness::at_ms(90)}).to_guest()};
  const auto done = lower_select<kinds>(fast, timeout::ms(100), fast_host, scratch);
  EXPECT(done.has_value() && done->index() == 0);
  EXPECT(fast_host.virtual_time_ms() == 90);
  return true;
}

// The deadline is the clock's reading plus the timeout, not the timeout alone:
// a host whose clock has run for a while must not cut the select short.
constexpr bool regression_a_clock_that_does_not_start_at_zero_keeps_the_deadline() {
  host h;
  h.advance_ms(1000);
  const list<1> slow{
      h.add<http_cache_entry>({readiness::at_ms(1040), readiness::at_ms(1080), readiness::at_ms(1120)}).to_guest()};
  nybble::inline_scratch<1, kinds> scratch;
  const auto r = lower_select<kinds>(slow, timeout::ms(100), h, scratch);
  EXPECT(r.has_value() && r->timed_out());
  EXPECT(h.virtual_time_ms() == 1100);
  EXPECT(h.last_timeout_ms() == 20);

  const list<1> fast{
      h.add<http_cache_entry>({readiness::at_ms(1130), readiness::at_ms(1160), readiness::at_ms(1190)}).to_guest()};
  const auto done = lower_select<kinds>(fast, timeout::ms(100), h, scratch);
  EXPECT(done.has_value() && done->index() == 0);
  EXPECT(h.virtual_time_ms() == 1190);
  EXPECT(h.live_pollables() == 0);
  EXPECT(h.trap_count() == 0);
  return true;
}

// Tags {1, 2, 5} are read a tag at a time; untagged words (tag 0) must still
// take the no-copy path.
struct gapped_one : nybble::kind<1> {};
struct gapped_two : nybble::kind<2> {};
struct gapped_five : nybble::kind<5> {};
using gapped_kinds = nybble::kind_set<nybble::canonical_abi_layout, gapped_one, gapped_two, gapped_five>;
using gapped_host =
    nybble::testing::typed_host<gapped_kinds, nybble::testing::subscribes<gapped_one>,
                                nybble::testing::subscribes<gapped_two>, nybble::testing::steps<gapped_five>>;

constexpr bool regression_a_gapped_set_passes_an_untagged_list_uncopied() {
  gapped_host h;
  for (std::size_t n = 1; n <= 6; ++n) {
    std::array<word, 6> handles{};
    for (std::size_t i = 0; i < n; ++i) {
      handles[i] = h.add_pollable(i + 1 == n ? readiness::now() : readiness::never());
    }
    nybble::inline_scratch<6, kinds> scratch;
    h.clear_log();
    const auto r = lower_select<gapped_kinds>(std::span<const word>{handles}.first(n), timeout::none(), h, scratch);
    EXPECT(r.has_value() && r->index() == n - 1);
    EXPECT(h.call_count() == 1);
    EXPECT(h.last_select_data() == handles.data());
  }
  // And a tagged word of each kind is translated.
  const list<3> tagged{h.add<gapped_one>(readiness::never()).to_guest(),
                       h.add<gapped_two>(readiness::never()).to_guest(),
                       h.add<gapped_five>({readiness::at_ms(4)}).to_guest()};
  nybble::inline_scratch<3, kinds> scratch;
  const auto r = lower_select<gapped_kinds>(tagged, timeout::none(), h, scratch);
  EXPECT(r.has_value() && r->index() == 2);
  EXPECT(h.live_pollables() == 6 * 7 / 2);
  EXPECT(h.trap_count() == 0);
  return true;
}

constexpr bool without_a_clock_each_wait_is_given_the_whole_timeout() {
  host_without_clock h;
  static_assert(!nybble::host_with_clock<host_without_clock>);
  const list<1> slow{
      h.add<http_cache_entry>({readiness::at_ms(40), readiness::at_ms(80), readiness::at_ms(120)}).to_guest()};
  nybble::inline_scratch<1, kinds> scratch;
  const auto r = lower_select<kinds>(slow, timeout::ms(100), h, scratch);
  // Documented: with no clock the lowering cannot know how long a wait took.
  EXPECT(r.has_value() && r->index() == 0);
  EXPECT(h.virtual_time_ms() == 120);
  EXPECT(h.last_timeout_ms() == 100);
  EXPECT(h.live_pollables() == 0);
  return true;
}

constexpr bool timeouts_read_like_the_guests() {
  EXPECT(timeout::from_guest(0) == timeout::none());
  EXPECT(timeout::from_guest(7) == timeout::ms(7));
  EXPECT(timeout::ms(0).milliseconds() == 0);
  EXPECT(!timeout::ms(0).is_none());
  EXPECT(select_outcome::ready_at(3).to_guest() == 3);
  EXPECT(select_outcome::ready_at(3).index() == 3);
  EXPECT(!select_outcome::ready_at(3).timed_out());
  EXPECT(select_outcome::timeout_expired().timed_out());
  return true;
}

} // namespace

CONSTEXPR_TEST_CASE(a_clock_keeps_one_deadline_across_steps)
CONSTEXPR_TEST_CASE(regression_a_clock_that_does_not_start_at_zero_keeps_the_deadline)
CONSTEXPR_TEST_CASE(regression_a_gapped_set_passes_an_untagged_list_uncopied)
CONSTEXPR_TEST_CASE(without_a_clock_each_wait_is_given_the_whole_timeout)
CONSTEXPR_TEST_CASE(timeouts_read_like_the_guests)
