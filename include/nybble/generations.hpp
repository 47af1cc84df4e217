// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// generations.hpp: generation_table<Set>, the record an adapter keeps of the
// handles it handed out, so that a word kept after its handle was closed is
// refused (errc::stale_handle) instead of reaching whichever resource the host
// gives the same index to next. Needs a layout with a generation field.
//
//   using kinds = nybble::kind_set<nybble::generational_abi_layout, cache_entry>;
//   nybble::generation_table<kinds> generations{slots}; // the caller's zeroed storage
//   const auto h = generations.hand_out<cache_entry>(host_index);  // on open: h->to_guest()
//   const auto found = generations.find<cache_entry>(guest_word);  // on every use
//   const auto closed = generations.retire<cache_entry>(guest_word); // on close
#ifndef NYBBLE_GENERATIONS_HPP
#define NYBBLE_GENERATIONS_HPP

#include <nybble/detail/handle.hpp>
#include <nybble/handle.hpp>
#include <nybble/kind_set.hpp>
#include <nybble/result.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>

namespace nybble {

namespace detail {
struct generation_access;
// The narrowest unsigned type of at least Bits bits.
template <unsigned Bits>
using least_unsigned = std::conditional_t<
    Bits <= 8, std::uint8_t,
    std::conditional_t<Bits <= 16, std::uint16_t, std::conditional_t<Bits <= 32, std::uint32_t, std::uint64_t>>>;
} // namespace detail

// One slot per (kind, host index), in storage the caller owns (an adapter
// module keeps it in the guest's memory; no heap is used). A slot records
// whether a handle is out and the generation its word carries:
// * hand_out<K>(index) stamps the word of a new handle with the slot's
//   generation;
// * find<K>(word) answers the handle only while that word's handle is out:
//   after decode's own refusals (invalid_handle, unknown_kind, wrong_kind,
//   word_out_of_range), stale_handle when the slot is free or holds another
//   generation;
// * retire<K>(word) is find, then the slot is freed and its generation
//   advances: the word, and every copy the guest kept, is stale from then on.
// A stale word matches again only after 2^G retirements of the same slot (G
// the layout's generation_bits): the generation wraps to 0 after
// Layout::max_generation. The host sees indices only (handle::payload()).
template <any_kind_set Set>
class generation_table {
  using layout_type = typename Set::layout_type;
  static_assert(layout_type::has_generation,
                "nybble::generation_table<Set>: Set's layout has no generation field. Give it one, as "
                "nybble::generational_abi_layout does: basic_layout<std::uint32_t, 3, 28, 31, 8, 20>.");

public:
  using set_type = Set;
  using word_type = typename Set::word_type;
  // Bit 0: a handle is out; the bits above it: the generation.
  using slot_type = detail::least_unsigned<layout_type::generation_bits + 1>;
  template <class K>
  using handle_type = handle<K, layout_type>;

  // Slots per kind of the set (untagged included) and host index: a table of
  // capacity C needs kinds_per_slot_row * C slots, and tracks indices 0 .. C - 1.
  static constexpr std::size_t kinds_per_slot_row = Set::size;

  // storage: zeroed slots (every slot free, generation 0), kept alive and
  // unchanged by anything else while the table's words are in use. Indices
  // per kind: storage.size() / kinds_per_slot_row.
  constexpr explicit generation_table(std::span<slot_type> storage) noexcept
      : slots_{storage}, capacity_{storage.size() / kinds_per_slot_row} {}

  [[nodiscard]] constexpr std::size_t capacity() const noexcept { return capacity_; }

  // The handle of a resource the host just made at `index`, its word stamped
  // with the slot's generation. Errors: payload_overflow (an index too large
  // for the layout's index field, or negative), capacity_exceeded (an index
  // past the table): the adapter disposes
  // of the resource then. A slot whose handle is still out (the host reused an
  // index the adapter did not retire: a resource some call consumed) is retired
  // first, so the word the guest kept for it is stale.
  template <class K, detail::integer Index>
  [[nodiscard]] constexpr result<handle_type<K>> hand_out(Index index) noexcept {
    check_kind<K>();
    const result<handle_type<K>> fresh = handle_type<K>::from_payload(index);
    if (!fresh) {
      return fresh.error();
    }
    if (fresh->payload() >= capacity_) {
      return errc::capacity_exceeded;
    }
    slot_type& slot = slot_of(position_of<K>, fresh->payload());
    if ((slot & out_bit) != 0) {
      slot = retired(slot);
    }
    const std::uintmax_t generation = slot >> 1U;
    slot = static_cast<slot_type>(slot | out_bit);
    return detail::handle_access::make<handle_type<K>>(layout_type::with_generation(fresh->payload(), generation));
  }

