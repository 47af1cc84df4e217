// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <nybble/testing.hpp>

#include "constexpr_check.hpp"
#include "select_fixture.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <optional>
#include <span>

using namespace nybble_tests::select_fixture;
using nybble::testing::call;
using nybble::testing::trap;
using nybble::testing::trap_record;

namespace {

constexpr bool handles_are_numbered_from_one_and_freed_indices_reused_last_first() {
  host h;
  const word a = h.add_pollable(readiness::now());
  const auto b = h.add<cache_entry>();
  const word c = h.add_pollable(readiness::now());
  EXPECT(a == 1);
  EXPECT(b.payload() == 2);
  EXPECT(b.to_guest() == 0x1000'0002U);
  EXPECT(c == 3);
  h.drop_pollable(a);
  h.drop_pollable(c);
  EXPECT(h.add_pollable(readiness::now()) == 3);
  EXPECT(h.add<replace_entry>().payload() == 1);
  EXPECT(h.trap_count() == 0);
  return true;
}

constexpr bool each_kind_has_its_own_table_in_one_index_space() {
  host h;
  const word p = h.add_pollable(readiness::now());
  const auto a = h.add<cache_entry>();
  const auto b = h.add<cache_entry>();
  const auto c = h.add<http_cache_entry>({readiness::now()});
  EXPECT(h.live<nybble::untagged>() == 1);
  EXPECT(h.live<cache_entry>() == 2);
  EXPECT(h.live<http_cache_entry>() == 1);
  EXPECT(h.live<replace_entry>() == 0);
  // One index space: no two live resources of any kinds share an index.
  EXPECT(p != a.payload() && a.payload() != b.payload() && b.payload() != c.payload() && p != c.payload());
  h.drop(a);
  EXPECT(h.live<cache_entry>() == 1);
  return true;
}

constexpr bool a_handle_of_another_type_traps_as_a_runtime_would() {
  host h;
  const auto entry = h.add<cache_entry>();
  const word as_pollable = entry.payload(); // what a naive adapter passes
  const std::array<word, 1> list{as_pollable};
  EXPECT(h.select(list) == 1); // no index: trapped
  EXPECT(h.trap_count() == 1);
  EXPECT(h.traps()[0] == trap_record{trap::wrong_kind, as_pollable});
  h.drop_pollable(as_pollable);
  EXPECT(h.trap_count() == 2);
  EXPECT(h.live_resources() == 1); // not dropped
  return true;
}

constexpr bool unknown_and_dropped_handles_trap() {
  host h;
  const word p = h.add_pollable(readiness::now());
  h.drop_pollable(p);
  EXPECT(!h.is_ready(p));
  h.drop_pollable(0);
  h.drop_pollable(invalid_sentinel);
  EXPECT(h.trap_count() == 3);
  for (const auto& t : h.traps()) {
    EXPECT(t.reason == trap::invalid_handle);
  }
  return true;
}

constexpr bool a_select_nothing_can_wake_traps_as_blocked_forever() {
  host h;
  const std::array<word, 2> list{h.add_pollable(readiness::never()), h.add_pollable(readiness::after_polls(3))};
  EXPECT(h.select(list) == 2);
  EXPECT(h.trap_count() == 1);
  EXPECT(h.traps()[0].reason == trap::blocked_forever);
  return true;
}

// WASI 0.2's poll answers every ready index, as a runtime does, not the first.
constexpr bool poll_answers_every_ready_index() {
  host h;
  const auto entry = h.add<cache_entry>(readiness::at_ms(30));
  const word made = h.subscribe(entry);
  const std::array<word, 5> list{h.add_pollable(readiness::now()), h.add_pollable(readiness::never()),
                                 h.add_pollable(readiness::at_ms(30)), made, h.add_pollable(readiness::now())};
  std::array<std::uint32_t, 5> ready{};
  EXPECT(h.poll(list, ready) == 2);
  EXPECT(ready[0] == 0 && ready[1] == 4);
  EXPECT(h.virtual_time_ms() == 0); // something was ready: no time passed
  // Nothing ready: the clock moves to the earliest wake, and every index ready then is answered.
  const std::array<word, 3> later{list[1], list[2], list[3]};
  EXPECT(h.poll(later, ready) == 2);
  EXPECT(ready[0] == 1 && ready[1] == 2);
  EXPECT(h.virtual_time_ms() == 30);
  EXPECT(h.count_calls(nybble::testing::call::poll_pollables) == 2 && h.trap_count() == 0);
  // No more indices than the caller has room for.
  std::array<std::uint32_t, 1> one{};
  EXPECT(h.poll(list, one) == 1 && one[0] == 0);
  h.drop_pollable(made);
  return true;
}

// A poll that can never return traps, as select does; so does a poll of no pollables.
constexpr bool a_poll_nothing_can_wake_traps_as_blocked_forever() {
  host h;
  const std::array<word, 2> list{h.add_pollable(readiness::never()), h.add_pollable(readiness::after_polls(2))};
  std::array<std::uint32_t, 2> ready{};
  EXPECT(h.poll(list, ready) == 0);
  EXPECT(h.trap_count() == 1 && h.traps()[0].reason == trap::blocked_forever);
  EXPECT(h.poll(std::span<const word>{}, ready) == 0);
  EXPECT(h.trap_count() == 2 && h.traps()[1].reason == trap::blocked_forever);
  // A word that is no live pollable traps as in select.
  const std::array<word, 1> dropped{list[1]};
  h.drop_pollable(list[1]);
  EXPECT(h.poll(dropped, ready) == 0);
  EXPECT(h.trap_count() == 3 && h.traps()[2].reason == trap::invalid_handle);
  return true;
}

constexpr bool a_resource_with_live_pollables_cannot_be_dropped() {
  host h;
  const auto entry = h.add<cache_entry>();
  const word p = h.subscribe(entry);
  h.drop(entry);
  EXPECT(h.trap_count() == 1);
  EXPECT(h.traps()[0] == trap_record{trap::drop_with_live_children, entry.payload()});
  h.drop_pollable(p);
  h.drop(entry);
  EXPECT(h.trap_count() == 1);
  EXPECT(h.live_resources() == 0);
  return true;
}

constexpr bool a_full_table_traps_and_hands_out_the_invalid_sentinel() {
  nybble::testing::typed_host<kinds, nybble::testing::table_capacity<3>> h;
  EXPECT(h.capacity == 3);
  EXPECT(h.add_pollable(readiness::now()) == 1);
  EXPECT(h.add<cache_entry>().payload() == 2);
  EXPECT(h.add<cache_entry>().is_invalid());
  EXPECT(h.add_pollable(readiness::now()) == 0);
  EXPECT(h.trap_count() == 2);
  EXPECT(h.traps()[0].reason == trap::table_full);
  return true;
}

// Regression: kinds were stored as 8-bit tags, so with a 12-bit kind field the
// tag-257 kind aliased the tag-1 kind and a handle of the wrong type went through.
struct narrow_tag : nybble::kind<1> {};
struct wide_tag : nybble::kind<257> {};
using wide_field_layout = nybble::basic_layout<std::uint32_t, 12, 16, 31>;
using wide_field_kinds = nybble::kind_set<wide_field_layout, narrow_tag, wide_tag>;

constexpr bool regression_a_kind_with_a_tag_past_255_is_not_another_kind() {
  nybble::testing::typed_host<wide_field_kinds, nybble::testing::subscribes<narrow_tag>,
                              nybble::testing::subscribes<wide_tag>>
      h;
  const auto wide = h.add<wide_tag>();
  const auto forged = *wide_field_kinds::handle<narrow_tag>::from_payload(wide.payload());
  EXPECT(h.subscribe(forged) == 0); // the wrong type: trapped, no pollable
  EXPECT(h.trap_count() == 1);
  EXPECT(h.traps()[0] == trap_record{trap::wrong_kind, wide.payload()});
  EXPECT(h.live<narrow_tag>() == 0);
  EXPECT(h.live<wide_tag>() == 1);
  EXPECT(h.live_pollables() == 0);
  const auto pollable = h.subscribe(wide); // the right type
  EXPECT(pollable != 0);
  EXPECT(h.trap_count() == 1);
  h.drop_pollable(pollable);
  return true;
}

// Regression: words were logged as 32 bits, so a 64-bit tagged word read as a small untagged one.
using words64_layout = nybble::basic_layout<std::uint64_t, 3, 60, 63>;
struct entry64 : nybble::kind<1> {};
using kinds64 = nybble::kind_set<words64_layout, entry64>;

constexpr bool regression_words_are_logged_whole_for_every_word_size() {
  nybble::testing::typed_host<kinds64, nybble::testing::subscribes<entry64>> h;
  const std::uint64_t tagged = words64_layout::with_tag(1, entry64::tag); // 0x1000'0000'0000'0001
  const std::array<std::uint64_t, 1> list{tagged};
  EXPECT(h.select(list, 0) == std::optional<std::uint64_t>{1}); // a resource word where a pollable goes: trapped
  EXPECT(h.calls()[0].word == 0x1000'0000'0000'0001U);
  EXPECT(h.traps()[0] == trap_record{trap::invalid_handle, 0x1000'0000'0000'0001U});
  return true;
}

// Every limit is an option, and going past it is recorded, never silent.
constexpr bool every_limit_is_an_option_and_recorded_when_passed() {
  nybble::testing::typed_host<kinds, nybble::testing::steps<http_cache_entry>, nybble::testing::step_capacity<2>,
                              nybble::testing::log_capacity<3>, nybble::testing::trap_capacity<1>>
      h;
  EXPECT(h.max_steps == 2 && h.log_capacity == 3 && h.trap_capacity == 1);
  const auto two = h.add<http_cache_entry>({readiness::now(), readiness::now()});
  EXPECT(!two.is_invalid());
  const auto three = h.add<http_cache_entry>({readiness::now(), readiness::now(), readiness::now()});
  EXPECT(three.is_invalid()); // not silently cut to two steps
  EXPECT(h.traps()[0].reason == trap::too_many_steps);
  EXPECT(h.live<http_cache_entry>() == 1);
  EXPECT(!h.traps_overflowed());
  h.drop_pollable(0);
  EXPECT(h.trap_count() == 2);
  EXPECT(h.traps_overflowed());
  EXPECT(h.traps().size() == 1);
  EXPECT(!h.is_ready(0));
  EXPECT(!h.is_ready(0));
  EXPECT(!h.log_overflowed()); // three calls: the drop and two is_ready
  EXPECT(!h.is_ready(0));
  EXPECT(h.log_overflowed());
  EXPECT(h.call_count() == 4); // the count stays exact
  EXPECT(h.calls().size() == 3);
  return true;
}

constexpr bool readiness_by_polls_counts_waits_that_found_it_not_ready() {
  host h;
  const word p = h.add_pollable(readiness::after_polls(2));
  EXPECT(!h.is_ready(p));
  EXPECT(!h.is_ready(p));
  EXPECT(h.is_ready(p));
  const std::array<word, 1> list{h.add_pollable(readiness::after_polls(1))};
  EXPECT(!h.select(list, 0).has_value());
  EXPECT(h.select(list, 0) == std::optional<std::uint64_t>{0});
  return true;
}

constexpr bool readiness_by_time_follows_the_virtual_clock() {
  host h;
  const std::array<word, 2> list{h.add_pollable(readiness::at_ms(30)), h.add_pollable(readiness::at_ms(20))};
  EXPECT(!h.select(list, 10).has_value());
  EXPECT(h.now_ms() == 10);
  EXPECT(h.select(list, 100) == std::optional<std::uint64_t>{1});
  EXPECT(h.now_ms() == 20);
  EXPECT(h.select(list) == 1); // still ready: the lowest ready index
  h.advance_ms(10);
  EXPECT(h.select(list) == 0);
  return true;
}

// A timed select whose pollable becomes ready exactly at its deadline finds it ready.
constexpr bool a_resource_ready_at_the_deadline_is_ready() {
  host h;
  const std::array<word, 1> list{h.add_pollable(readiness::at_ms(10))};
  EXPECT(h.select(list, 10) == std::optional<std::uint64_t>{0});
  EXPECT(h.now_ms() == 10);
  host later;
  const std::array<word, 1> late{later.add_pollable(readiness::at_ms(11))};
  EXPECT(!later.select(late, 10).has_value());
  EXPECT(later.now_ms() == 10);
  return true;
}

// Polls of a subscribed or stepped resource count on the resource, across the
// pollables made for it, as a runtime's readiness belongs to the resource.
constexpr bool readiness_by_polls_counts_on_the_resource_behind_made_pollables() {
  host h;
  const auto entry = h.add<cache_entry>(readiness::after_polls(2));
  for (int wait = 0; wait < 3; ++wait) {
    const word p = h.subscribe(entry);
    EXPECT(h.is_ready(p) == (wait == 2));
    h.drop_pollable(p);
  }
  const auto stepping = h.add<http_cache_entry>({readiness::after_polls(1), readiness::after_polls(1)});
  const auto first = h.step(stepping);
  EXPECT(first.has_value() && !h.is_ready(*first)); // step 1, poll 1: not yet
  h.drop_pollable(*first);
  const auto second = h.step(stepping); // step 1 done after one poll; step 2 has had none
  EXPECT(second.has_value() && !h.is_ready(*second));
  h.drop_pollable(*second);
  EXPECT(!h.step(stepping).has_value()); // step 2 done too
  EXPECT(h.live_pollables() == 0);
  EXPECT(h.trap_count() == 0);
  return true;
}

constexpr bool steps_advance_only_past_finished_steps() {
  host h;
  const auto entry = h.add<http_cache_entry>({readiness::at_ms(5), readiness::at_ms(10)});
  const auto first = h.step(entry);
  EXPECT(first.has_value());
  EXPECT(h.step(entry).has_value()); // same step, another pollable
  h.advance_ms(5);
  EXPECT(h.is_ready(*first));
  const auto second = h.step(entry);
  EXPECT(second.has_value());
  EXPECT(!h.is_ready(*second));
  h.advance_ms(5);
  EXPECT(!h.step(entry).has_value());
  EXPECT(h.live_pollables() == 3);
  EXPECT(h.is_done(entry));
  return true;
}

constexpr bool the_log_records_calls_in_order() {
  host h;
  const auto entry = h.add<cache_entry>(readiness::now());
  const word p = h.subscribe(entry);
  EXPECT(h.is_ready(p));
  h.drop_pollable(p);
  EXPECT(h.call_count() == 3);
  EXPECT(h.calls()[0].what == call::subscribe);
  EXPECT(h.calls()[0].word == entry.payload());
  EXPECT(h.calls()[0].argument == p);
  EXPECT(h.calls()[1].what == call::is_ready);
  EXPECT(h.calls()[2].what == call::drop_pollable);
  EXPECT(h.count_calls(call::subscribe) == 1);
  return true;
}

// Options shape the host's interface, which the select concepts see.
static_assert(nybble::host_with_clock<host>);
static_assert(!nybble::host_with_clock<host_without_clock>);
static_assert(nybble::host_with_subscribe<host, cache_entry, nybble::canonical_abi_layout>);
static_assert(!nybble::host_with_step<host, cache_entry, nybble::canonical_abi_layout>);
static_assert(nybble::host_with_step<host, http_cache_entry, nybble::canonical_abi_layout>);
static_assert(!nybble::host_with_subscribe<host, body, nybble::canonical_abi_layout>);
static_assert(!nybble::host_with_step<host, body, nybble::canonical_abi_layout>);
static_assert(host::capacity == 64);

} // namespace

CONSTEXPR_TEST_CASE(handles_are_numbered_from_one_and_freed_indices_reused_last_first)
CONSTEXPR_TEST_CASE(each_kind_has_its_own_table_in_one_index_space)
CONSTEXPR_TEST_CASE(a_handle_of_another_type_traps_as_a_runtime_would)
CONSTEXPR_TEST_CASE(unknown_and_dropped_handles_trap)
CONSTEXPR_TEST_CASE(a_select_nothing_can_wake_traps_as_blocked_forever)
CONSTEXPR_TEST_CASE(poll_answers_every_ready_index)
CONSTEXPR_TEST_CASE(a_poll_nothing_can_wake_traps_as_blocked_forever)
CONSTEXPR_TEST_CASE(a_resource_with_live_pollables_cannot_be_dropped)
CONSTEXPR_TEST_CASE(a_full_table_traps_and_hands_out_the_invalid_sentinel)
CONSTEXPR_TEST_CASE(regression_a_kind_with_a_tag_past_255_is_not_another_kind)
CONSTEXPR_TEST_CASE(regression_words_are_logged_whole_for_every_word_size)
CONSTEXPR_TEST_CASE(every_limit_is_an_option_and_recorded_when_passed)
CONSTEXPR_TEST_CASE(readiness_by_polls_counts_waits_that_found_it_not_ready)
CONSTEXPR_TEST_CASE(readiness_by_time_follows_the_virtual_clock)
CONSTEXPR_TEST_CASE(steps_advance_only_past_finished_steps)
CONSTEXPR_TEST_CASE(a_resource_ready_at_the_deadline_is_ready)
CONSTEXPR_TEST_CASE(readiness_by_polls_counts_on_the_resource_behind_made_pollables)
CONSTEXPR_TEST_CASE(the_log_records_calls_in_order)
