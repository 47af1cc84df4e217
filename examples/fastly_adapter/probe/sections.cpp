// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Linked into copies of the adapter to prove that check_module.mjs notices what
// wit-component refuses in an adapter: each function below makes the linker
// emit one of the sections an adapter must not have.
#include <cstdint>

#if defined(PROBE_DATA_SECTION)
// A constant table indexed at run time lives in memory: a data section.
extern "C" __attribute__((export_name("probe"))) std::uint32_t probe(std::uint32_t i) {
  static constexpr std::uint32_t primes[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53};
  return primes[i % 16];
}
#elif defined(PROBE_ELEMENT_SECTION)
// A function's address is an index into the table: an element section.
__attribute__((noinline)) std::uint32_t twice(std::uint32_t i) { return 2 * i; }
extern "C" __attribute__((export_name("probe"))) std::uintptr_t probe() {
  return reinterpret_cast<std::uintptr_t>(&twice);
}
#endif
