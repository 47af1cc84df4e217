// <nybble/poll.hpp> alone: lower_poll over the test host's pollables, a word and a deadline.
#include <nybble/poll.hpp>
#include <nybble/testing.hpp>

#include <array>
#include <span>

struct entry : nybble::kind<1> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, entry>;
using host = nybble::testing::typed_host<kinds, nybble::testing::subscribes<entry>>;
using poll_entry = nybble::poll_entry<kinds>;

constexpr bool the_entry_and_the_clock_are_reported() {
  host h;
  const std::array<poll_entry, 2> entries{
      poll_entry::of_word(h.add<entry>(nybble::testing::readiness::at_ms(3)).to_guest()),
      poll_entry::of_deadline(nybble::deadline{1, 3'000'000, false})};
  nybble::poll_scratch<2, kinds> scratch;
  std::array<nybble::poll_report, 2> reports{};
  const auto n = nybble::lower_poll<kinds, nybble::on_refusal::fail_call>(std::span<const poll_entry>{entries},
                                                                          nybble::timeout::none(), h, scratch,
                                                                          std::span<nybble::poll_report>{reports});
  return n == std::size_t{2} && reports[0].state == nybble::poll_state::ready &&
         reports[1].state == nybble::poll_state::ready && h.live_pollables() == 0;
}
static_assert(the_entry_and_the_clock_are_reported());

int main() { return the_entry_and_the_clock_are_reported() ? 0 : 1; }
