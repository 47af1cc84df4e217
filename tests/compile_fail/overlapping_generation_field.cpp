// The generation field may not share bits with the kind field.
#include <nybble/layout.hpp>
#ifdef NYBBLE_COMPILE_FAIL
using overlapping = nybble::basic_layout<std::uint32_t, 3, 28, 31, 8, 22>;
#else
using overlapping = nybble::basic_layout<std::uint32_t, 3, 28, 31, 8, 20>;
#endif
static_assert(overlapping::payload_mask != 0);
