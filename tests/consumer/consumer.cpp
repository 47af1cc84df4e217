// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// The program every consumer project builds, with strict warnings: README.md's
// first adapter (first_adapter.hpp) over a 16-bit, the canonical and
// a 64-bit layout, the layout line alone changed, proven at compile time and
// run. It prints "consumer ok" on success.
#include <nybble.hpp>
#include <nybble/select.hpp>
#include <nybble/testing.hpp>

#include <array>
#include <cstdint>
#include <cstdio>
#include <span>

namespace abi16 {
using first_adapter_layout = nybble::basic_layout<std::uint16_t, 3, 12, 15>;
#include "first_adapter.hpp"
} // namespace abi16
namespace canonical {
using first_adapter_layout = nybble::canonical_abi_layout;
#include "first_adapter.hpp"
} // namespace canonical
namespace abi64 {
using first_adapter_layout = nybble::basic_layout<std::uint64_t, 3, 60, 63>;
#include "first_adapter.hpp"
} // namespace abi64

int main() {
  const auto word = canonical::kinds::handle<canonical::cache_entry>::from_payload(42)->to_guest();
  const bool ok = word == 0x1000'002AU && abi16::first_adapter_works() && canonical::first_adapter_works() &&
                  abi64::first_adapter_works();
  std::puts(ok ? "consumer ok" : "consumer FAILED");
  return ok ? 0 : 1;
}
