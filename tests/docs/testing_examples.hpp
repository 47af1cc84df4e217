// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// docs/testing.md's examples and README.md's "Testing your adapter", as the
// documents show them. Included once per layout, inside a namespace that names
// `testing_examples_layout` (the documents name nybble::canonical_abi_layout).
// Needs <nybble.hpp>, <nybble/testing.hpp> and <array>.

// docs/testing.md, "Setting up"
struct cache_entry : nybble::kind<1> {};
struct http_cache_entry : nybble::kind<3> {};
using kinds = nybble::kind_set<testing_examples_layout, cache_entry, http_cache_entry>;

using host = nybble::testing::typed_host<kinds, nybble::testing::subscribes<cache_entry>,
                                         nybble::testing::steps<http_cache_entry>>;
using nybble::testing::readiness;

// docs/testing.md, "Asserting"
constexpr bool select_wakes_on_the_page() {
  host h;
  const std::array<kinds::word_type, 3> list{
      h.add_pollable(readiness::at_ms(100)), h.add<cache_entry>(readiness::at_ms(40)).to_abi(),
      h.add<http_cache_entry>({readiness::at_ms(10), readiness::at_ms(25)}).to_abi()};
  nybble::inline_scratch<3, kinds> scratch;
  const auto r = nybble::lower_select<kinds>(list, nybble::timeout::none(), h, scratch);
  return r && r->index() == 2         // the caller's index
         && h.virtual_time_ms() == 25 // after both steps
         && h.live_pollables() == 1   // only the guest's own is left
         && h.trap_count() == 0 && h.count_calls(nybble::testing::call::step) == 3;
}
static_assert(select_wakes_on_the_page());

// README.md, "Testing your adapter"
constexpr bool select_wakes_on_the_entry() {
  host h;
  const std::array<kinds::word_type, 2> list{h.add_pollable(readiness::never()),
                                             h.add<cache_entry>(readiness::at_ms(5)).to_abi()};
  nybble::inline_scratch<2, kinds> scratch;
  auto r = nybble::lower_select<kinds>(list, nybble::timeout::none(), h, scratch);
  return r && r->index() == 1 && h.live_pollables() == 1 && h.trap_count() == 0;
}
static_assert(select_wakes_on_the_entry());
