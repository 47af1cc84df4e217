// A visitor written for another layout's handles (the canonical 32-bit one,
// over a 16-bit set) is a compile error that names the kind and the layout.
#include <nybble/kind_set.hpp>

#include <cstdint>

struct socket : nybble::kind<1> {};
using abi16 = nybble::basic_layout<std::uint16_t, 3, 12, 15>;
using kinds = nybble::kind_set<abi16, socket>;

nybble::result<std::uintmax_t> tag_of(std::uint16_t word) {
#ifdef NYBBLE_COMPILE_FAIL
  return nybble::visit<kinds>(word, []<class K>(nybble::handle<K, nybble::canonical_abi_layout>) { return K::tag; });
#else
  return nybble::visit<kinds>(word, []<class K>(kinds::handle<K>) { return K::tag; });
#endif
}
