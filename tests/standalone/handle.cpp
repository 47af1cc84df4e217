// <nybble/handle.hpp> alone: handle<Kind, Layout> over a layout.
#include <nybble/handle.hpp>
struct entry : nybble::kind<1> {};
using entry_handle = nybble::handle<entry, nybble::canonical_abi_layout>;
static_assert(entry_handle::from_payload(5U)->to_guest() == 0x1000'0005U);
static_assert(entry_handle::from_payload(0x1000'0000U) == nybble::errc::payload_overflow);
int main() { return entry_handle::from_payload(7U)->payload() == 7 ? 0 : 1; }
