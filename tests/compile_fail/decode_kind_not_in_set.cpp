// decode<K, Set> only reads kinds that Set knows.
#include <nybble/kind_set.hpp>
struct cache_entry : nybble::kind<1> {};
struct replace_entry : nybble::kind<2> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry>;
#ifdef NYBBLE_COMPILE_FAIL
using asked = replace_entry;
#else
using asked = cache_entry;
#endif
bool is_entry(std::uint32_t word) { return nybble::decode<asked, kinds>(word).has_value(); }
