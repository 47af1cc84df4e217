// <nybble/wait.hpp> alone: timeout, select_outcome, inline_scratch.
#include <nybble/wait.hpp>
struct entry : nybble::kind<1> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, entry>;
static_assert(nybble::timeout::from_guest(0).is_none() && nybble::timeout::from_guest(5).milliseconds() == 5);
static_assert(nybble::select_outcome::timeout_expired().to_guest() == 0xFFFF'FFFFU);
int main() {
  nybble::inline_scratch<4, kinds> scratch;
  return scratch.span().size() == 4 && nybble::select_outcome::ready_at(2).index() == 2 ? 0 : 1;
}
