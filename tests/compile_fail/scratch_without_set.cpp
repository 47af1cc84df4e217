// inline_scratch without the kind set is a compile error that says to name it.
#include <nybble/wait.hpp>

#include <cstdint>

struct socket : nybble::kind<1> {};
using abi16 = nybble::basic_layout<std::uint16_t, 3, 12, 15>;
using kinds = nybble::kind_set<abi16, socket>;

#ifdef NYBBLE_COMPILE_FAIL
nybble::inline_scratch<8> scratch;
#else
nybble::inline_scratch<8, kinds> scratch;
#endif
