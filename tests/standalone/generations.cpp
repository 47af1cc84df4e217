// <nybble/generations.hpp> alone: generation_table's hand_out, find, retire and check.
#include <nybble/generations.hpp>

#include <array>

struct entry : nybble::kind<1> {};
using kinds = nybble::kind_set<nybble::generational_abi_layout, entry>;
using table = nybble::generation_table<kinds>;

constexpr bool closing_makes_the_word_stale() {
  std::array<table::slot_type, table::kinds_per_slot_row * 4> slots{};
  table generations{slots};
  const auto first = generations.hand_out<entry>(2)->to_guest();
  const bool closed = generations.retire<entry>(first).has_value();
  const auto second = generations.hand_out<entry>(2)->to_guest();
  return closed && second != first && generations.find<entry>(first) == nybble::errc::stale_handle &&
         generations.check(second).has_value();
}
static_assert(closing_makes_the_word_stale());

int main() { return closing_makes_the_word_stale() ? 0 : 1; }
