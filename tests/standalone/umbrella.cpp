// <nybble.hpp> alone: the core, every name above through one include.
#include <nybble.hpp>
struct entry : nybble::kind<1> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, entry>;
static_assert(nybble::decode<entry, kinds>(kinds::handle<entry>::from_payload(3u)->to_guest())->payload() == 3);
static_assert(nybble::wait_model_of<int, nybble::untagged, nybble::canonical_abi_layout> ==
              nybble::wait_model::pass_through);
int main() { return nybble::timeout::ms(1).is_none() ? 1 : 0; }
