// <nybble/ext/range_v3.hpp> alone: the views.
#include <array>
#include <cstdint>
#include <nybble/ext/range_v3.hpp>
struct entry : nybble::kind<1> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, entry>;
int main() {
  const std::array<std::uint32_t, 3> words{1, 0x1000'0002U, 0x1000'0003U};
  std::uint32_t sum = 0;
  for (const auto h : words | nybble::views::of_kind<entry, kinds>) {
    sum += h.payload();
  }
  return sum == 5 ? 0 : 1;
}
