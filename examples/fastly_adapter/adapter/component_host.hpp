// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// nybble's view of the fastly:compute component (WASI 0.2 style): the host
// nybble lowers select and is_ready onto. Bodies are pollables; each tagged
// kind (kinds.hpp) is waited on by step(), a pollable per step.
#ifndef FASTLY_ADAPTER_COMPONENT_HOST_HPP
#define FASTLY_ADAPTER_COMPONENT_HOST_HPP

#include "component_imports.hpp"
#include "kinds.hpp"

#include <nybble.hpp>

#include <cstdint>
#include <optional>
#include <span>

namespace fastly_adapter {

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

  // What the host keeps about a handle the guest closes: nothing, in this world.
  static void forget(resource_type /*type*/, std::uint32_t /*index*/) noexcept {}

private:
  [[nodiscard]] static std::optional<std::uint32_t> pollable_of(const component::option_handle& out) noexcept {
    return out.is_some != 0 ? std::optional<std::uint32_t>{out.handle} : std::nullopt;
  }
};
static_assert(nybble::select_host<component_host, kinds>);
static_assert(nybble::is_ready_host<component_host, kinds>);
static_assert(nybble::wait_model_of<component_host, cache_entry, layout> == nybble::wait_model::step);
static_assert(nybble::wait_model_of<component_host, nybble::untagged, layout> == nybble::wait_model::pass_through);

} // namespace fastly_adapter

#endif
