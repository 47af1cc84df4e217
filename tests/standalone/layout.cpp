// <nybble/layout.hpp> alone: basic_layout, canonical_abi_layout, the layout concept.
#include <cstdint>
#include <nybble/layout.hpp>
using layout16 = nybble::basic_layout<std::uint16_t, 3, 12, 15>;
static_assert(nybble::layout<layout16> && nybble::layout<nybble::canonical_abi_layout>);
static_assert(layout16::with_tag(5, 1) == 0x1005 && nybble::canonical_abi_layout::null_word == 0xFFFF'FFFFU);
int main() { return layout16::tag_of(0x2003) == 2 ? 0 : 1; }
