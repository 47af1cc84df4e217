// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Every header, instantiated once, for clang-tidy (Meson's clang-tidy target, .clang-tidy-include).
#include <array>
#include <nybble.hpp>
#include <nybble/ext/range_v3.hpp>
#include <nybble/select.hpp>
#include <nybble/testing.hpp>
struct cache_entry : nybble::kind<1> {};
struct http_cache_entry : nybble::kind<3> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry, http_cache_entry>;
using host = nybble::testing::typed_host<kinds, nybble::testing::subscribes<cache_entry>,
                                         nybble::testing::steps<http_cache_entry>>;
bool f() {
  host h;
  const std::array<std::uint32_t, 2> list{h.add_pollable(nybble::testing::readiness::never()),
                                          h.add<cache_entry>().to_guest()};
  nybble::inline_scratch<2, kinds> scratch;
  auto r = nybble::lower_select<kinds>(list, nybble::timeout::none(), h, scratch);
  auto v = nybble::visit<kinds>(list[0], [](auto hh) { return hh.payload(); });
  return r.has_value() && v.has_value() && nybble::lower_is_ready<kinds>(list[1], h).has_value();
}
// The async ABI's lowering, over the test host's waitable sets.
using async_host = nybble::testing::typed_host<kinds, nybble::testing::waitable_sets>;
bool g() {
  async_host h;
  const std::array<std::uint32_t, 2> list{h.add_pollable(nybble::testing::readiness::at_ms(5)),
                                          h.add<http_cache_entry>().to_guest()};
  nybble::inline_scratch<2, kinds> scratch;
  auto r = nybble::lower_select<kinds>(list, nybble::timeout::ms(10), h, scratch);
  return r.has_value() && nybble::lower_is_ready<kinds>(list[0], h).has_value();
}
