// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// nybble's view of the fastly:compute component: the kinds the adapter tags
// handles with, the resource type each one is, and the host nybble lowers
// select and is_ready onto.
//
// Handles: the guest sees the component's table index, with the kind in bits
// 28..30 (nybble's canonical layout): cache entry 1, replace entry 2, HTTP
// cache entry 3; bodies and requests untagged, as the reference adapter has it.
// Each tagged kind is waited on by step().
#ifndef FASTLY_ADAPTER_COMPONENT_HOST_HPP
#define FASTLY_ADAPTER_COMPONENT_HOST_HPP

#include "component_imports.hpp"
#include "live_handles.hpp"

#include <nybble.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <type_traits>

namespace fastly_adapter {

struct cache_entry : nybble::kind<1> {};
struct replace_entry : nybble::kind<2> {};
struct http_cache_entry : nybble::kind<3> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry, replace_entry, http_cache_entry>;

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
// (requests are not pollables), and tag t is resource type t + 1 (checked
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

struct component_host {
  [[nodiscard]] std::uint32_t select(std::span<const std::uint32_t> pollables) const noexcept {
    return component::async_io_select(pollables.data(), static_cast<std::uint32_t>(pollables.size()));
  }
  [[nodiscard]] std::optional<std::uint32_t> select(std::span<const std::uint32_t> pollables,
                                                    std::uint32_t timeout_ms) const noexcept {
    component::option_u32 out{};
    component::async_io_select_with_timeout(pollables.data(), static_cast<std::uint32_t>(pollables.size()), timeout_ms,
                                            &out);
    return out.is_some != 0 ? std::optional<std::uint32_t>{out.value} : std::nullopt;
  }
  void drop_pollable(std::uint32_t pollable) const noexcept { component::async_io_pollable_drop(pollable); }
  [[nodiscard]] bool is_ready(std::uint32_t pollable) const noexcept {
    return component::async_io_pollable_is_ready(pollable) != 0;
  }
  [[nodiscard]] std::uint64_t now_ms() const noexcept { return component::monotonic_clock_now() / 1'000'000U; }

  [[nodiscard]] std::optional<std::uint32_t> step(kinds::handle<cache_entry> h) const noexcept {
    component::option_handle out{};
    component::cache_entry_step(h.payload(), &out);
    return pollable_of(out);
  }
  [[nodiscard]] std::optional<std::uint32_t> step(kinds::handle<replace_entry> h) const noexcept {
    component::option_handle out{};
    component::cache_replace_entry_step(h.payload(), &out);
    return pollable_of(out);
  }
  [[nodiscard]] std::optional<std::uint32_t> step(kinds::handle<http_cache_entry> h) const noexcept {
    component::option_handle out{};
    component::http_cache_entry_step(h.payload(), &out);
    return pollable_of(out);
  }

private:
  [[nodiscard]] static std::optional<std::uint32_t> pollable_of(const component::option_handle& out) noexcept {
    return out.is_some != 0 ? std::optional<std::uint32_t>{out.handle} : std::nullopt;
  }
};
static_assert(nybble::select_host<component_host, kinds>);
static_assert(nybble::is_ready_host<component_host, kinds>);

} // namespace fastly_adapter

#endif
