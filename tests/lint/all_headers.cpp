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
// A layout with a generation field: the table, and the lowerings checking it.
using generational_kinds = nybble::kind_set<nybble::generational_abi_layout, cache_entry>;
using generational_host = nybble::testing::typed_host<generational_kinds, nybble::testing::subscribes<cache_entry>>;
bool k() {
  generational_host h;
  std::array<nybble::generation_table<generational_kinds>::slot_type, generational_kinds::size * 8> slots{};
  nybble::generation_table<generational_kinds> generations{slots};
  const auto entry = generations.hand_out<cache_entry>(h.add<cache_entry>().payload());
  if (!entry) {
    return false;
  }
  const std::array<std::uint32_t, 1> list{entry->to_guest()};
  nybble::inline_scratch<1, generational_kinds> scratch;
  auto r = nybble::lower_select<generational_kinds>(list, nybble::timeout::ms(1), h, scratch, generations);
  auto ready = nybble::lower_is_ready<generational_kinds>(list[0], h, generations);
  return r.has_value() && ready.has_value() && generations.retire<cache_entry>(list[0]).has_value() &&
         generations.check(list[0]) == nybble::errc::stale_handle;
}
// The poll lowering, over both wait models.
template <class Host>
std::size_t polled() {
  Host h;
  using entry = nybble::poll_entry<kinds>;
  const std::array<entry, 2> entries{entry::of_word(h.add_pollable(nybble::testing::readiness::at_ms(2))),
                                     entry::of_deadline(nybble::deadline{1, 1'000'000, false})};
  nybble::poll_scratch<2, kinds> scratch;
  std::array<nybble::poll_report, 2> reports{};
  return nybble::lower_poll<kinds, nybble::on_refusal::report_entry>(std::span<const entry>{entries},
                                                                     nybble::timeout::none(), h, scratch,
                                                                     std::span<nybble::poll_report>{reports})
      .value_or(0);
}
std::size_t p() { return polled<host>() + polled<async_host>(); }
