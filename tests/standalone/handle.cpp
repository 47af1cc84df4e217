// <nybble/handle.hpp> alone: handle, decode, visit, kind_of over a set.
#include <nybble/handle.hpp>
struct entry : nybble::kind<1> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, entry>;
static_assert(nybble::decode<entry, kinds>(0x1000'0005U)->payload() == 5);
static_assert(*nybble::kind_of<kinds>(0x1000'0005U) == 1);
int main() {
  const auto tag = nybble::visit<kinds>(0x1000'0005U, []<class K>(kinds::handle<K>) { return K::tag; });
  return tag == 1U ? 0 : 1;
}
