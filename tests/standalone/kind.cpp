// <nybble/kind.hpp> alone: kinds, unwaitable kinds, untagged, resource_kind.
#include <nybble/kind.hpp>
struct entry : nybble::kind<1> {};
struct body : nybble::unwaitable_kind<2> {};
static_assert(nybble::resource_kind<entry> && nybble::resource_kind<body> && nybble::resource_kind<nybble::untagged>);
static_assert(entry::waitable && !body::waitable && nybble::untagged::waitable && nybble::untagged::tag == 0);
int main() { return entry::tag == 1 && body::tag == 2 ? 0 : 1; }
