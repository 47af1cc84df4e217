// A user kind with tag 0 collides with nybble::untagged.
#include <nybble/kind_set.hpp>
#ifdef NYBBLE_COMPILE_FAIL
struct zero_kind : nybble::kind<0> {};
#else
struct zero_kind : nybble::kind<1> {};
#endif
using kinds = nybble::kind_set<nybble::canonical_abi_layout, zero_kind>;
static_assert(kinds::size == 2);
