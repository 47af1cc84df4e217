// In a constant expression, reading the value of an error is a compile error.
#include <nybble/result.hpp>
#ifdef NYBBLE_COMPILE_FAIL
constexpr nybble::result<int> r = nybble::errc::wrong_kind;
#else
constexpr nybble::result<int> r = 4;
#endif
static_assert(r.value() == 4);
