// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <nybble/select.hpp>

#include "allocation_counter.hpp"
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
using nybble::testing::trap;

namespace {

// Every pollable the host made by subscribe or step was dropped exactly once,
// and nothing else was dropped as a pollable.
template <class Host>
constexpr bool every_made_pollable_dropped_once(const Host& h) {
  const auto calls = h.calls();
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const bool made = (calls[i].what == call::subscribe || calls[i].what == call::step) && calls[i].argument != 0;
    if (!made) {
      continue;
    }
    // The index may be reused after its drop: count drops between this creation
    // and the next creation of the same index.
    std::size_t drops = 0;
    for (std::size_t j = i + 1; j < calls.size(); ++j) {
      const bool remade =
          (calls[j].what == call::subscribe || calls[j].what == call::step) && calls[j].argument == calls[i].argument;
      if (remade) {
        break;
      }
      drops += calls[j].what == call::drop_pollable && calls[j].word == calls[i].argument ? 1 : 0;
    }
    if (drops != 1) {
      return false;
    }
  }
  return !h.log_overflowed();
}

// --- Guarantee 1 ------------------------------------------------------------

constexpr bool guarantee_1_an_untagged_list_reaches_the_host_as_the_callers_own_span() {
  host h;
  const list<2> handles{h.add_pollable(readiness::never()), h.add_pollable(readiness::at_ms(5))};
  nybble::inline_scratch<2, kinds> scratch;
  const auto r = lower_select<kinds>(handles, timeout::none(), h, scratch);
  EXPECT(r.has_value() && r->index() == 1);
  EXPECT(h.call_count() == 1);
  EXPECT(h.count_calls(call::select) == 1);
  EXPECT(h.last_select_data() == handles.data()); // no copy
  EXPECT(h.last_select_size() == 2);

  h.clear_log();
  const auto timed = lower_select<kinds>(handles, timeout::ms(3), h, scratch);
  EXPECT(timed.has_value() && timed->index() == 1); // ready since t=5
  EXPECT(h.call_count() == 1);
  EXPECT(h.count_calls(call::select_with_timeout) == 1);
  EXPECT(h.last_select_data() == handles.data());
  return true;
}

// Invalid sentinels are refused, whatever else the list holds: no component
// runtime can report an error for one (jco aliases 0x8000'0001 to pollable 1).
constexpr bool guarantee_2_invalid_sentinels_are_refused_before_any_host_call() {
  host h;
  const word pollable = h.add_pollable(readiness::now());
  const word entry = h.add<cache_entry>(readiness::now()).to_guest();
  nybble::inline_scratch<3, kinds> scratch;
  for (const word sentinel : {invalid_sentinel, other_sentinel, sentinel_over_pollable}) {
    EXPECT(lower_select<kinds>(list<2>{pollable, sentinel}, timeout::none(), h, scratch) == errc::invalid_handle);
    EXPECT(lower_select<kinds>(list<1>{sentinel}, timeout::ms(5), h, scratch) == errc::invalid_handle);
    EXPECT(lower_select<kinds>(list<3>{entry, sentinel, pollable}, timeout::ms(5), h, scratch) == errc::invalid_handle);
    EXPECT(lower_is_ready<kinds>(sentinel, h) == errc::invalid_handle);
  }
  // The first refused word names the error.
  EXPECT(lower_select<kinds>(list<2>{forged_word, invalid_sentinel}, timeout::none(), h, scratch) ==
         errc::unknown_kind);
  EXPECT(lower_select<kinds>(list<2>{invalid_sentinel, forged_word}, timeout::none(), h, scratch) ==
         errc::invalid_handle);
  EXPECT(h.call_count() == 0);
  EXPECT(h.trap_count() == 0);
  EXPECT(h.live_pollables() == 1);
  return true;
}

// --- Guarantee 2 ------------------------------------------------------------

