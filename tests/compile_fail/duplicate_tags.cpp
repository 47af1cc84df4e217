// Two kinds in one set may not share a tag.
#include <nybble/kind_set.hpp>
struct cache_entry : nybble::kind<1> {};
#ifdef NYBBLE_COMPILE_FAIL
struct replace_entry : nybble::kind<1> {};
#else
struct replace_entry : nybble::kind<2> {};
#endif
using kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry, replace_entry>;
static_assert(kinds::size == 3);
