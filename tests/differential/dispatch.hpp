// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Every way nybble dispatches on a word, against a plain word-by-word model.
//
// nybble's dispatch is a switch on the tag in blocks of 16 kinds, and its
// validation a fast path (a test of bits or a compare) before a word loop. The
// shape each takes depends on the layout and the kind set, and each shape has
// its own bugs (a forged tag reaching a visitor in a wide contiguous set was
// one). This header generates kind sets on either side of every point where
// the shape changes, and checks kind_of, decode, visit, with_kind_of_tag,
// contains_tag, lower_select's validation and lower_is_ready on every tag value
// the layout can hold, each with and without the invalid bit, against the
// model; for a layout with a generation field, with several generations too,
// the lowerings checking them against a generation table. One translation unit per word size includes it, so that they
// build in parallel.
#ifndef NYBBLE_TESTS_DIFFERENTIAL_DISPATCH_HPP
#define NYBBLE_TESTS_DIFFERENTIAL_DISPATCH_HPP

#include <nybble.hpp>

// 1: the full matrix (every kind-field width up to 8 bits); 0: the quick one,
// which still reaches every shape edge (sets of 1..33 and 63 kinds, four
// switch blocks) in every word size (meson option differential).
#ifndef NYBBLE_DIFFERENTIAL_FULL
#  define NYBBLE_DIFFERENTIAL_FULL 0
#endif

#include "constexpr_check.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <optional>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

namespace nybble_tests::differential {

// --- Generated kinds and sets -------------------------------------------------

template <class Layout, std::uintmax_t Tag, bool Waitable>
struct generated_kind : std::conditional_t<Waitable, nybble::kind<Tag>, nybble::unwaitable_kind<Tag>> {};

// A set spec names its tags and which of them can be waited on.
template <std::uintmax_t... Tags>
struct listed {
  static constexpr std::array<std::uintmax_t, sizeof...(Tags)> tags{Tags...};
  static constexpr bool waitable(std::uintmax_t /*tag*/) { return true; }
};

// Tags 1..N; with UnwaitableEvery = u > 0, every tag divisible by u is declared unwaitable.
template <std::size_t N, std::uintmax_t UnwaitableEvery = 0>
struct contiguous {
  static constexpr auto tags = [] {
    std::array<std::uintmax_t, N> out{};
    for (std::size_t i = 0; i < N; ++i) {
      out[i] = i + 1;
    }
    return out;
  }();
  static constexpr bool waitable(std::uintmax_t tag) { return UnwaitableEvery == 0 || tag % UnwaitableEvery != 0; }
};

// The odd tags up to MaxTag (a set with gaps), multiples of 3 declared unwaitable.
template <std::uintmax_t MaxTag>
struct odd_tags {
  static constexpr auto tags = [] {
    std::array<std::uintmax_t, (MaxTag + 1) / 2> out{};
    for (std::size_t i = 0; i < out.size(); ++i) {
      out[i] = 2 * i + 1;
    }
    return out;
  }();
  static constexpr bool waitable(std::uintmax_t tag) { return tag % 3 != 0; }
};

template <class Layout, class Spec>
struct generated {
  template <std::size_t I>
  using kind_at = generated_kind<Layout, Spec::tags[I], Spec::waitable(Spec::tags[I])>;

  template <std::size_t... I>
  static auto make(std::index_sequence<I...>) -> nybble::kind_set<Layout, kind_at<I>...>;
  using set = decltype(make(std::make_index_sequence<Spec::tags.size()>{}));
};

// --- The model ------------------------------------------------------------------

template <class Layout, class Spec>
struct model {
  using word = typename Layout::word_type;
  static constexpr std::uintmax_t no_kind = ~std::uintmax_t{0};