  // The live handle of kind K a guest word names: what an export uses for an
  // argument that must name one of the adapter's resources.
  template <class K, detail::integer Word>
  [[nodiscard]] constexpr result<handle_type<K>> find(Word value) const noexcept {
    check_kind<K>();
    const result<handle_type<K>> h = decode<K, Set>(value);
    if (!h) {
      return h.error();
    }
    if (!is_out(position_of<K>, h->to_guest())) {
      return errc::stale_handle;
    }
    return h;
  }

  // Closes the handle a guest word names: find, then the slot is freed and its
  // generation advances. The answer is the handle whose resource the adapter
  // now closes on the host (h.payload()).
  template <class K, detail::integer Word>
  [[nodiscard]] constexpr result<handle_type<K>> retire(Word value) noexcept {
    const result<handle_type<K>> h = find<K>(value);
    // find answered a handle only for an index inside the table; the bound is
    // stated again for compilers' bounds analysis, which cannot see that.
    if (h && h->payload() < capacity_) {
      slot_type& slot = slot_of(position_of<K>, h->payload());
      slot = retired(slot);
    }
    return h;
  }

  // Whether a word of any kind of the set names a handle that is out: the
  // check the lowerings make of every word (<nybble/select.hpp>). Errors:
  // invalid_handle, unknown_kind, stale_handle.
  [[nodiscard]] constexpr result<void> check(word_type guest_word) const noexcept {
    if (layout_type::is_invalid(guest_word)) {
      return errc::invalid_handle;
    }
    if (!Set::contains_tag(layout_type::tag_of(guest_word))) {
      return errc::unknown_kind;
    }
    if (!is_out_validated(guest_word)) {
      return errc::stale_handle;
    }
    return {};
  }

private:
  friend struct detail::generation_access;
  static constexpr auto out_bit = static_cast<slot_type>(1U);

  // A kind's row of slots: its place in the set, untagged first.
  template <class K>
  static constexpr std::size_t position_of = [] {
    std::size_t position = 0;
    std::size_t i = 0;
    Set::for_each_kind([&]<class J>(std::type_identity<J>) {
      position = std::is_same_v<J, K> ? i : position;
      ++i;
    });
    return position;
  }();
  // Whether every kind's tag is its row (tags 0, 1, 2, ... in order): the row
  // of a word is then its tag, with no dispatch.
  static constexpr bool tags_are_positions =
      Set::all_kinds([]<class K>(std::type_identity<K>) { return K::tag == position_of<K>; });

  template <class K>
  static constexpr void check_kind() noexcept {
    static_assert(Set::template contains<K>, "nybble::generation_table<Set>: the kind is not a member of Set.");
  }

  // The slot after a retirement: free, the next generation (0 after the largest).
  [[nodiscard]] static constexpr slot_type retired(slot_type slot) noexcept {
    const auto next = static_cast<std::uintmax_t>(((slot >> 1U) + 1U) & layout_type::max_generation);
    return static_cast<slot_type>(next << 1U);
  }

  [[nodiscard]] constexpr slot_type& slot_of(std::size_t position, word_type index) const noexcept {
    return slots_[position * capacity_ + index];
  }

  // Whether the handle a word names is out, for a word already known to be no
  // sentinel and of a kind of the set (what the lowerings have validated).
  [[nodiscard]] constexpr bool is_out_validated(word_type guest_word) const noexcept {
    const std::uintmax_t tag = layout_type::tag_of(guest_word);
    std::size_t position = 0;
    if constexpr (tags_are_positions) {
      position = static_cast<std::size_t>(tag);
    } else {
      Set::with_kind_of_tag(tag, [&]<class K>(std::type_identity<K>) { position = position_of<K>; });
    }
    return is_out(position, guest_word);
  }

  // Whether the slot of a live word's (row, index) has a handle out with the word's generation.
  [[nodiscard]] constexpr bool is_out(std::size_t position, word_type guest_word) const noexcept {
    const word_type index = layout_type::payload_of(guest_word);
    if (index >= capacity_) {
      return false; // never handed out: no slot
    }
    const auto expected = static_cast<slot_type>((layout_type::generation_of(guest_word) << 1U) | out_bit);
    return slot_of(position, index) == expected;
  }

  std::span<slot_type> slots_;
  std::size_t capacity_;
};

namespace detail {
// The lowerings' door to the check of a word they have validated.
struct generation_access {
  template <class Set>
  [[nodiscard]] static constexpr bool is_out_validated(const generation_table<Set>& generations,
                                                       typename Set::word_type guest_word) noexcept {
    return generations.is_out_validated(guest_word);
  }
};
} // namespace detail

} // namespace nybble

#endif // NYBBLE_GENERATIONS_HPP
