// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// handle.hpp: handle<Kind, Layout>, one resource handle of a known kind. Code
// names handles through its kind set (<nybble/kind_set.hpp>), which carries
// the layout, and reads guest words into them with decode or visit.
//
//   const auto h = kinds::handle<cache_entry>::from_payload(host_index); // result<handle>
//   if (h) { return h->to_guest(); }                                      // the word the guest gets
#ifndef NYBBLE_HANDLE_HPP
#define NYBBLE_HANDLE_HPP

#include <nybble/detail/handle.hpp>
#include <nybble/detail/kind_set.hpp>
#include <nybble/kind.hpp>
#include <nybble/layout.hpp>
#include <nybble/result.hpp>

#include <compare>
#include <cstdint>

namespace nybble {

// A handle stores its payload: the index the host knows the resource by, and,
// in a layout with a generation field, the generation its word was handed out
// with (<nybble/generations.hpp>).
// * to_guest() is the word the guest gets: the payload (and generation) with
//   Kind's tag in the kind field. For `untagged` it has no tag.
// * payload() is the word the host gets: the index alone.
// * generation() is the generation field's value (0 in a layout without one).
// * null() is the "no handle" sentinel (the layout's null_word), a handle of
//   every kind, for an ABI that allows "no handle"; to_guest and payload pass
//   it through verbatim, and is_invalid() is true for it alone.
//
// Handles of different kinds are unrelated types: no conversion between them
// exists, so a cache entry cannot reach a call that wants a pollable. The only
// way from a guest word to a handle is decode or visit, which check the tag.
// There is no default layout: a handle of one layout can never be written
// where a set of another layout is meant.
template <class Kind, layout Layout>
class handle {
  static_assert(resource_kind<Kind>, "nybble::handle: Kind must derive from nybble::kind<Tag>, as in "
                                     "'struct my_kind : nybble::kind<1> {};'.");
  static_assert(detail::tag_fits_layout<Kind, Kind::tag, Layout::max_tag>,
                "nybble::handle: the kind's tag is too large for the layout's kind field.");

public:
  using kind_type = Kind;
  using layout_type = Layout;
  using word_type = typename Layout::word_type;

  // Wraps the host's index, of any integer type: a live handle, of generation
  // 0. Fails with payload_overflow when the index does not fit the payload bits:
  // it uses the bits the layout reserves for the kind, the generation or the
  // invalid bit, or it is negative
  // or wider than the word (checked before any conversion, so a wide index
  // never wraps onto another resource).
  template <detail::integer Index>
  [[nodiscard]] static constexpr result<handle> from_payload(Index index) noexcept {
    const result<word_type> payload = detail::narrow<word_type>(index);
    if (payload && Layout::fits_payload(*payload)) {
      return handle{*payload};
    }
    return errc::payload_overflow;
  }

  // The "no handle" sentinel, as a handle of this kind.
  [[nodiscard]] static constexpr handle null() noexcept { return handle{Layout::null_word}; }

  [[nodiscard]] constexpr word_type to_guest() const noexcept {
    return Layout::is_invalid(word_) ? word_ : Layout::with_tag(word_, Kind::tag);
  }
  [[nodiscard]] constexpr word_type payload() const noexcept {
    if constexpr (Layout::has_generation) {
      return Layout::is_invalid(word_) ? word_ : Layout::payload_of(word_);
    } else {
      return word_; // no field to strip: the same code as a layout without generations always had
    }
  }
  [[nodiscard]] constexpr std::uintmax_t generation() const noexcept {
    return Layout::is_invalid(word_) ? 0 : Layout::generation_of(word_);
  }
  [[nodiscard]] constexpr bool is_invalid() const noexcept { return Layout::is_invalid(word_); }

  [[nodiscard]] friend constexpr bool operator==(handle, handle) noexcept = default;
  [[nodiscard]] friend constexpr std::strong_ordering operator<=>(handle, handle) noexcept = default;

private:
  friend struct detail::handle_access;

  // bits: the guest's word without its tag (Layout::handle_mask), or a sentinel.
  constexpr explicit handle(word_type bits) noexcept : word_{bits} {}

  word_type word_;
};

} // namespace nybble

#endif // NYBBLE_HANDLE_HPP
