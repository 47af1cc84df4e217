// Context `views`: a block that is the body of a function over a list of
// guest words and a list of handles, with the range-v3 views.
#include <nybble.hpp>
#include <nybble/ext/range_v3.hpp>

#include "doc_layout.hpp"

#include <array>
#include <cstdint>
#include <span>

struct cache_entry : nybble::kind<1> {};
using kinds = nybble::kind_set<doc_layout, cache_entry>;
using word = kinds::word_type;

template <class T>
void use(const T& /*value*/) {}

void doc_block([[maybe_unused]] std::span<const word> words,
               [[maybe_unused]] std::span<const kinds::handle<cache_entry>> handles) {
  //@BLOCK@
}

int main() {
  const std::array<word, 2> words{1, kinds::handle<cache_entry>::from_payload(2U)->to_guest()};
  const std::array<kinds::handle<cache_entry>, 1> handles{*kinds::handle<cache_entry>::from_payload(3U)};
  doc_block(words, handles);
  return 0;
}
