// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The handles the guest holds, whatever the world the adapter runs on (the
// fastly:compute world with pollables, or its WASI 0.3 mirror with async
// calls): the component's resource types, nybble's kinds, and how one maps to
// the other.
//
// Handles: the guest sees the component's table index (bits 0..19), the
// generation of its slot (bits 20..27: a closed handle's word is refused) and
// the kind (bits 28..30), nybble's generational_abi_layout: bodies untagged, as
// the reference adapter has them, cache entry 1, replace entry 2, HTTP cache
// entry 3, request 4 (a runtime numbers bodies and requests apart: untagged,
// body 1 and request 1 would be one word).
#ifndef FASTLY_ADAPTER_KINDS_HPP
#define FASTLY_ADAPTER_KINDS_HPP

#include <nybble.hpp>

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace fastly_adapter {

// The resource types of the component side that the guest holds handles to.
enum class resource_type : std::uint32_t { body, request, cache_entry, replace_entry, http_cache_entry };

struct cache_entry : nybble::kind<1> {};
struct replace_entry : nybble::kind<2> {};
struct http_cache_entry : nybble::kind<3> {};
struct request : nybble::unwaitable_kind<4> {}; // select and is_ready refuse it
using kinds = nybble::kind_set<nybble::generational_abi_layout, cache_entry, replace_entry, http_cache_entry, request>;
using layout = kinds::layout_type;

// The longest select list; its translation lives on the adapter's stack.
constexpr std::size_t max_select_handles = 256;

template <class K>
inline constexpr bool no_resource_type_for = false;

// The component resource type of each kind (untagged words are bodies). Every
// kind of `kinds` must be listed: one that is not is a compile error, never
// another type.
template <class K>
[[nodiscard]] constexpr resource_type resource_type_of() noexcept {
  if constexpr (std::is_same_v<K, cache_entry>) {
    return resource_type::cache_entry;
  } else if constexpr (std::is_same_v<K, replace_entry>) {
    return resource_type::replace_entry;
  } else if constexpr (std::is_same_v<K, http_cache_entry>) {
    return resource_type::http_cache_entry;
  } else if constexpr (std::is_same_v<K, request>) {
    return resource_type::request;
  } else if constexpr (std::is_same_v<K, nybble::untagged>) {
    return resource_type::body;
  } else {
    static_assert(no_resource_type_for<K>, "fastly_adapter::resource_type_of: this kind has no resource type; "
                                           "list it here.");
    return resource_type::body;
  }
}

} // namespace fastly_adapter

#endif
