// A handle of one kind does not become a handle of another.
#include <nybble/kind_set.hpp>
struct cache_entry : nybble::kind<1> {};
struct replace_entry : nybble::kind<2> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry, replace_entry>;
void assign() {
  auto entry = *kinds::handle<cache_entry>::from_payload(1);
#ifdef NYBBLE_COMPILE_FAIL
  auto replace = *kinds::handle<replace_entry>::from_payload(2);
#else
  auto replace = *kinds::handle<cache_entry>::from_payload(2);
#endif
  replace = entry;
  static_cast<void>(replace);
}