  static std::uintmax_t field(word w) {
    return (static_cast<std::uintmax_t>(w) >> Layout::kind_shift) & ((std::uintmax_t{1} << Layout::kind_bits) - 1);
  }
  static bool invalid(word w) { return ((static_cast<std::uintmax_t>(w) >> Layout::invalid_bit) & 1U) != 0; }
  static std::uintmax_t generation(word w) {
    return (static_cast<std::uintmax_t>(w) >> Layout::generation_shift) &
           ((std::uintmax_t{1} << Layout::generation_bits) - 1);
  }
  // The index: neither the invalid bit, the kind field nor the generation field.
  static word payload(word w) {
    const std::uintmax_t cleared = (std::uintmax_t{1} << Layout::invalid_bit) |
                                   (((std::uintmax_t{1} << Layout::kind_bits) - 1) << Layout::kind_shift) |
                                   (((std::uintmax_t{1} << Layout::generation_bits) - 1) << Layout::generation_shift);
    return static_cast<word>(static_cast<std::uintmax_t>(w) & ~cleared);
  }
  static bool member(std::uintmax_t tag) {
    if (tag == 0) {
      return true;
    }
    for (const std::uintmax_t t : Spec::tags) {
      if (t == tag) {
        return true;
      }
    }
    return false;
  }
  // The tag a word is dispatched on: its own, or 0 for a sentinel (visited verbatim).
  static std::uintmax_t dispatch_tag(word w) { return invalid(w) ? 0 : field(w); }
};

// --- A host that records what the lowering asks of it ---------------------------

template <class Layout>
struct recording_host {
  using word = typename Layout::word_type;
  std::size_t calls = 0;
  std::size_t live = 0;
  std::optional<std::uintmax_t> subscribed_tag;
  word subscribed_payload = 0;
  std::optional<word> asked_ready;

  std::uint64_t select(std::span<const word> pollables) {
    ++calls;
    return pollables.size() - 1;
  }
  std::optional<std::uint64_t> select(std::span<const word> pollables, std::uint32_t /*ms*/) {
    return select(pollables);
  }
  void drop_pollable(word /*pollable*/) {
    ++calls;
    --live;
  }
  bool is_ready(word pollable) {
    ++calls;
    asked_ready = pollable;
    return true;
  }
  template <class K>
  word subscribe(nybble::handle<K, Layout> h) {
    ++calls;
    ++live;
    subscribed_tag = K::tag;
    subscribed_payload = h.payload();
    return 1;
  }
};

// --- The generation table of a set -------------------------------------------------

// The lowest payload bit, as an index: 1 where the payload is the low bits.
template <class Layout>
inline constexpr auto
    low_payload = static_cast<typename Layout::word_type>(Layout::payload_mask&(~Layout::payload_mask + 1U));

// Per kind: index 0 handed out once (generation 0 out), index low_payload
// handed out, retired and handed out again (generation 1 out); every other
// index is free or past the table. A layout without a generation field has no table.
template <class Layout, class Spec>
struct generations_fixture {
  using set = typename generated<Layout, Spec>::set;
  using word = typename Layout::word_type;
  struct none {};
  static constexpr bool has_table = Layout::has_generation;
  using table = std::conditional_t<has_table, nybble::generation_table<set>, none>;

  using slot = typename std::conditional_t<
      has_table, table, nybble::generation_table<nybble::kind_set<nybble::generational_abi_layout>>>::slot_type;

  std::vector<slot> slots = std::vector<slot>(has_table ? set::size * (low_payload<Layout> + 1U) : 0);
  table generations = make(slots);