constexpr bool guarantee_2_bad_input_is_refused_before_any_host_call() {
  host h;
  const word entry = h.add<cache_entry>(readiness::now()).to_guest();
  const word body_word = h.add<body>().to_guest();
  const word pollable = h.add_pollable(readiness::now());
  nybble::inline_scratch<4, kinds> scratch;

  EXPECT(lower_select<kinds>(list<3>{entry, pollable, forged_word}, timeout::none(), h, scratch) == errc::unknown_kind);
  EXPECT(lower_select<kinds>(list<3>{entry, body_word, pollable}, timeout::ms(10), h, scratch) == errc::not_waitable);
  std::array<word, 2> short_scratch{};
  EXPECT(lower_select<kinds>(list<3>{entry, pollable, entry}, timeout::none(), h, short_scratch) ==
         errc::capacity_exceeded);
  // Capacity is the whole list's, even when nothing needs translating.
  EXPECT(lower_select<kinds>(list<3>{pollable, pollable, pollable}, timeout::none(), h, short_scratch) ==
         errc::capacity_exceeded);
  EXPECT(h.call_count() == 0);
  EXPECT(h.trap_count() == 0);
  EXPECT(h.live_pollables() == 1);
  EXPECT(h.virtual_time_ms() == 0);
  return true;
}

// Lists of 1 to 4 words are read unrolled, with the length checks skipped;
// longer ones by the loop that checks the length first. Either side of that
// bound the answers are the same: the last word is read, a short scratch wins
// over a refused word, and a valid list reaches the host.
constexpr bool validation_is_the_same_either_side_of_the_short_list_bound() {
  host h;
  const word pollable = h.add_pollable(readiness::now());
  const word entry = h.add<cache_entry>(readiness::now()).to_guest();
  for (std::size_t length = 1; length <= 6; ++length) {
    list<6> words{pollable, entry, pollable, entry, pollable, entry};
    const auto handles = std::span<const word>{words}.first(length);
    std::array<word, 6> scratch{};
    words[length - 1] = forged_word;
    EXPECT(lower_select<kinds>(handles, timeout::none(), h, std::span<word>{scratch}) == errc::unknown_kind);
    EXPECT(lower_select<kinds>(handles, timeout::none(), h, std::span<word>{scratch}.first(length - 1)) ==
           errc::capacity_exceeded);
    words[length - 1] = invalid_sentinel;
    EXPECT(lower_select<kinds>(handles, timeout::none(), h, std::span<word>{scratch}) == errc::invalid_handle);
    EXPECT(h.call_count() == 0);
    words[length - 1] = pollable;
    const auto ready = lower_select<kinds>(handles, timeout::none(), h, std::span<word>{scratch});
    EXPECT(ready.has_value() && ready->index() < length);
    h.clear_log();
  }
  EXPECT(h.trap_count() == 0);
  EXPECT(h.live_pollables() == 1);
  return true;
}

// --- Guarantee 3 ------------------------------------------------------------

constexpr bool guarantee_3_pollables_are_dropped_once_when_a_handle_is_ready() {
  host h;
  const word guest_pollable = h.add_pollable(readiness::never());
  const list<4> handles{h.add<cache_entry>(readiness::never()).to_guest(), guest_pollable,
                        h.add<replace_entry>(readiness::at_ms(10)).to_guest(),
                        h.add<cache_entry>(readiness::at_ms(20)).to_guest()};
  nybble::inline_scratch<4, kinds> scratch;
  const auto r = lower_select<kinds>(handles, timeout::none(), h, scratch);
  EXPECT(r.has_value() && r->index() == 2);
  EXPECT(h.count_calls(call::subscribe) == 3); // each tagged handle once
  EXPECT(h.count_calls(call::select) == 1);
  EXPECT(h.count_calls(call::drop_pollable) == 3);
  EXPECT(every_made_pollable_dropped_once(h));
  EXPECT(h.live_pollables() == 1); // the guest's own, never dropped by the lowering
  EXPECT(h.trap_count() == 0);
  return true;
}

