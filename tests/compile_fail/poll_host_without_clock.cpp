// lower_poll asks the host how long until an absolute deadline: a host
// without ns_until is refused by name.
#include <nybble/poll.hpp>

#include <array>
#include <cstdint>
#include <span>
struct cache_entry : nybble::kind<1> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry>;

struct host {
  std::size_t poll(std::span<const std::uint32_t>, std::span<std::uint32_t>) { return 0; }
  void drop_pollable(std::uint32_t) {}
  std::uint32_t subscribe_duration(std::uint64_t) { return 1; }
  std::uint32_t subscribe(kinds::handle<cache_entry>) { return 2; }
#ifndef NYBBLE_COMPILE_FAIL
  std::uint64_t ns_until(nybble::deadline d) { return d.ns; }
#endif
};

std::size_t polled(host& h, std::span<const nybble::poll_entry<kinds>> entries) {
  nybble::poll_scratch<4, kinds> scratch;
  std::array<nybble::poll_report, 4> reports{};
  return nybble::lower_poll<kinds, nybble::on_refusal::report_entry>(entries, nybble::timeout::none(), h, scratch,
                                                                     std::span<nybble::poll_report>{reports})
      .value_or(0);
}
