// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <nybble/generations.hpp>
#include <nybble/poll.hpp>
#include <nybble/select.hpp>
#include <nybble/testing.hpp>

#include "constexpr_check.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>

using nybble::errc;
using nybble::generation_table;
using nybble::testing::call;
using nybble::testing::readiness;

namespace {

struct cache_entry : nybble::kind<1> {};      // subscribe() -> pollable
struct replace_entry : nybble::kind<2> {};    // subscribe() -> pollable
struct http_cache_entry : nybble::kind<3> {}; // step() -> option<pollable>
struct request : nybble::unwaitable_kind<4> {};

using kinds = nybble::kind_set<nybble::generational_abi_layout, cache_entry, replace_entry, http_cache_entry, request>;
using table = generation_table<kinds>;
using word = std::uint32_t;
constexpr std::size_t indices = 16;
using storage = std::array<table::slot_type, table::kinds_per_slot_row * indices>;

// 8-bit words with a 2-bit generation: a stale word aliases after 4 retirements.
using layout8 = nybble::basic_layout<std::uint8_t, 2, 5, 7, 2, 3>;
using kinds8 = nybble::kind_set<layout8, cache_entry>;
// 64-bit words, a 16-bit generation.
using layout64 = nybble::basic_layout<std::uint64_t, 3, 60, 63, 16, 44>;
using kinds64 = nybble::kind_set<layout64, cache_entry, replace_entry>;
// Tags that are not the kinds' places in the set: rows found by dispatch.
struct far_entry : nybble::kind<6> {};
using gapped_kinds = nybble::kind_set<nybble::generational_abi_layout, far_entry, cache_entry>;

using host =
    nybble::testing::typed_host<kinds, nybble::testing::subscribes<cache_entry>,
                                nybble::testing::subscribes<replace_entry>, nybble::testing::steps<http_cache_entry>>;
using async_host = nybble::testing::typed_host<kinds, nybble::testing::waitable_sets>;

static_assert(std::is_same_v<table::slot_type, std::uint16_t>); // 8 generation bits and the out bit
static_assert(std::is_same_v<generation_table<kinds8>::slot_type, std::uint8_t>);
static_assert(std::is_same_v<generation_table<kinds64>::slot_type, std::uint32_t>);

constexpr bool a_handed_out_word_carries_the_slots_generation() {
  storage slots{};
  table generations{slots};
  EXPECT(generations.capacity() == indices);
  const auto first = generations.hand_out<cache_entry>(3);
  EXPECT(first.has_value());
  EXPECT(first->to_guest() == 0x1000'0003U); // generation 0: the canonical word
  EXPECT(first->payload() == 3 && first->generation() == 0);
  EXPECT(generations.find<cache_entry>(first->to_guest()) == *first);
  EXPECT(generations.check(first->to_guest()).has_value());
  const auto closed = generations.retire<cache_entry>(first->to_guest());
  EXPECT(closed == *first); // the handle whose resource the adapter now closes on the host
  const auto second = generations.hand_out<cache_entry>(3); // the host reuses the index
  EXPECT(second.has_value());
  EXPECT(second->to_guest() == 0x1010'0003U && second->payload() == 3 && second->generation() == 1);
  EXPECT(generations.find<cache_entry>(second->to_guest()) == *second);
  return true;
}

// A stale word is refused by every call, and the live one is answered.
constexpr bool a_stale_word_is_refused_everywhere() {
  storage slots{};
  table generations{slots};
  const word stale = generations.hand_out<cache_entry>(5)->to_guest();
  EXPECT(generations.retire<cache_entry>(stale).has_value());
  // Free slot: stale.
  EXPECT(generations.find<cache_entry>(stale) == errc::stale_handle);
  EXPECT(generations.check(stale) == errc::stale_handle);
  EXPECT(generations.retire<cache_entry>(stale) == errc::stale_handle); // a double close
  const word live = generations.hand_out<cache_entry>(5)->to_guest();
  // The slot holds a later generation: still stale, and the live word still answered.
  EXPECT(generations.find<cache_entry>(stale) == errc::stale_handle);
  EXPECT(generations.retire<cache_entry>(stale) == errc::stale_handle);
  EXPECT(generations.check(stale) == errc::stale_handle);
  EXPECT(generations.find<cache_entry>(live).has_value());
  EXPECT(generations.check(live).has_value());
  // A word never handed out, inside the table and past it.
  EXPECT(generations.find<cache_entry>(0x1000'0006U) == errc::stale_handle);
  EXPECT(generations.find<cache_entry>(0x1000'0000U | indices) == errc::stale_handle);
  EXPECT(generations.check(0x000F'FFFFU) == errc::stale_handle);
  // The index just past a row is not the next row's first slot, even where that one is out.
  EXPECT(generations.hand_out<replace_entry>(0).has_value());
  EXPECT(generations.check(0x1000'0000U | indices) == errc::stale_handle);
  EXPECT(generations.find<request>(0x4000'0000U | indices) == errc::stale_handle); // the last row: no slot after it
  return true;
}

// decode's refusals come first: the generation is checked for a word of the right kind only.
constexpr bool decodes_refusals_come_before_the_generation() {
  storage slots{};
  table generations{slots};
  const word entry = generations.hand_out<cache_entry>(1)->to_guest();
  EXPECT(generations.find<replace_entry>(entry) == errc::wrong_kind);
  EXPECT(generations.find<cache_entry>(0x6000'0001U) == errc::unknown_kind);
  EXPECT(generations.find<cache_entry>(0xFFFF'FFFFU) == errc::invalid_handle);
  EXPECT(generations.find<cache_entry>(std::uint64_t{1} << 32) == errc::word_out_of_range);
  EXPECT(generations.find<cache_entry>(-1) == errc::word_out_of_range);
  EXPECT(generations.retire<replace_entry>(entry) == errc::wrong_kind);
  EXPECT(generations.find<cache_entry>(entry).has_value()); // a refused retire changed nothing
  EXPECT(generations.check(0xFFFF'FFFFU) == errc::invalid_handle);
  EXPECT(generations.check(0x8000'0001U) == errc::invalid_handle);
  EXPECT(generations.check(0x6000'0001U) == errc::unknown_kind);
  EXPECT(generations.check(0x7000'0001U) == errc::unknown_kind);
  return true;
}

// Each kind has its own row: the same index of two kinds, two handles.
constexpr bool kinds_have_rows_of_their_own() {
  storage slots{};
  table generations{slots};
  const word body = generations.hand_out<nybble::untagged>(2)->to_guest();
  const word entry = generations.hand_out<cache_entry>(2)->to_guest();
  const word req = generations.hand_out<request>(2)->to_guest();
  EXPECT(body == 0x0000'0002U && entry == 0x1000'0002U && req == 0x4000'0002U);
  EXPECT(generations.retire<cache_entry>(entry).has_value());
  EXPECT(generations.find<nybble::untagged>(body).has_value());
  EXPECT(generations.find<request>(req).has_value());
  EXPECT(generations.check(entry) == errc::stale_handle);
  // A cache entry's index coming back as a body: the stale entry word is still refused.
  const word body_again = generations.hand_out<http_cache_entry>(2)->to_guest();
  EXPECT(generations.check(entry) == errc::stale_handle && generations.check(body_again).has_value());
  return true;
}

// Rows are found by dispatch when tags are not places in the set.
constexpr bool gapped_tags_find_their_rows() {
  using gapped = generation_table<gapped_kinds>;
  std::array<gapped::slot_type, gapped::kinds_per_slot_row * 4> slots{};
  gapped generations{slots};
  EXPECT(generations.capacity() == 4);
  const word far = generations.hand_out<far_entry>(3)->to_guest();
  const word near = generations.hand_out<cache_entry>(3)->to_guest();
  EXPECT(far == 0x6000'0003U && near == 0x1000'0003U);
  EXPECT(generations.retire<far_entry>(far).has_value());
  EXPECT(generations.check(far) == errc::stale_handle);
  EXPECT(generations.check(near).has_value());
  EXPECT(generations.check(0x2000'0003U) == errc::unknown_kind);
  EXPECT(generations.check(0x0000'0003U) == errc::stale_handle); // untagged: its own row, nothing out
  // The three rows are the storage's thirds, in the set's order: untagged, far_entry, cache_entry.
  EXPECT(slots[0 * 4 + 3] == 0 && slots[1 * 4 + 3] == 2 && slots[2 * 4 + 3] == 1);
  return true;
}

// What cannot be handed out is refused, and the table is left as it was.
constexpr bool an_index_that_does_not_fit_is_refused() {
  storage slots{};
  table generations{slots};
  EXPECT(generations.hand_out<cache_entry>(indices) == errc::capacity_exceeded);
  EXPECT(generations.hand_out<cache_entry>(0x0010'0000U) == errc::payload_overflow); // into the generation field
  EXPECT(generations.hand_out<cache_entry>(0x1000'0001U) == errc::payload_overflow);
  EXPECT(generations.hand_out<cache_entry>(-1) == errc::payload_overflow);
  EXPECT(generations.hand_out<cache_entry>(std::uint64_t{1} << 32) == errc::payload_overflow);
  for (const table::slot_type slot : slots) {
    EXPECT(slot == 0);
  }
  // The largest index the table holds.
  EXPECT(generations.hand_out<request>(indices - 1).has_value());
  // A table over storage too short for one row tracks nothing.
  std::array<table::slot_type, table::kinds_per_slot_row - 1> short_slots{};
  table too_short{short_slots};
  EXPECT(too_short.capacity() == 0);
  EXPECT(too_short.hand_out<cache_entry>(0) == errc::capacity_exceeded);
  EXPECT(too_short.check(0x1000'0000U) == errc::stale_handle);
  return true;
}

// Wrap-around: after 2^G retirements of one slot, and not one sooner, the
// first word matches again.
template <class Set>
constexpr bool a_stale_word_aliases_after_exactly_two_to_the_g_retirements() {
  using generations_of = generation_table<Set>;
  using layout = typename Set::layout_type;
  std::array<typename generations_of::slot_type, generations_of::kinds_per_slot_row * 2> slots{};
  generations_of generations{slots};
  const auto first = generations.template hand_out<cache_entry>(1);
  EXPECT(first.has_value());
  const auto stale = first->to_guest();
  auto current = stale;
  for (std::uintmax_t closes = 1; closes <= layout::max_generation + 1; ++closes) {
    EXPECT(generations.template retire<cache_entry>(current).has_value());
    const auto next = generations.template hand_out<cache_entry>(1);
    EXPECT(next.has_value() && next->generation() == (closes & layout::max_generation));
    current = next->to_guest();
    const bool aliases = closes == layout::max_generation + 1;
    EXPECT((current == stale) == aliases);
    EXPECT(generations.template find<cache_entry>(stale).has_value() == aliases);
  }
  return true;
}

// A host that reuses an index the adapter never retired (a resource some call
// consumed): the old word is stale from then on.
constexpr bool handing_out_a_slot_still_out_retires_its_word() {
  storage slots{};
  table generations{slots};
  const word consumed = generations.hand_out<nybble::untagged>(4)->to_guest();
  const word next = generations.hand_out<nybble::untagged>(4)->to_guest();
  EXPECT(next != consumed);
  EXPECT(generations.check(consumed) == errc::stale_handle);
  EXPECT(generations.check(next).has_value());
  return true;
}

// 64-bit words: the same rules with a 16-bit generation.
constexpr bool sixty_four_bit_words_carry_generations() {
  using t64 = generation_table<kinds64>;
  std::array<t64::slot_type, t64::kinds_per_slot_row * 8> slots{};
  t64 generations{slots};
  const auto first = generations.hand_out<replace_entry>(7);
  EXPECT(first->to_guest() == 0x2000'0000'0000'0007ULL);
  EXPECT(generations.retire<replace_entry>(first->to_guest()).has_value());
  const auto second = generations.hand_out<replace_entry>(7);
  EXPECT(second->to_guest() == 0x2000'1000'0000'0007ULL);
  EXPECT(generations.check(first->to_guest()) == errc::stale_handle);
  EXPECT(generations.find<replace_entry>(second->to_guest()).has_value());
  return true;
}

// --- The lowerings -----------------------------------------------------------

// Open, close, open again: the host reuses the index (most recently freed
// first), the adapter's word differs, and the stale word reaches no host.
constexpr bool the_lowerings_refuse_a_stale_word_before_any_host_call() {
  host h;
  storage slots{};
  table generations{slots};
  const auto first_resource = h.add<cache_entry>(readiness::now());
  const word stale = generations.hand_out<cache_entry>(first_resource.payload())->to_guest();
  EXPECT(generations.retire<cache_entry>(stale).has_value());
  h.drop(first_resource);
  const auto second_resource = h.add<cache_entry>(readiness::after_polls(1));
  EXPECT(second_resource.payload() == first_resource.payload()); // the same table index underneath
  const word live = generations.hand_out<cache_entry>(second_resource.payload())->to_guest();
  EXPECT(live != stale);
  h.clear_log();

  nybble::inline_scratch<4, kinds> scratch;
  const std::array<word, 1> stale_list{stale};
  EXPECT(nybble::lower_select<kinds>(stale_list, nybble::timeout::none(), h, scratch, generations) ==
         errc::stale_handle);
  EXPECT(nybble::lower_is_ready<kinds>(stale, h, generations) == errc::stale_handle);
  const std::array<word, 2> mixed{live, stale};
  EXPECT(nybble::lower_select<kinds>(mixed, nybble::timeout::ms(5), h, scratch, generations) == errc::stale_handle);
  EXPECT(h.call_count() == 0);

  // Kind errors come before the generation, as in every other list.
  const std::array<word, 2> forged_after_stale{stale, 0x6000'0001U};
  EXPECT(nybble::lower_select<kinds>(forged_after_stale, nybble::timeout::none(), h, scratch, generations) ==
         errc::unknown_kind);
  const std::array<word, 1> request_word{generations.hand_out<request>(9)->to_guest()};
  EXPECT(nybble::lower_select<kinds>(request_word, nybble::timeout::none(), h, scratch, generations) ==
         errc::not_waitable);
  EXPECT(h.call_count() == 0);

  // The live word works, and the host saw its index only.
  EXPECT(nybble::lower_is_ready<kinds>(live, h, generations) == false);
  const std::array<word, 1> live_list{live};
  const auto outcome = nybble::lower_select<kinds>(live_list, nybble::timeout::none(), h, scratch, generations);
  EXPECT(outcome.has_value() && outcome->index() == 0);
  EXPECT(h.trap_count() == 0 && h.live_pollables() == 0);
  return true;
}

// Untagged words carry generations too: the host is given their indices (a
// copy of the list), and never drops them.
constexpr bool untagged_words_are_stripped_to_indices() {
  host h;
  storage slots{};
  table generations{slots};
  const word p = h.add_pollable(readiness::now());
  const word old_pollable_word = generations.hand_out<nybble::untagged>(p)->to_guest();
  EXPECT(generations.retire<nybble::untagged>(old_pollable_word).has_value());
  const word pollable_word = generations.hand_out<nybble::untagged>(p)->to_guest();
  EXPECT(pollable_word == (0x0010'0000U | p)); // generation 1: not the host's index
  const auto entry = h.add<cache_entry>(readiness::never());
  const word entry_word = generations.hand_out<cache_entry>(entry.payload())->to_guest();
  h.clear_log();

  const std::array<word, 2> list{entry_word, pollable_word};
  nybble::inline_scratch<2, kinds> scratch;
  const auto outcome = nybble::lower_select<kinds>(list, nybble::timeout::none(), h, scratch, generations);
  EXPECT(outcome.has_value() && outcome->index() == 1);
  EXPECT(h.trap_count() == 0); // a word with its generation would be no live index: a trap
  EXPECT(h.last_select_data() == scratch.span().data() && h.last_select_size() == 2);
  EXPECT(scratch.span()[1] == p);
  EXPECT(h.live_pollables() == 1);                 // the guest's pollable, not dropped
  EXPECT(h.count_calls(call::drop_pollable) == 1); // the entry's temporary pollable only

  // Nothing tagged: still a copy, stripped.
  const std::array<word, 1> only_pollable{pollable_word};
  h.clear_log();
  const auto alone = nybble::lower_select<kinds>(only_pollable, nybble::timeout::ms(10), h, scratch, generations);
  EXPECT(alone.has_value() && alone->index() == 0);
  EXPECT(h.last_select_data() == scratch.span().data() && h.trap_count() == 0);
  EXPECT(h.call_count() == 1 && h.count_calls(call::select_with_timeout) == 1); // one host call, as without generations
  EXPECT(nybble::lower_is_ready<kinds>(pollable_word, h, generations) == true);
  EXPECT(h.trap_count() == 0 && h.count_calls(call::drop_pollable) == 0);
  return true;
}

// An empty list with a timeout waits as without generations; without one it is refused.
constexpr bool an_empty_list_is_as_without_generations() {
  host h;
  storage slots{};
  table generations{slots};
  nybble::inline_scratch<2, kinds> scratch;
  const std::span<const word> none{};
  EXPECT(nybble::lower_select<kinds>(none, nybble::timeout::none(), h, scratch, generations) == errc::empty_select);
  EXPECT(h.call_count() == 0);
  const auto waited = nybble::lower_select<kinds>(none, nybble::timeout::ms(3), h, scratch, generations);
  EXPECT(waited.has_value() && waited->timed_out());
  EXPECT(h.trap_count() == 0);
  return true;
}

// A host of waitable sets: the same refusal, and the started waits get indices.
constexpr bool a_host_of_waitable_sets_refuses_stale_words_too() {
  async_host h;
  storage slots{};
  table generations{slots};
  const word p = h.add_pollable(readiness::now());
  const word pollable_word = generations.hand_out<nybble::untagged>(p)->to_guest();
  EXPECT(generations.retire<nybble::untagged>(pollable_word).has_value());
  const word again = generations.hand_out<nybble::untagged>(p)->to_guest();
  h.clear_log();
  nybble::inline_scratch<2, kinds> scratch;
  const std::array<word, 1> stale_list{pollable_word};
  EXPECT(nybble::lower_select<kinds>(stale_list, nybble::timeout::none(), h, scratch, generations) ==
         errc::stale_handle);
  EXPECT(nybble::lower_is_ready<kinds>(pollable_word, h, generations) == errc::stale_handle);
  EXPECT(h.call_count() == 0);
  const std::array<word, 1> live_list{again};
  const auto outcome = nybble::lower_select<kinds>(live_list, nybble::timeout::none(), h, scratch, generations);
  EXPECT(outcome.has_value() && outcome->index() == 0);
  EXPECT(h.trap_count() == 0);
  return true;
}

// lower_poll checks generations as lower_select does: refused with the call, or
// reported refused beside the live entries.
constexpr bool the_poll_lowering_refuses_stale_words_too() {
  host h;
  storage slots{};
  table generations{slots};
  const auto resource = h.add<cache_entry>(readiness::now());
  const word stale = generations.hand_out<cache_entry>(resource.payload())->to_guest();
  EXPECT(generations.retire<cache_entry>(stale).has_value());
  const word live = generations.hand_out<cache_entry>(resource.payload())->to_guest();
  using entry = nybble::poll_entry<kinds>;
  const std::array<entry, 2> entries{entry::of_word(live), entry::of_word(stale)};
  nybble::poll_scratch<2, kinds> scratch;
  std::array<nybble::poll_report, 2> reports{};
  h.clear_log();
  EXPECT(nybble::lower_poll<kinds, nybble::on_refusal::fail_call>(
             std::span<const entry>{entries}, nybble::timeout::none(), h, scratch,
             std::span<nybble::poll_report>{reports}, generations) == errc::stale_handle);
  EXPECT(h.call_count() == 0);
  EXPECT(nybble::lower_poll<kinds, nybble::on_refusal::report_entry>(
             std::span<const entry>{entries}, nybble::timeout::none(), h, scratch,
             std::span<nybble::poll_report>{reports}, generations) == std::size_t{2});
  EXPECT(reports[0].state == nybble::poll_state::ready);
  EXPECT(reports[1] == (nybble::poll_report{nybble::poll_state::refused, errc::stale_handle}));
  EXPECT(h.trap_count() == 0 && h.live_pollables() == 0);
  return true;
}

} // namespace

CONSTEXPR_TEST_CASE(a_handed_out_word_carries_the_slots_generation)
CONSTEXPR_TEST_CASE(a_stale_word_is_refused_everywhere)
CONSTEXPR_TEST_CASE(decodes_refusals_come_before_the_generation)
CONSTEXPR_TEST_CASE(kinds_have_rows_of_their_own)
CONSTEXPR_TEST_CASE(gapped_tags_find_their_rows)
CONSTEXPR_TEST_CASE(an_index_that_does_not_fit_is_refused)
CONSTEXPR_TEST_CASE(a_stale_word_aliases_after_exactly_two_to_the_g_retirements<kinds8>)
CONSTEXPR_TEST_CASE(a_stale_word_aliases_after_exactly_two_to_the_g_retirements<kinds>)
CONSTEXPR_TEST_CASE(handing_out_a_slot_still_out_retires_its_word)
CONSTEXPR_TEST_CASE(sixty_four_bit_words_carry_generations)
CONSTEXPR_TEST_CASE(the_lowerings_refuse_a_stale_word_before_any_host_call)
CONSTEXPR_TEST_CASE(untagged_words_are_stripped_to_indices)
CONSTEXPR_TEST_CASE(an_empty_list_is_as_without_generations)
CONSTEXPR_TEST_CASE(a_host_of_waitable_sets_refuses_stale_words_too)
CONSTEXPR_TEST_CASE(the_poll_lowering_refuses_stale_words_too)
