// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// The program every consumer project builds: it uses the core, select and the
// test host, and checks one answer. It prints "consumer ok" on success.
#include <nybble.hpp>
#include <nybble/select.hpp>
#include <nybble/testing.hpp>

#include <array>
#include <cstdint>
#include <cstdio>

struct cache_entry : nybble::kind<1> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry>;
using host = nybble::testing::typed_host<kinds, nybble::testing::subscribes<cache_entry>>;

constexpr bool select_wakes_on_the_entry() {
  host h;
  const std::array<std::uint32_t, 2> handles{h.add_pollable(nybble::testing::readiness::never()),
                                             h.add<cache_entry>(nybble::testing::readiness::at_ms(5)).to_abi()};
  nybble::inline_scratch<2> scratch;
  const auto r = nybble::lower_select<kinds>(handles, nybble::timeout::none(), h, scratch);
  return r && r->index() == 1 && h.live_pollables() == 1 && h.trap_count() == 0;
}
static_assert(select_wakes_on_the_entry());

int main() {
  const auto word = nybble::handle<cache_entry>::from_payload(42)->to_abi();
  const bool ok =
      word == 0x1000'002AU && nybble::decode<cache_entry, kinds>(word)->payload() == 42U && select_wakes_on_the_entry();
  std::puts(ok ? "consumer ok" : "consumer FAILED");
  return ok ? 0 : 1;
}
