// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// lowering/validate.hpp: every way a list is read, over every shape of kind set, against a model.
#include <nybble/select.hpp>

#include "constexpr_check.hpp"
#include "kinds.hpp"
#include "select_fixture.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <type_traits>

using namespace nybble_tests::select_fixture;
using nybble::errc;
using nybble::lower_is_ready;
using nybble::lower_select;
using nybble::select_outcome;
using nybble::timeout;

namespace {

// --- Validation, over every shape of kind set -------------------------------
// lower_select reads a list in one of several ways, chosen at compile time from
// the layout and from which tags it must refuse (see validate_handles). Each
// way is checked here against a word-by-word model, over lists shorter and
// longer than the short-list loop, with the refused word anywhere in them.

template <class Layout, std::uintmax_t Tag>
struct numbered : nybble::kind<Tag> {};
template <class Layout, std::uintmax_t Tag>
struct numbered_unwaitable : nybble::unwaitable_kind<Tag> {};

// A host that can wait on the kinds in Waitable only (the set declares the
// others unwaitable), and counts what it does.
template <class Layout, class... Waitable>
struct counting_host {
  using word_type = typename Layout::word_type;
  std::size_t calls = 0;
  std::size_t subscribed = 0;
  std::size_t live = 0;
  word_type step_result = 1;

  std::uint64_t select(std::span<const word_type> pollables) {
    ++calls;
    return pollables.size() - 1;
  }
  std::optional<std::uint64_t> select(std::span<const word_type> pollables, std::uint32_t) { return select(pollables); }
  void drop_pollable(word_type) {
    ++calls;
    --live;
  }
  template <class K>
  requires(std::is_same_v<K, Waitable> || ...) word_type subscribe(nybble::handle<K, Layout>) {
    ++calls;
    ++subscribed;
    ++live;
    return step_result++;
  }
  static constexpr bool waits_on(std::uintmax_t tag) { return ((tag == Waitable::tag) || ...); }
};

// What lower_select must answer for a list, one word at a time.
template <class Set, class Host>
nybble::result<std::size_t> modelled_validation(std::span<const typename Set::word_type> handles) {
  using L = typename Set::layout_type;
  std::size_t tagged = 0;
  for (const auto w : handles) {
    if (L::is_invalid(w)) {
      return errc::invalid_handle;
    }
    if (L::tag_of(w) == 0) {
      continue;
    }
    if (!Set::contains_tag(L::tag_of(w))) {
      return errc::unknown_kind;
    }
    if (!Host::waits_on(L::tag_of(w))) {
      return errc::not_waitable;
    }
    ++tagged;
  }
  return tagged;
}

template <class Set, class Host>
void validation_agrees_with_the_model() {
  using L = typename Set::layout_type;
  using word_type = typename Set::word_type;
  // Every tag the field holds (the first 16 of a wide field, and its largest),
  // and sentinels whose kind field is set.
  std::array<word_type, 24> vocabulary{};
  std::size_t size = 0;
  for (std::uintmax_t tag = 0; tag <= L::max_tag && tag < 16; ++tag) {
    vocabulary[size++] = L::with_tag(L::payload_of(5), tag);
  }
  vocabulary[size++] = L::with_tag(static_cast<word_type>(L::payload_mask), L::max_tag);
  vocabulary[size++] = static_cast<word_type>(~word_type{0});
  vocabulary[size++] = static_cast<word_type>(L::invalid_mask | L::kind_mask);
  vocabulary[size++] = L::invalid_mask;

  std::array<word_type, 40> handles{};
  std::array<word_type, 40> scratch{};
  const auto check = [&](std::size_t n) {
    const std::span<const word_type> list{handles.data(), n};
    Host host;
    const auto expected = modelled_validation<Set, Host>(list);
    const auto r = lower_select<Set>(list, timeout::none(), host, std::span{scratch});
    if (!expected) {
      CHECK(r == expected.error());
      CHECK(host.calls == 0);
    } else {
      CHECK(r.has_value());
      CHECK((r.has_value() && r->index() == n - 1));
      CHECK(host.subscribed == *expected);
      CHECK(host.live == 0);
    }
  };
  // Every list of one and of two words.
  for (std::size_t i = 0; i < size; ++i) {
    handles[0] = vocabulary[i];
    check(1);
    for (std::size_t j = 0; j < size; ++j) {
      handles[1] = vocabulary[j];
      check(2);
    }
  }
  // Longer lists of accepted words, with one word from the vocabulary at each place.
  std::uint32_t seed = 12345;
  for (const std::size_t n : {3, 4, 5, 7, 8, 9, 16, 17, 40}) {
    for (std::size_t place = 0; place < n; ++place) {
      for (std::size_t v = 0; v < size; ++v) {
        for (std::size_t k = 0; k < n; ++k) {
          seed = seed * 1664525U + 1013904223U;
          const auto tag = static_cast<std::uintmax_t>(seed >> 28U) % 4;
          // Untagged words, with a tagged word now and then when the host waits on tag 1.
          handles[k] = (tag >= 2 && Host::waits_on(1)) ? L::with_tag(L::payload_of(7), 1)
                                                       : L::payload_of(static_cast<word_type>(k));
        }
        handles[place] = vocabulary[v];
        check(n);
      }
    }
  }
}

template <class L>
using one_to_three = nybble::kind_set<L, numbered<L, 1>, numbered<L, 2>, numbered<L, 3>>;
using canonical = nybble::canonical_abi_layout;
using n1 = numbered<canonical, 1>;
using n2 = numbered<canonical, 2>;
using n3 = numbered<canonical, 3>;
using n4 = numbered<canonical, 4>;
using n5 = numbered<canonical, 5>;
using n6 = numbered<canonical, 6>;
using n7 = numbered<canonical, 7>;
template <std::uintmax_t Tag>
using u = numbered_unwaitable<canonical, Tag>;
using wide_layout = nybble::basic_layout<std::uint32_t, 7, 24, 31>; // 127 tags: no tag bitmask

} // namespace