  static table make(std::vector<slot>& storage) {
    if constexpr (has_table) {
      table t{storage};
      set::for_each_kind([&]<class K>(std::type_identity<K>) {
        static_cast<void>(t.template hand_out<K>(0));
        const auto first = t.template hand_out<K>(low_payload<Layout>);
        static_cast<void>(t.template retire<K>(first->to_guest()));
        static_cast<void>(t.template hand_out<K>(low_payload<Layout>));
      });
      return t;
    } else {
      static_cast<void>(storage);
      return none{};
    }
  }
  // Whether the table has the word's handle out (the model, not the table).
  static bool out(word w) {
    using M = model<Layout, Spec>;
    return (M::payload(w) == 0 && M::generation(w) == 0) ||
           (M::payload(w) == low_payload<Layout> && M::generation(w) == 1);
  }
  template <class Host>
  auto select(std::span<const word> handles, Host& host, std::span<word> scratch) const {
    if constexpr (has_table) {
      return nybble::lower_select<set>(handles, nybble::timeout::none(), host, scratch, generations);
    } else {
      return nybble::lower_select<set>(handles, nybble::timeout::none(), host, scratch);
    }
  }
  template <class Host>
  auto is_ready(word w, Host& host) const {
    if constexpr (has_table) {
      return nybble::lower_is_ready<set>(w, host, generations);
    } else {
      return nybble::lower_is_ready<set>(w, host);
    }
  }
};

// What a visitor saw.
struct seen {
  std::uintmax_t tag;
  std::uintmax_t payload;
  friend bool operator==(seen, seen) = default;
};

// --- The checks -----------------------------------------------------------------

template <class Layout, class Spec, std::size_t I>
bool check_decode(typename Layout::word_type w) {
  using M = model<Layout, Spec>;
  using set = typename generated<Layout, Spec>::set;
  using K = typename generated<Layout, Spec>::template kind_at<I>;
  const auto got = nybble::decode<K, set>(w);
  if (M::invalid(w)) {
    EXPECT(got == nybble::errc::invalid_handle);
  } else if (M::field(w) == K::tag) {
    EXPECT(got.has_value());
    EXPECT(got->payload() == M::payload(w));
    EXPECT(got->to_guest() == w);
  } else {
    EXPECT(got == (M::member(M::field(w)) ? nybble::errc::wrong_kind : nybble::errc::unknown_kind));
  }
  return true;
}

template <class Layout, class Spec>
bool check_word(typename Layout::word_type w, const generations_fixture<Layout, Spec>& tables) {
  using M = model<Layout, Spec>;
  using set = typename generated<Layout, Spec>::set;
  using word = typename Layout::word_type;
  constexpr std::size_t last = Spec::tags.size() - 1;

  // kind_of
  const auto tag = nybble::kind_of<set>(w);
  if (M::member(M::dispatch_tag(w))) {
    EXPECT(tag == M::dispatch_tag(w));
  } else {
    EXPECT(tag == nybble::errc::unknown_kind);
  }

  // decode, for the first, a middle and the last kind of the set
  EXPECT(check_decode<Layout, Spec, 0>(w));
  EXPECT(check_decode<Layout, Spec, last / 2>(w));
  EXPECT(check_decode<Layout, Spec, last>(w));

  // visit, with a visitor that returns a value and with one that returns nothing
  // (visit_nullable shares its dispatch, detail::visit_word; the unit tests and
  // the exhaustive test read sentinels through it)
  const auto visited = nybble::visit<set>(w, [](auto h) {
    return seen{decltype(h)::kind_type::tag, static_cast<std::uintmax_t>(h.payload())};
  });
  std::optional<seen> side_effect;
  const auto visited_void = nybble::visit<set>(w, [&](auto h) {
    side_effect = seen{decltype(h)::kind_type::tag, static_cast<std::uintmax_t>(h.payload())};
  });
  if (M::invalid(w)) {
    EXPECT(visited == nybble::errc::invalid_handle);
    EXPECT(visited_void == nybble::errc::invalid_handle);
    EXPECT(!side_effect.has_value());
  } else if (M::member(M::dispatch_tag(w))) {
    const seen expected{M::dispatch_tag(w), M::payload(w)};
    EXPECT(visited == expected);
    EXPECT(visited_void.has_value());
    EXPECT(side_effect == expected);
  } else {
    EXPECT(visited == nybble::errc::unknown_kind);
    EXPECT(visited_void == nybble::errc::unknown_kind);
    EXPECT(!side_effect.has_value());
  }

  // lower_select, on the word alone and at the end of a longer list, and lower_is_ready
  const auto waitable = [](std::uintmax_t t) {
    for (const std::uintmax_t s : Spec::tags) {
      if (s == t) {
        return Spec::waitable(t);
      }
    }
    return false;
  };
  std::optional<nybble::errc> refusal;
  if (M::invalid(w)) {
    refusal = nybble::errc::invalid_handle;
  } else if (!M::member(M::field(w))) {
    refusal = nybble::errc::unknown_kind;
  } else if (M::field(w) != 0 && !waitable(M::field(w))) {
    refusal = nybble::errc::not_waitable;
  }
  // After every refusal of its kind, a word whose handle is not out is stale.
  const bool stale = Layout::has_generation && !refusal && !tables.out(w);
  // detail::validate_word is the specification of the validation, and the fast
  // path of detail::validate_select its optimisation: both against the model.
  const nybble::result<void> accepted = nybble::detail::validate_word<set, recording_host<Layout>>(w);
  EXPECT(refusal ? accepted == *refusal : accepted.has_value());
  // Untagged words before it: payload 0 and the lowest payload bit (with
  // generation 1 where there is a field: both out in the table).
  constexpr auto low_stamped =
      Layout::has_generation ? Layout::with_generation(low_payload<Layout>, 1) : low_payload<Layout>;
  std::array<word, 6> list{word{0}, low_stamped, word{0}, low_stamped, word{0}, w};
  std::array<word, 6> scratch{};
  for (const std::size_t length : {std::size_t{1}, std::size_t{4}, std::size_t{5}, std::size_t{6}}) {
    recording_host<Layout> host;
    const auto handles = std::span<const word>{list}.last(length);
    const auto validated =
        nybble::detail::validate_select<set, recording_host<Layout>>(handles, scratch.size(), nybble::timeout::none());
    if (refusal) {
      EXPECT(validated == *refusal);
    } else {
      EXPECT(validated == (M::field(w) != 0));
    }
    const auto r = tables.select(handles, host, std::span<word>{scratch});
    if (refusal || stale) {
      EXPECT(r == (refusal ? *refusal : nybble::errc::stale_handle));
      EXPECT(host.calls == 0);
    } else {
      EXPECT(r.has_value());
      EXPECT(r->index() == length - 1);
      EXPECT(host.live == 0);
      if (M::field(w) == 0) {
        EXPECT(!host.subscribed_tag.has_value());
        EXPECT(host.calls == 1); // the select alone
      } else {
        EXPECT(host.subscribed_tag == M::field(w));
        EXPECT(host.subscribed_payload == M::payload(w));
      }
    }
  }
  recording_host<Layout> host;
  const auto ready = tables.is_ready(w, host);
  if (refusal || stale) {
    EXPECT(ready == (refusal ? *refusal : nybble::errc::stale_handle));
    EXPECT(host.calls == 0);
  } else {
    EXPECT(ready == true);
    EXPECT(host.live == 0);
    if (M::field(w) == 0) {
      EXPECT(host.asked_ready == M::payload(w)); // the index: the generation stripped
    } else {
      EXPECT(host.subscribed_tag == M::field(w));
      EXPECT(host.subscribed_payload == M::payload(w));
    }
  }
  return true;
}

// check_word, naming the word when it disagrees.
template <class Layout, class Spec>
bool word_agrees(typename Layout::word_type w, const generations_fixture<Layout, Spec>& tables) {
  if (check_word<Layout, Spec>(w, tables)) {
    return true;
  }
  std::fprintf(stderr, "  for the word 0x%llx\n", static_cast<unsigned long long>(w));
  return false;
}

template <class Layout, class Spec>
bool check_set() {
  using M = model<Layout, Spec>;
  using set = typename generated<Layout, Spec>::set;
  using word = typename Layout::word_type;
  constexpr std::uintmax_t max_tag = Layout::max_tag;
  static_assert(set::size == Spec::tags.size() + 1);
  const generations_fixture<Layout, Spec> tables;
  constexpr auto generations = [] {
    if constexpr (Layout::has_generation) {
      return std::array<std::uintmax_t, 3>{0, 1, Layout::max_generation};
    } else {
      return std::array<std::uintmax_t, 1>{0};
    }
  }();

  // Tags alone: with_kind_of_tag and contains_tag, every tag the field holds and some it cannot.
  for (const std::uintmax_t beyond :
       {max_tag + 1, 2 * max_tag + 1, max_tag + 64, std::uintmax_t{1} << 40, ~std::uintmax_t{0}}) {
    EXPECT(!set::contains_tag(beyond));
    bool called = false;
    EXPECT(!set::with_kind_of_tag(beyond, [&](auto) { called = true; }));
    EXPECT(!called);
  }
  for (std::uintmax_t t = 0; t <= max_tag; ++t) {
    std::optional<std::uintmax_t> called_with;
    const bool found = set::with_kind_of_tag(t, [&]<class K>(std::type_identity<K>) { called_with = K::tag; });
    EXPECT(found == M::member(t));
    EXPECT(set::contains_tag(t) == M::member(t));
    EXPECT(called_with == (M::member(t) ? std::optional<std::uintmax_t>{t} : std::nullopt));

    // Words: every tag with three payloads (and three generations), with and
    // without the invalid bit.
    for (const word payload : {word{0}, low_payload<Layout>, static_cast<word>(Layout::payload_mask)}) {
      for (const std::uintmax_t generation : generations) {
        const word w = Layout::with_tag(Layout::with_generation(payload, generation), t);
        EXPECT(word_agrees<Layout, Spec>(w, tables));
        EXPECT(word_agrees<Layout, Spec>(static_cast<word>(w | Layout::invalid_mask), tables));
      }
    }
  }
  EXPECT(word_agrees<Layout, Spec>(static_cast<word>(~word{0}), tables));
  return true;
}

// The set sizes (user kinds) on either side of every point where the code
// takes another shape, checked where the layout holds more tags than that:
// * 15/16 and 31/32 kinds: with untagged, the dispatch switch (16 kinds to a
//   block) needs one, two or three blocks (with_kind_of_tag, contains_tag);
// * 2^j - 1 and 2^j kinds, all waitable: the first refused tag is a power of two
//   (lower_select's validation tests bits) or not (it compares).
// Layouts of 64 tags or more are checked at the first block edge only, which
// keeps their compile time in bounds: narrower layouts cover the other edges
// with the same code, and each wide layout's largest set spans every block.
inline constexpr std::array<std::size_t, 12> boundary_sizes{1, 2, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33};

template <class Layout, std::size_t I>
void check_boundary_size() {
  constexpr std::size_t n = boundary_sizes[I];
  constexpr bool narrow_layout = Layout::max_tag < 64;
  if constexpr (n < Layout::max_tag && (narrow_layout || (n >= 15 && n <= 17))) {
    INFO("tags 1..", n);
    CHECK(check_set<Layout, contiguous<n>>());
  }
}

// One doctest check per set, named by its layout and spec in the failure output.
template <class Layout>
void check_layout() {
  constexpr std::uintmax_t max_tag = Layout::max_tag;
  INFO("kind bits ", Layout::kind_bits, ", kind shift ", Layout::kind_shift, ", invalid bit ", Layout::invalid_bit,
       ", generation bits ", Layout::generation_bits, " at ", Layout::generation_shift);
  CHECK(check_set<Layout, listed<max_tag>>());   // a single kind, at the top of the field
  CHECK(check_set<Layout, odd_tags<max_tag>>()); // gaps, and unwaitable kinds among them
  [&]<std::size_t... I>(std::index_sequence<I...>) { (check_boundary_size<Layout, I>(), ...); }
  (std::make_index_sequence<boundary_sizes.size()>{});
  CHECK(check_set<Layout, contiguous<max_tag>>()); // the largest set the layout allows
  if constexpr (max_tag >= 5 && max_tag < 64) {
    CHECK(check_set<Layout, contiguous<max_tag, 5>>()); // the largest, some kinds unwaitable: refused with gaps
  }
}

// Where the fields lie: the invalid bit on top with the kind field below it (as
// the canonical layout), the invalid bit lowest with the kind field above it, or
// the invalid bit on top with the kind field lowest.
template <class Word, unsigned KindBits>
using kind_below_invalid_top = nybble::basic_layout<Word, KindBits, std::numeric_limits<Word>::digits - 1 - KindBits,
                                                    std::numeric_limits<Word>::digits - 1>;
template <class Word, unsigned KindBits>
using kind_above_invalid_lowest = nybble::basic_layout<Word, KindBits, 1, 0>;
template <class Word, unsigned KindBits>
using kind_lowest_invalid_top = nybble::basic_layout<Word, KindBits, 0, std::numeric_limits<Word>::digits - 1>;

// The canonical placement with a generation field of GenerationBits right
// below the kind field (as nybble::generational_abi_layout has it).
template <class Word, unsigned KindBits, unsigned GenerationBits>
using generation_below_kind = nybble::basic_layout<Word, KindBits, std::numeric_limits<Word>::digits - 1 - KindBits,
                                                   std::numeric_limits<Word>::digits - 1, GenerationBits,
                                                   std::numeric_limits<Word>::digits - 1 - KindBits - GenerationBits>;
template <class Word, unsigned KindBits>
using two_generation_bits_below_kind = generation_below_kind<Word, KindBits, 2>;
template <class Word, unsigned KindBits>
using eight_generation_bits_below_kind = generation_below_kind<Word, KindBits, 8>;
// The generation field lowest, the payload between it and the kind field.
template <class Word, unsigned KindBits>
using generation_lowest = nybble::basic_layout<Word, KindBits, std::numeric_limits<Word>::digits - 1 - KindBits,
                                               std::numeric_limits<Word>::digits - 1, 3, 0>;

// Every layout with 1 to sizeof...(KindBits) kind bits, the fields placed by Place.
template <template <class, unsigned> class Place, class Word, unsigned... KindBits>
void check_layouts(std::integer_sequence<unsigned, KindBits...>) {
  (check_layout<Place<Word, KindBits + 1>>(), ...);
}

// Layouts with a generation field, the kind field on top as in the canonical
// layout: the field right below it (8 bits, 2 in 8-bit words) with 1 and 2 kind
// bits, and 3 bits lowest (under the payload) with 1; the full matrix adds 3
// kind bits to each and, in wider words, a 2-bit field below the kind field.
template <class Word>
void check_generational_layouts() {
  constexpr unsigned kind_widths = NYBBLE_DIFFERENTIAL_FULL ? 3 : 2;
  constexpr bool wide = std::numeric_limits<Word>::digits > 8;
  if constexpr (wide) {
    check_layouts<eight_generation_bits_below_kind, Word>(std::make_integer_sequence<unsigned, kind_widths>{});
    if constexpr (NYBBLE_DIFFERENTIAL_FULL) {
      check_layouts<two_generation_bits_below_kind, Word>(std::make_integer_sequence<unsigned, kind_widths>{});
    }
  } else {
    check_layouts<two_generation_bits_below_kind, Word>(std::make_integer_sequence<unsigned, kind_widths>{});
  }
  check_layouts<generation_lowest, Word>(std::make_integer_sequence < unsigned, NYBBLE_DIFFERENTIAL_FULL ? 3 : 1 > {});
}

} // namespace nybble_tests::differential

#endif
