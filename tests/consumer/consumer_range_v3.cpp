// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// The range-v3 glue, reached the way each consumer reaches it (the Meson
// dependency nybble-range-v3, pkg-config nybble-range-v3, CMake nybble::range_v3),
// with strict warnings, over a 16-bit layout. Prints "range-v3 consumer ok".
#include <nybble.hpp>
#include <nybble/ext/range_v3.hpp>

#include <array>
#include <cstdint>
#include <cstdio>

struct socket : nybble::kind<1> {};
struct timer : nybble::kind<2> {};
using kinds = nybble::kind_set<nybble::basic_layout<std::uint16_t, 3, 12, 15>, socket, timer>;

int main() {
  const std::array<kinds::word_type, 5> words{
      kinds::handle<socket>::from_payload(4)->to_guest(), kinds::handle<timer>::from_payload(5)->to_guest(),
      kinds::handle<socket>::from_payload(6)->to_guest(), kinds::word_type{0x7001}, kinds::word_type{0xFFFF}};
  unsigned sockets = 0;
  for (const auto h : words | nybble::views::of_kind<socket, kinds>) {
    sockets += h.payload();
  }
  unsigned refused = 0;
  for (const auto r : words | nybble::views::decode<timer, kinds>) {
    refused += r ? 0U : 1U;
  }
  const bool ok = sockets == 10 && refused == 4; // two other kinds, a forged tag, a sentinel
  std::puts(ok ? "range-v3 consumer ok" : "range-v3 consumer FAILED");
  return ok ? 0 : 1;
}