TEST_CASE("validation: tags 1..3 all waited on (refused from a power of two: a test of bits)") {
  validation_agrees_with_the_model<one_to_three<canonical>, counting_host<canonical, n1, n2, n3>>();
}
TEST_CASE("validation: tags 1..4, 4 not waitable (refused from a power of two)") {
  validation_agrees_with_the_model<nybble::kind_set<canonical, n1, n2, n3, u<4>>,
                                   counting_host<canonical, n1, n2, n3>>();
}
TEST_CASE("validation: tags 1..4 all waited on (refused from 5: a compare)") {
  validation_agrees_with_the_model<nybble::kind_set<canonical, n1, n2, n3, n4>,
                                   counting_host<canonical, n1, n2, n3, n4>>();
}
TEST_CASE("validation: tags 1, 2, 5 (refused tags with a gap: a bit per tag)") {
  validation_agrees_with_the_model<nybble::kind_set<canonical, n1, n2, n5>, counting_host<canonical, n1, n2, n5>>();
}
TEST_CASE("validation: tags 1..7 all waited on (nothing refused)") {
  validation_agrees_with_the_model<nybble::kind_set<canonical, n1, n2, n3, n4, n5, n6, n7>,
                                   counting_host<canonical, n1, n2, n3, n4, n5, n6, n7>>();
}
TEST_CASE("validation: tags 1..7, only 2 waited on (refused tags around an accepted one)") {
  validation_agrees_with_the_model<nybble::kind_set<canonical, u<1>, n2, u<3>, u<4>, u<5>, u<6>, u<7>>,
                                   counting_host<canonical, n2>>();
}
TEST_CASE("validation: a kind field of 127 tags (a word at a time)") {
  using w1 = numbered<wide_layout, 1>;
  using w2 = numbered_unwaitable<wide_layout, 2>;
  using w100 = numbered<wide_layout, 100>;
  validation_agrees_with_the_model<nybble::kind_set<wide_layout, w1, w2, w100>, counting_host<wide_layout, w1, w100>>();
}
TEST_CASE("validation: 16-bit words with the invalid bit below the kind field, and 64-bit words") {
  using low = nybble::basic_layout<std::uint16_t, 3, 4, 2>;
  validation_agrees_with_the_model<one_to_three<low>,
                                   counting_host<low, numbered<low, 1>, numbered<low, 2>, numbered<low, 3>>>();
  using L64 = nybble_tests::layout64;
  using unwaitable_two = nybble::kind_set<L64, numbered<L64, 1>, numbered_unwaitable<L64, 2>, numbered<L64, 3>>;
  validation_agrees_with_the_model<unwaitable_two, counting_host<L64, numbered<L64, 1>, numbered<L64, 3>>>();
}