constexpr bool guarantee_3_pollables_are_dropped_once_on_timeout() {
  host h;
  const list<3> handles{h.add<cache_entry>(readiness::at_ms(50)).to_guest(), h.add_pollable(readiness::never()),
                        h.add<http_cache_entry>({readiness::at_ms(5), readiness::at_ms(60)}).to_guest()};
  nybble::inline_scratch<3, kinds> scratch;
  const auto r = lower_select<kinds>(handles, timeout::ms(30), h, scratch);
  EXPECT(r.has_value() && r->timed_out());
  EXPECT(r->to_guest() == 0xFFFF'FFFFU);
  EXPECT(h.virtual_time_ms() == 30);
  EXPECT(every_made_pollable_dropped_once(h));
  EXPECT(h.live_pollables() == 1);
  EXPECT(h.trap_count() == 0);
  return true;
}

constexpr bool guarantee_3_pollables_are_dropped_once_when_the_host_errs() {
  host h;
  // A pollable the host never made: the test host traps and answers no index.
  const list<3> handles{h.add<cache_entry>(readiness::never()).to_guest(), unknown_pollable,
                        h.add<http_cache_entry>({readiness::never()}).to_guest()};
  nybble::inline_scratch<3, kinds> scratch;
  const auto r = lower_select<kinds>(handles, timeout::none(), h, scratch);
  EXPECT(r == errc::host_index_out_of_range);
  EXPECT(every_made_pollable_dropped_once(h));
  EXPECT(h.live_pollables() == 0);
  return true;
}

constexpr bool guarantee_3_a_first_step_that_is_ready_drops_what_was_made_before_it() {
  host h;
  const list<3> handles{h.add<cache_entry>(readiness::never()).to_guest(),
                        h.add<replace_entry>(readiness::never()).to_guest(),
                        h.add<http_cache_entry>({readiness::now()}).to_guest()};
  nybble::inline_scratch<3, kinds> scratch;
  const auto r = lower_select<kinds>(handles, timeout::none(), h, scratch);
  EXPECT(r.has_value() && r->index() == 2);
  EXPECT(h.count_calls(call::select) == 0); // ready now: no wait at all
  EXPECT(every_made_pollable_dropped_once(h));
  EXPECT(h.live_pollables() == 0);
  EXPECT(h.trap_count() == 0);
  return true;
}

constexpr bool guarantee_3_duplicates_are_subscribed_and_dropped_each_time() {
  host h;
  const word entry = h.add<cache_entry>(readiness::at_ms(7)).to_guest();
  const word stepping = h.add<http_cache_entry>({readiness::at_ms(3), readiness::at_ms(9)}).to_guest();
  const list<4> handles{entry, stepping, entry, stepping};
  nybble::inline_scratch<4, kinds> scratch;
  const auto r = lower_select<kinds>(handles, timeout::none(), h, scratch);
  EXPECT(r.has_value() && (r->index() == 0 || r->index() == 2));
  EXPECT(every_made_pollable_dropped_once(h));
  EXPECT(h.live_pollables() == 0);
  EXPECT(h.trap_count() == 0);
  return true;
}

// --- Guarantee 4 ------------------------------------------------------------

constexpr bool guarantee_4_the_index_is_the_callers_and_a_stepping_handle_is_rearmed() {
  host h;
  const list<4> handles{
      h.add_pollable(readiness::at_ms(100)), h.add<cache_entry>(readiness::at_ms(80)).to_guest(),
      h.add<http_cache_entry>({readiness::at_ms(10), readiness::at_ms(20), readiness::at_ms(30)}).to_guest(),
      h.add_pollable(readiness::never())};
  nybble::inline_scratch<4, kinds> scratch;
  const auto r = lower_select<kinds>(handles, timeout::none(), h, scratch);
  EXPECT(r.has_value() && r->index() == 2);
  EXPECT(h.virtual_time_ms() == 30);
  EXPECT(h.count_calls(call::step) == 4);   // armed, re-armed twice, then done (nullopt)
  EXPECT(h.count_calls(call::select) == 3); // woke at 10, 20 and 30
  EXPECT(h.count_calls(call::subscribe) == 1);
  EXPECT(every_made_pollable_dropped_once(h));
  EXPECT(h.live_pollables() == 2);
  return true;
}

constexpr bool guarantee_4_a_subscribing_handle_ready_before_the_last_step_wins() {
  host h;
  const list<2> handles{h.add<http_cache_entry>({readiness::at_ms(10), readiness::at_ms(50)}).to_guest(),
                        h.add<cache_entry>(readiness::at_ms(20)).to_guest()};
  nybble::inline_scratch<2, kinds> scratch;
  const auto r = lower_select<kinds>(handles, timeout::none(), h, scratch);
  EXPECT(r.has_value() && r->index() == 1);
  EXPECT(h.virtual_time_ms() == 20);
  EXPECT(every_made_pollable_dropped_once(h));
  EXPECT(h.live_pollables() == 0);
  return true;
}

// --- Guarantee 5 ------------------------------------------------------------

constexpr bool guarantee_5_an_empty_list_needs_a_timeout() {
  host h;
  nybble::inline_scratch<1, kinds> scratch;
  EXPECT(lower_select<kinds>(std::span<const word>{}, timeout::none(), h, scratch) == errc::empty_select);
  EXPECT(lower_select<kinds>(std::span<const word>{}, timeout::from_guest(0), h, scratch) == errc::empty_select);
  EXPECT(h.call_count() == 0);
  const auto r = lower_select<kinds>(std::span<const word>{}, timeout::ms(25), h, scratch);
  EXPECT(r.has_value() && r->timed_out());
  EXPECT(h.call_count() == 1);
  EXPECT(h.count_calls(call::select_with_timeout) == 1);
  EXPECT(h.virtual_time_ms() == 25);
  // An empty scratch will do for an empty list.
  EXPECT(lower_select<kinds>(std::span<const word>{}, timeout::ms(1), h, std::span<word>{})->timed_out());
  return true;
}

// --- Guarantee 6: proven by the static_asserts of this file; the allocation
// count is below.

// --- is_ready -------------------------------------------------------------------

constexpr bool is_ready_asks_about_an_untagged_pollable_directly() {
  host h;
  const word p = h.add_pollable(readiness::after_polls(1));
  EXPECT(lower_is_ready<kinds>(p, h) == false);
  EXPECT(lower_is_ready<kinds>(p, h) == true);
  EXPECT(h.call_count() == 2);
  EXPECT(h.count_calls(call::is_ready) == 2);
  return true;
}

constexpr bool is_ready_subscribes_asks_and_drops() {
  host h;
  const word waiting = h.add<cache_entry>(readiness::at_ms(5)).to_guest();
  EXPECT(lower_is_ready<kinds>(waiting, h) == false);
  h.advance_ms(5);
  EXPECT(lower_is_ready<kinds>(waiting, h) == true);
  EXPECT(h.count_calls(call::subscribe) == 2);
  EXPECT(every_made_pollable_dropped_once(h));
  EXPECT(h.live_pollables() == 0);
  return true;
}

// The reference adapter looked at one step only and said "ready" here.
constexpr bool is_ready_for_a_stepping_handle_means_every_step_is_ready() {
  host h;
  const word half_done = h.add<http_cache_entry>({readiness::now(), readiness::never()}).to_guest();
  EXPECT(lower_is_ready<kinds>(half_done, h) == false);
  const word all_done = h.add<http_cache_entry>({readiness::now(), readiness::now()}).to_guest();
  EXPECT(lower_is_ready<kinds>(all_done, h) == true);
  const word later = h.add<http_cache_entry>({readiness::at_ms(1), readiness::at_ms(2)}).to_guest();
  EXPECT(lower_is_ready<kinds>(later, h) == false);
  h.advance_ms(2);
  EXPECT(lower_is_ready<kinds>(later, h) == true);
  EXPECT(every_made_pollable_dropped_once(h));
  EXPECT(h.live_pollables() == 0);
  return true;
}

// A host whose step() hands out a pollable for the current step even when that
// step is already done (it advances only when stepped again), as a runtime may:
// every step: true when done, false when it will never be. And a host that
// offers both subscribe and step for one kind, to see which is used.
struct lazy_stepping_host {
  std::array<bool, 4> step_done{};
  std::size_t steps = 0;
  std::size_t current = 0;
  int live = 0;
  int subscribed = 0;
  int stepped = 0;

  constexpr std::uint32_t select(std::span<const word> pollables) {
    return static_cast<std::uint32_t>(pollables.size() - 1);
  }
  constexpr std::optional<std::uint32_t> select(std::span<const word> pollables, std::uint32_t) {
    return select(pollables);
  }
  constexpr bool is_ready(word pollable) { return step_done[pollable - 1]; }
  constexpr void drop_pollable(word) { --live; }
  constexpr std::optional<word> step(kinds::handle<http_cache_entry>) {
    ++stepped;
    if (current == steps) {
      return std::nullopt;
    }
    ++live;
    return static_cast<word>(1 + current++); // the pollable of this step; the next call moves on
  }
  template <class K>
  constexpr word subscribe(kinds::handle<K>) {
    ++subscribed;
    ++live;
    return 1;
  }
};

constexpr bool regression_is_ready_looks_past_a_step_that_is_already_done() {
  lazy_stepping_host half{.step_done = {true, false}, .steps = 2};
  const word entry = kinds::handle<http_cache_entry>::from_payload(9)->to_guest();
  EXPECT(lower_is_ready<kinds>(entry, half) == false); // the second step is not done
  EXPECT(half.live == 0 && half.stepped == 2);
  lazy_stepping_host done{.step_done = {true, true}, .steps = 2};
  EXPECT(lower_is_ready<kinds>(entry, done) == true);
  EXPECT(done.live == 0 && done.stepped == 3);
  return true;
}

constexpr bool a_kind_the_host_can_subscribe_and_step_is_stepped() {
  static_assert(nybble::wait_model_of<lazy_stepping_host, http_cache_entry, nybble::canonical_abi_layout> ==
                nybble::wait_model::step);
  lazy_stepping_host h{.step_done = {true}, .steps = 1};
  const word entry = kinds::handle<http_cache_entry>::from_payload(9)->to_guest();
  nybble::inline_scratch<1, kinds> scratch;
  const auto r = lower_select<kinds>(list<1>{entry}, timeout::none(), h, scratch);
  EXPECT(r.has_value() && r->index() == 0);
  EXPECT(h.stepped == 2 && h.subscribed == 0 && h.live == 0);
  return true;
}

constexpr bool is_ready_agrees_with_a_select_that_does_not_wait() {
  host h;
  const word stepping = h.add<http_cache_entry>({readiness::now(), readiness::at_ms(10)}).to_guest();
  nybble::inline_scratch<1, kinds> scratch;
  const auto ready = lower_is_ready<kinds>(stepping, h);
  const auto polled = lower_select<kinds>(list<1>{stepping}, timeout::ms(0), h, scratch);
  EXPECT(ready == false);
  EXPECT(polled.has_value() && polled->timed_out());
  return true;
}

constexpr bool is_ready_refuses_forged_and_unwaitable_words_without_a_host_call() {
  host h;
  EXPECT(lower_is_ready<kinds>(forged_word, h) == errc::unknown_kind);
  EXPECT(lower_is_ready<kinds>(h.add<body>().to_guest(), h) == errc::not_waitable);
  EXPECT(h.call_count() == 0);
  return true;
}

// A host of the test's own: answers an index outside the list, as a broken host might.
struct lying_host {
  int live = 0;
  int next = 100;
  constexpr std::uint32_t select(std::span<const word> pollables) {
    return static_cast<std::uint32_t>(pollables.size());
  }
  constexpr std::optional<std::uint32_t> select(std::span<const word>, std::uint32_t) { return 1000U; }
  constexpr void drop_pollable(word) { --live; }
  template <class K>
  constexpr word subscribe(kinds::handle<K>) {
    ++live;
    return static_cast<word>(next++);
  }
};

// A kind declared unwaitable stays unwaitable even where the host could
// subscribe it: the declaration decides, not which members happen to compile.
constexpr bool an_unwaitable_declaration_wins_over_a_host_member() {
  lying_host h;
  static_assert(nybble::host_with_subscribe<lying_host, body, nybble::canonical_abi_layout>);
  static_assert(nybble::wait_model_of<lying_host, body, nybble::canonical_abi_layout> ==
                nybble::wait_model::unwaitable);
  const word body_word = kinds::handle<body>::from_payload(3)->to_guest();
  nybble::inline_scratch<2, kinds> scratch;
  EXPECT(lower_select<kinds>(list<2>{0x0000'0005U, body_word}, timeout::none(), h, scratch) == errc::not_waitable);
  EXPECT(h.live == 0 && h.next == 100);
  return true;
}

// A 16-bit untyped ABI over a typed side that numbers pollables with 32-bit
// indices: a new pollable whose index does not fit the word cannot be handed to
// select. The host drops it itself and answers an errc; the lowering drops
// everything it made and passes the errc on.
using abi16 = nybble::basic_layout<std::uint16_t, 3, 12, 15>;
struct socket : nybble::kind<1> {};
struct timer : nybble::kind<2> {};
using kinds16 = nybble::kind_set<abi16, socket, timer>;

struct wide_index_host {
  std::uint32_t next_index = 0;       // the typed side's next pollable
  std::uint32_t steps_before_end = 0; // a timer's steps left before it is done
  int live = 0;
  int selects = 0;

  constexpr nybble::result<std::uint16_t> subscribe_result() {
    const std::uint32_t index = next_index++;
    if (index > abi16::payload_mask) { // does not fit: dropped on the typed side, never handed out
      return errc::payload_overflow;
    }
    ++live;
    return static_cast<std::uint16_t>(index);
  }
  constexpr std::uint64_t select(std::span<const std::uint16_t> pollables) {
    ++selects;
    return pollables.size() - 1;
  }
  constexpr std::optional<std::uint64_t> select(std::span<const std::uint16_t> pollables, std::uint32_t) {
    return select(pollables);
  }
  constexpr bool is_ready(std::uint16_t) { return true; }
  constexpr void drop_pollable(std::uint16_t) { --live; }
  constexpr nybble::result<std::uint16_t> subscribe(kinds16::handle<socket>) { return subscribe_result(); }
  constexpr nybble::result<std::optional<std::uint16_t>> step(kinds16::handle<timer>) {
    if (steps_before_end == 0) {
      return std::optional<std::uint16_t>{};
    }
    --steps_before_end;
    const auto pollable = subscribe_result();
    if (!pollable) {
      return pollable.error();
    }
    return std::optional<std::uint16_t>{*pollable};
  }
};
static_assert(nybble::select_host<wide_index_host, kinds16>);

// A subscribe or step that answers a wider integer than the word is no host
// member at all: the index would be narrowed onto another pollable.
struct narrowing_host {
  std::uint32_t subscribe(kinds16::handle<socket>);
  std::optional<std::uint32_t> step(kinds16::handle<timer>);
};
static_assert(!nybble::host_with_subscribe<narrowing_host, socket, abi16>);
static_assert(!nybble::host_with_step<narrowing_host, timer, abi16>);
static_assert(nybble::host_with_subscribe<wide_index_host, socket, abi16>);
static_assert(nybble::host_with_step<wide_index_host, timer, abi16>);

constexpr bool a_new_pollable_that_does_not_fit_the_word_is_an_error_and_nothing_leaks() {
  const std::uint16_t socket_word = kinds16::handle<socket>::from_payload(7)->to_guest();
  const std::uint16_t timer_word = kinds16::handle<timer>::from_payload(8)->to_guest();
  nybble::inline_scratch<4, kinds16> scratch;
  static_assert(std::is_same_v<decltype(scratch.span()), std::span<std::uint16_t>>);

  // The third socket's pollable is the first that does not fit.
  wide_index_host h{.next_index = abi16::payload_mask - 1};
  const std::array<std::uint16_t, 4> sockets{socket_word, socket_word, socket_word, socket_word};
  EXPECT(lower_select<kinds16>(sockets, timeout::none(), h, scratch) == errc::payload_overflow);
  EXPECT(h.live == 0 && h.selects == 0);

  // A timer re-armed after its first step, whose second pollable does not fit.
  wide_index_host stepping{.next_index = abi16::payload_mask, .steps_before_end = 2};
  const std::array<std::uint16_t, 2> mixed{std::uint16_t{3}, timer_word}; // the host answers the last index
  EXPECT(lower_select<kinds16>(mixed, timeout::ms(5), stepping, scratch) == errc::payload_overflow);
  EXPECT(stepping.live == 0 && stepping.selects == 1);

  wide_index_host asked{.next_index = abi16::payload_mask + 1};
  EXPECT(lower_is_ready<kinds16>(socket_word, asked) == errc::payload_overflow);
  EXPECT(asked.live == 0);
  wide_index_host asked_step{.next_index = abi16::payload_mask + 1, .steps_before_end = 1};
  EXPECT(lower_is_ready<kinds16>(timer_word, asked_step) == errc::payload_overflow);
  EXPECT(asked_step.live == 0);

  // Indices that fit are waited on as usual.
  wide_index_host fits{.next_index = 1};
  const auto r = lower_select<kinds16>(sockets, timeout::none(), fits, scratch);
  EXPECT(r.has_value() && r->index() == 3);
  EXPECT(fits.live == 0 && fits.selects == 1);
  return true;
}

constexpr bool a_host_index_out_of_range_is_an_error_and_nothing_leaks() {
  lying_host h;
  nybble::inline_scratch<2, kinds> scratch;
  const list<2> handles{0x1000'0001U, 0x0000'0005U};
  EXPECT(lower_select<kinds>(handles, timeout::none(), h, scratch) == errc::host_index_out_of_range);
  EXPECT(h.live == 0);
  EXPECT(lower_select<kinds>(handles, timeout::ms(5), h, scratch) == errc::host_index_out_of_range);
  EXPECT(h.live == 0);
  EXPECT(lower_select<kinds>(list<1>{0x0000'0005U}, timeout::ms(5), h, scratch) == errc::host_index_out_of_range);
  EXPECT(lower_select<kinds>(std::span<const word>{}, timeout::ms(5), h, scratch) == errc::host_index_out_of_range);
  return true;
}

} // namespace

CONSTEXPR_TEST_CASE(guarantee_1_an_untagged_list_reaches_the_host_as_the_callers_own_span)
CONSTEXPR_TEST_CASE(guarantee_2_invalid_sentinels_are_refused_before_any_host_call)
CONSTEXPR_TEST_CASE(guarantee_2_bad_input_is_refused_before_any_host_call)
CONSTEXPR_TEST_CASE(validation_is_the_same_either_side_of_the_short_list_bound)
CONSTEXPR_TEST_CASE(guarantee_3_pollables_are_dropped_once_when_a_handle_is_ready)
CONSTEXPR_TEST_CASE(guarantee_3_pollables_are_dropped_once_on_timeout)
CONSTEXPR_TEST_CASE(guarantee_3_pollables_are_dropped_once_when_the_host_errs)
CONSTEXPR_TEST_CASE(guarantee_3_a_first_step_that_is_ready_drops_what_was_made_before_it)
CONSTEXPR_TEST_CASE(guarantee_3_duplicates_are_subscribed_and_dropped_each_time)
CONSTEXPR_TEST_CASE(guarantee_4_the_index_is_the_callers_and_a_stepping_handle_is_rearmed)
CONSTEXPR_TEST_CASE(guarantee_4_a_subscribing_handle_ready_before_the_last_step_wins)
CONSTEXPR_TEST_CASE(guarantee_5_an_empty_list_needs_a_timeout)
CONSTEXPR_TEST_CASE(is_ready_asks_about_an_untagged_pollable_directly)
CONSTEXPR_TEST_CASE(is_ready_subscribes_asks_and_drops)
CONSTEXPR_TEST_CASE(is_ready_for_a_stepping_handle_means_every_step_is_ready)
CONSTEXPR_TEST_CASE(is_ready_agrees_with_a_select_that_does_not_wait)
CONSTEXPR_TEST_CASE(regression_is_ready_looks_past_a_step_that_is_already_done)
CONSTEXPR_TEST_CASE(a_kind_the_host_can_subscribe_and_step_is_stepped)
CONSTEXPR_TEST_CASE(is_ready_refuses_forged_and_unwaitable_words_without_a_host_call)
CONSTEXPR_TEST_CASE(a_host_index_out_of_range_is_an_error_and_nothing_leaks)
CONSTEXPR_TEST_CASE(an_unwaitable_declaration_wins_over_a_host_member)
CONSTEXPR_TEST_CASE(a_new_pollable_that_does_not_fit_the_word_is_an_error_and_nothing_leaks)

// --- Guarantee 6: no heap allocation ----------------------------------------------
// Every allocation in this process is counted; the lowering must add none.

TEST_CASE("guarantee_6_lower_select_and_lower_is_ready_never_allocate") {
  static host h; // large: kept off the stack
  const list<5> handles{h.add_pollable(readiness::never()), h.add<cache_entry>(readiness::at_ms(50)).to_guest(),
                        h.add<http_cache_entry>({readiness::at_ms(10), readiness::at_ms(20)}).to_guest(),
                        h.add<replace_entry>(readiness::never()).to_guest(), invalid_sentinel};
  nybble::inline_scratch<5, kinds> scratch;
  const std::size_t before = nybble_tests::allocation_count();
  const auto r = lower_select<kinds>(std::span{handles}.first(4), timeout::ms(100), h, scratch);
  const auto ready = lower_is_ready<kinds>(handles[2], h);
  const auto refused = lower_select<kinds>(list<1>{forged_word}, timeout::none(), h, scratch);
  const auto sentinel = lower_select<kinds>(list<3>{handles[0], handles[3], handles[4]}, timeout::ms(1), h, scratch);
  const std::size_t after = nybble_tests::allocation_count();
  CHECK(after == before);
  CHECK((r.has_value() && r->index() == 2));
  CHECK(ready == true);
  CHECK(refused == errc::unknown_kind);
  CHECK(sentinel == errc::invalid_handle);
  CHECK(h.live_pollables() == 1);
}
