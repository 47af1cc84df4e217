// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// layout.hpp: how one handle word is split into an invalid bit, a kind field,
// an optional generation field and a payload; every mask derived and checked.
//
//   using my_layout = nybble::basic_layout<std::uint32_t, 3, 28, 31>;        // = canonical_abi_layout
//   using stamped = nybble::basic_layout<std::uint32_t, 3, 28, 31, 8, 20>;   // = generational_abi_layout
#ifndef NYBBLE_LAYOUT_HPP
#define NYBBLE_LAYOUT_HPP

#include <concepts>
#include <cstdint>
#include <limits>

namespace nybble {

// basic_layout describes how one handle word is split:
//
//   [ invalid bit ] [ kind field: KindBits at KindShift ] [ generation: GenerationBits at
//   GenerationShift, none by default ] [ payload: every other bit ]
//
// * The kind field holds the tag of the handle's kind. Tag 0 means "untagged":
//   the word needs no translation and is the host's own index.
// * A word with the invalid bit set is an invalid sentinel ("no handle", as SDKs
//   write 0xFFFF'FFFF). Sentinels belong to every kind and are never tagged or
//   stripped: decode and visit hand them on verbatim, and the select lowerings
//   refuse them (no component runtime can report an error for one).
// * The generation field, when the layout has one, holds how many times the
//   slot of the handle's (kind, index) was retired before it was handed out
//   (<nybble/generations.hpp>): a word kept after its handle was closed no
//   longer matches, whoever the host gives the index to next. The host never
//   sees it.
// * Every remaining bit is payload: the host's index.
//
// Every mask below derives from these numbers; nothing is written twice.
// What is refused on purpose: a layout without an invalid bit, fields that
// overlap, and a layout that leaves no room for a payload.
template <std::unsigned_integral Word, unsigned KindBits, unsigned KindShift, unsigned InvalidBit,
          unsigned GenerationBits = 0, unsigned GenerationShift = 0>
requires(!std::same_as<Word, bool>) struct basic_layout {
  using word_type = Word;

  static constexpr unsigned word_bits = std::numeric_limits<Word>::digits;
  static constexpr unsigned kind_bits = KindBits;
  static constexpr unsigned kind_shift = KindShift;
  static constexpr unsigned invalid_bit = InvalidBit;
  static constexpr unsigned generation_bits = GenerationBits;
  static constexpr unsigned generation_shift = GenerationShift;
  static constexpr bool has_generation = GenerationBits != 0;

  static_assert(KindBits >= 1, "nybble::basic_layout: the kind field needs at least one bit.");
  static_assert(KindBits < word_bits, "nybble::basic_layout: the kind field must be narrower than the word, or no "
                                      "payload is left.");
  // '<=' is correct: a field may end exactly at the top of the word.
  static_assert(KindShift + KindBits <= word_bits,
                "nybble::basic_layout: the kind field lies (partly) outside the word.");
  static_assert(InvalidBit < word_bits, "nybble::basic_layout: the invalid bit lies outside the word.");
  static_assert(InvalidBit < KindShift || InvalidBit >= KindShift + KindBits,
                "nybble::basic_layout: the fields overlap: the invalid bit lies inside the kind field.");
  static_assert(GenerationBits != 0 || GenerationShift == 0,
                "nybble::basic_layout: a generation shift without generation bits; give both or neither.");
  static_assert(GenerationBits < word_bits && GenerationShift + GenerationBits <= word_bits,
                "nybble::basic_layout: the generation field lies (partly) outside the word.");
  static_assert(GenerationBits == 0 || InvalidBit < GenerationShift || InvalidBit >= GenerationShift + GenerationBits,
                "nybble::basic_layout: the fields overlap: the invalid bit lies inside the generation field.");
  static_assert(GenerationBits == 0 || GenerationShift + GenerationBits <= KindShift ||
                    KindShift + KindBits <= GenerationShift,
                "nybble::basic_layout: the fields overlap: the generation field and the kind field share bits.");

  // The kind field's mask before it is shifted into place: its lowest KindBits bits.
  static constexpr Word kind_mask_unshifted = static_cast<Word>((Word{1} << KindBits) - 1U);
  // The kind field's mask in the word.
  static constexpr Word kind_mask = static_cast<Word>(kind_mask_unshifted << KindShift);
  static constexpr Word invalid_mask = static_cast<Word>(Word{1} << InvalidBit);
  // The generation field's mask before it is shifted into place, and in the word (0: none).
  static constexpr Word generation_mask_unshifted = static_cast<Word>((Word{1} << GenerationBits) - 1U);
  static constexpr Word generation_mask = static_cast<Word>(generation_mask_unshifted << GenerationShift);
  // What is neither kind, invalid nor generation: the payload.
  static constexpr Word payload_mask = static_cast<Word>(~(kind_mask | invalid_mask | generation_mask));
  // What a handle keeps of a live word: everything but the kind field and the
  // invalid bit (the payload, and the generation where there is one).
  static constexpr Word handle_mask = static_cast<Word>(payload_mask | generation_mask);
  // The largest tag the kind field can hold; tag 0 is untagged.
  static constexpr std::uintmax_t max_tag = kind_mask_unshifted;

  // The two invalid sentinels SDKs hand out for "no handle", by name: every bit
  // set (0xFFFF'FFFF in 32-bit words), and every bit but the lowest one that is
  // not the invalid bit (0xFFFF'FFFE). Any word with the invalid bit set is a
  // sentinel; these are the ones to write.
  static constexpr Word null_word = static_cast<Word>(~Word{0});
  static constexpr Word tombstone_word = static_cast<Word>(null_word ^ (InvalidBit == 0 ? 2U : 1U));

  static_assert(payload_mask != 0, "nybble::basic_layout: the payload is left empty.");
  static_assert((kind_mask & invalid_mask) == 0 && (generation_mask & (kind_mask | invalid_mask)) == 0 &&
                    (payload_mask & (kind_mask | invalid_mask | generation_mask)) == 0 &&
                    (kind_mask | invalid_mask | generation_mask | payload_mask) == Word(~Word{0}),
                "nybble::basic_layout: kind, invalid, generation and payload must partition the word.");
  // The largest generation; the one after it is 0 again.
  static constexpr std::uintmax_t max_generation = generation_mask_unshifted;

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
  // The generation stored in the word (0 for a layout without the field).
  [[nodiscard]] static constexpr std::uintmax_t generation_of(Word word) noexcept {
    return static_cast<Word>(word & generation_mask) >> GenerationShift;
  }
  // Precondition: fits_payload(payload) and generation <= max_generation.
  [[nodiscard]] static constexpr Word with_generation(Word payload, std::uintmax_t generation) noexcept {
    return static_cast<Word>(payload | static_cast<Word>(static_cast<Word>(generation) << GenerationShift));
  }
};

// The reference layout for the WebAssembly Canonical ABI: a component never
// receives a table index above 2^28 - 1, and the specification leaves the high
// four bits of an index free for guest use. Tag in bits 28..30, bit 31 marks the
// invalid sentinels SDKs already use (0xFFFF'FFFF, 0xFFFF'FFFE), payload in 0..27.
using canonical_abi_layout = basic_layout<std::uint32_t, 3, 28, 31>;

static_assert(canonical_abi_layout::payload_mask == 0x0FFF'FFFFU);
static_assert(canonical_abi_layout::kind_mask == 0x7000'0000U);
static_assert(canonical_abi_layout::invalid_mask == 0x8000'0000U);
static_assert(!canonical_abi_layout::has_generation);

// The canonical layout with an 8-bit generation field in bits 20..27, for an
// adapter that refuses stale handles (<nybble/generations.hpp>): a stale word
// aliases again only after 256 closes of the same slot, and 2^20 indices per
// kind remain (a runtime numbers handles densely from 1 and reuses freed
// indices first, so an index counts the handles open at once, not ever made).
using generational_abi_layout = basic_layout<std::uint32_t, 3, 28, 31, 8, 20>;

static_assert(generational_abi_layout::payload_mask == 0x000F'FFFFU);
static_assert(generational_abi_layout::generation_mask == 0x0FF0'0000U);
static_assert(generational_abi_layout::kind_mask == canonical_abi_layout::kind_mask);

// True for every instantiation of basic_layout (and types derived from one).
template <class L>
concept layout = requires {
  typename L::word_type;
  requires std::derived_from<L, basic_layout<typename L::word_type, L::kind_bits, L::kind_shift, L::invalid_bit,
                                             L::generation_bits, L::generation_shift>>;
};

} // namespace nybble

#endif // NYBBLE_LAYOUT_HPP
