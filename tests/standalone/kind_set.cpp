// <nybble/kind_set.hpp> alone: kind_set, the set's handles, kind_of, decode, decode_nullable, visit.
#include <nybble/kind_set.hpp>
struct entry : nybble::kind<1> {};
struct body : nybble::unwaitable_kind<2> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, entry, body>;
using layout = kinds::layout_type;
static_assert(nybble::any_kind_set<kinds> && kinds::contains_tag(2));
static_assert(kinds::handle<entry>::from_payload(5U)->to_guest() == 0x1000'0005U);
static_assert(nybble::decode<entry, kinds>(0x1000'0005U)->payload() == 5);
static_assert(nybble::decode<entry, kinds>(layout::null_word) == nybble::errc::invalid_handle);
static_assert(nybble::decode_nullable<entry, kinds>(layout::null_word)->is_invalid());
static_assert(*nybble::kind_of<kinds>(0x1000'0005U) == 1);
int main() {
  const auto tag = nybble::visit<kinds>(0x2000'0005U, []<class K>(kinds::handle<K>) { return K::tag; });
  return tag == 2U ? 0 : 1;
}
