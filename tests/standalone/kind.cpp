// <nybble/kind.hpp> alone: kinds, kind_set, and the set's handles (kinds::handle<K>).
#include <nybble/kind.hpp>
struct entry : nybble::kind<1> {};
struct body : nybble::unwaitable_kind<2> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, entry, body>;
static_assert(nybble::resource_kind<entry> && nybble::kind_set_type<kinds> && kinds::contains_tag(2));
static_assert(kinds::handle<entry>::from_payload(5u)->to_abi() == 0x1000'0005U);
int main() { return kinds::handle<body>::from_payload(7u)->payload() == 7 ? 0 : 1; }
