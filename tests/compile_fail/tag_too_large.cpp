// The canonical layout's kind field holds tags up to 7.
#include <nybble/kind_set.hpp>
#ifdef NYBBLE_COMPILE_FAIL
struct big_kind : nybble::kind<8> {};
#else
struct big_kind : nybble::kind<7> {};
#endif
using kinds = nybble::kind_set<nybble::canonical_abi_layout, big_kind>;
static_assert(kinds::size == 2);
