// A generation table needs a layout with a generation field to stamp.
#include <nybble/generations.hpp>

#include <array>
struct cache_entry : nybble::kind<1> {};
#ifdef NYBBLE_COMPILE_FAIL
using kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry>;
#else
using kinds = nybble::kind_set<nybble::generational_abi_layout, cache_entry>;
#endif

int handed_out() {
  std::array<nybble::generation_table<kinds>::slot_type, 8> slots{};
  nybble::generation_table<kinds> generations{slots};
  return generations.hand_out<cache_entry>(1).has_value() ? 0 : 1;
}
