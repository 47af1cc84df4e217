// <nybble/testing.hpp> alone: the typed test host and its parts.
#include <nybble/testing.hpp>
struct entry : nybble::kind<1> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, entry>;
using host = nybble::testing::typed_host<kinds, nybble::testing::subscribes<entry>>;
constexpr bool scenario() {
  host h;
  const auto e = h.add<entry>(nybble::testing::readiness::after_polls(1));
  const auto pollable = h.subscribe(e);
  const bool first = h.is_ready(pollable);
  const bool second = h.is_ready(pollable);
  h.drop_pollable(pollable);
  return !first && second && h.trap_count() == 0 && h.calls()[0].what == nybble::testing::call::subscribe;
}
static_assert(scenario());
int main() { return scenario() ? 0 : 1; }
