// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The handles the guest holds, whatever the world the adapter runs on (the
// fastly:compute world with pollables, or its WASI 0.3 mirror with async
// calls): the component's resource types, nybble's kinds, and how one maps to
// the other.
//
// Handles: the guest sees the component's table index, with the kind in bits
// 28..30 (nybble's canonical layout): cache entry 1, replace entry 2, HTTP
// cache entry 3; bodies and requests untagged, as the reference adapter has it.
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
using kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry, replace_entry, http_cache_entry>;
using layout = kinds::layout_type;

// The longest select list; its translation lives on the adapter's stack.
constexpr std::size_t max_select_handles = 256;

template <class K>
inline constexpr bool no_resource_type_for = false;

// The component resource type of each tagged kind. Every kind of `kinds` must be
// listed: one that is not is a compile error, never another type.
template <class K>
[[nodiscard]] constexpr resource_type resource_type_of() noexcept {
  if constexpr (std::is_same_v<K, cache_entry>) {
    return resource_type::cache_entry;
  } else if constexpr (std::is_same_v<K, replace_entry>) {
    return resource_type::replace_entry;
  } else if constexpr (std::is_same_v<K, http_cache_entry>) {
    return resource_type::http_cache_entry;
  } else {
    static_assert(no_resource_type_for<K>, "fastly_adapter::resource_type_of: this kind has no resource type; "
                                           "list it here.");
    return resource_type::body;
  }
}

// What select and is_ready wait on, by tag: untagged words are bodies
// (requests cannot be waited on), and tag t is resource type t + 1 (checked
// below for every kind), so no word needs the tag's dispatch to be looked up.
[[nodiscard]] constexpr resource_type waitable_type_of_tag(std::uintmax_t tag) noexcept {
  return static_cast<resource_type>(tag == 0 ? 0U : static_cast<std::uint32_t>(tag) + 1U);
}
static_assert(waitable_type_of_tag(0) == resource_type::body);
static_assert([] {
  bool arithmetic_holds = true;
  kinds::for_each_kind([&]<class K>(std::type_identity<K>) {
    if constexpr (!std::is_same_v<K, nybble::untagged>) {
      arithmetic_holds = arithmetic_holds && waitable_type_of_tag(K::tag) == resource_type_of<K>();
    }
  });
  return arithmetic_holds;
}());

} // namespace fastly_adapter

#endif
