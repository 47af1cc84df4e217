// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// layout.hpp: how one handle word is split into an invalid bit, a kind field
// and a payload; every mask derived from three numbers and checked.
//
//   using my_layout = nybble::basic_layout<std::uint32_t, 3, 28, 31>; // = canonical_abi_layout
#ifndef NYBBLE_LAYOUT_HPP
#define NYBBLE_LAYOUT_HPP

#include <concepts>
#include <cstdint>
#include <limits>

namespace nybble {

// basic_layout describes how one handle word is split:
//
//   [ invalid bit ] [ kind field: KindBits wide at KindShift ] [ payload: every other bit ]
//
// * The kind field holds the tag of the handle's kind. Tag 0 means "untagged":
//   the word needs no translation and is the host's own index.
// * A word with the invalid bit set is an invalid sentinel ("no handle", as SDKs
//   write 0xFFFF'FFFF). Sentinels belong to every kind and are never tagged or
//   stripped: decode and visit hand them on verbatim, and the select lowerings
//   refuse them (no component runtime can report an error for one).
// * Every remaining bit is payload: the host's index.
//
// Every mask below derives from the three numbers; nothing is written twice.
// What is refused on purpose: a layout without an invalid bit, a kind field that
// overlaps the invalid bit, and a layout that leaves no room for a payload.
template <std::unsigned_integral Word, unsigned KindBits, unsigned KindShift, unsigned InvalidBit>
requires(!std::same_as<Word, bool>) struct basic_layout {
  using word_type = Word;

  static constexpr unsigned word_bits = std::numeric_limits<Word>::digits;
  static constexpr unsigned kind_bits = KindBits;
  static constexpr unsigned kind_shift = KindShift;
  static constexpr unsigned invalid_bit = InvalidBit;

  static_assert(KindBits >= 1, "nybble::basic_layout: the kind field needs at least one bit.");
  static_assert(KindBits < word_bits, "nybble::basic_layout: the kind field must be narrower than the word, or no "
                                      "payload is left.");
  // '<=' is correct: a field may end exactly at the top of the word.
  static_assert(KindShift + KindBits <= word_bits,
                "nybble::basic_layout: the kind field lies (partly) outside the word.");
  static_assert(InvalidBit < word_bits, "nybble::basic_layout: the invalid bit lies outside the word.");
  static_assert(InvalidBit < KindShift || InvalidBit >= KindShift + KindBits,
                "nybble::basic_layout: the fields overlap: the invalid bit lies inside the kind field.");

  // The kind field's mask before it is shifted into place: its lowest KindBits bits.
  static constexpr Word kind_mask_unshifted = static_cast<Word>((Word{1} << KindBits) - 1U);
  // The kind field's mask in the word.
  static constexpr Word kind_mask = static_cast<Word>(kind_mask_unshifted << KindShift);
  static constexpr Word invalid_mask = static_cast<Word>(Word{1} << InvalidBit);
  // What is neither kind nor invalid: the payload.
  static constexpr Word payload_mask = static_cast<Word>(~(kind_mask | invalid_mask));
  // The largest tag the kind field can hold; tag 0 is untagged.
  static constexpr std::uintmax_t max_tag = kind_mask_unshifted;

  // The two invalid sentinels SDKs hand out for "no handle", by name: every bit
  // set (0xFFFF'FFFF in 32-bit words), and every bit but the lowest one that is
  // not the invalid bit (0xFFFF'FFFE). Any word with the invalid bit set is a
  // sentinel; these are the ones to write.
  static constexpr Word null_word = static_cast<Word>(~Word{0});
  static constexpr Word tombstone_word = static_cast<Word>(null_word ^ (InvalidBit == 0 ? 2U : 1U));

  static_assert(payload_mask != 0, "nybble::basic_layout: the payload is left empty.");
  static_assert((kind_mask & invalid_mask) == 0 && (kind_mask | invalid_mask | payload_mask) == Word(~Word{0}),
                "nybble::basic_layout: kind, invalid and payload must partition the word.");

  [[nodiscard]] static constexpr bool is_invalid(Word word) noexcept { return (word & invalid_mask) != 0; }
  // The tag stored in the kind field. Meaningless for an invalid sentinel.
  [[nodiscard]] static constexpr std::uintmax_t tag_of(Word word) noexcept {
    return static_cast<Word>(word & kind_mask) >> KindShift;
  }
  // The tag a word is dispatched on: its tag, or 0 for an invalid sentinel
  // (a sentinel reads as tag 0, untagged), since decode and visit pass a
  // sentinel on verbatim, as they pass an untagged word.
  [[nodiscard]] static constexpr std::uintmax_t dispatch_tag_of(Word word) noexcept {
    return is_invalid(word) ? 0 : tag_of(word);
  }
  // True when the word fits in the payload bits, so that it can carry a tag.
  [[nodiscard]] static constexpr bool fits_payload(Word word) noexcept {
    return (word & static_cast<Word>(~payload_mask)) == 0;
  }
  // Precondition: fits_payload(payload) and tag <= max_tag (checked by callers).
  [[nodiscard]] static constexpr Word with_tag(Word payload, std::uintmax_t tag) noexcept {
    return static_cast<Word>(payload | static_cast<Word>(static_cast<Word>(tag) << KindShift));
  }
  [[nodiscard]] static constexpr Word payload_of(Word word) noexcept { return static_cast<Word>(word & payload_mask); }
};

// The reference layout for the WebAssembly Canonical ABI: a component never
// receives a table index above 2^28 - 1, and the specification leaves the high
// four bits of an index free for guest use. Tag in bits 28..30, bit 31 marks the
// invalid sentinels SDKs already use (0xFFFF'FFFF, 0xFFFF'FFFE), payload in 0..27.
using canonical_abi_layout = basic_layout<std::uint32_t, 3, 28, 31>;

static_assert(canonical_abi_layout::payload_mask == 0x0FFF'FFFFU);
static_assert(canonical_abi_layout::kind_mask == 0x7000'0000U);
static_assert(canonical_abi_layout::invalid_mask == 0x8000'0000U);

// True for every instantiation of basic_layout (and types derived from one).
template <class L>
concept layout = requires {
  typename L::word_type;
  requires std::derived_from<L, basic_layout<typename L::word_type, L::kind_bits, L::kind_shift, L::invalid_bit>>;
};

} // namespace nybble

#endif // NYBBLE_LAYOUT_HPP
