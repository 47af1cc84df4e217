// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The typed side, as a WebAssembly component guest sees it: canonical-ABI
// imports of wit/world.wit, written by hand, wrapped in the Host interface that
// nybble's lowering and the cache adapter use.
//
// Canonical ABI notes: a resource handle is an i32 index into the instance's
// table; a string or list parameter is (pointer, length) into this module's
// memory; a result that flattens to more than one value (option<u32>,
// option<pollable>) is written by the callee to a return area the caller passes
// as the last parameter: the discriminant byte at offset 0, the payload at 4.
#ifndef NYBBLE_EXAMPLES_WASM_COMPONENT_HOST_HPP
#define NYBBLE_EXAMPLES_WASM_COMPONENT_HOST_HPP

#include "../../cache_adapter/module_abi.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#define NYBBLE_IMPORT(module, name) __attribute__((import_module(module), import_name(name)))

namespace component_abi {

extern "C" {
NYBBLE_IMPORT("nybble:demo/async-io@0.1.0", "select") std::int32_t async_io_select(const std::uint32_t*, std::int32_t);
NYBBLE_IMPORT("nybble:demo/async-io@0.1.0", "select-with-timeout")
void async_io_select_with_timeout(const std::uint32_t*, std::int32_t, std::int32_t, void* return_area);
NYBBLE_IMPORT("nybble:demo/async-io@0.1.0", "timer") std::int32_t async_io_timer(std::int32_t);
NYBBLE_IMPORT("nybble:demo/async-io@0.1.0", "now-ms") std::int64_t async_io_now_ms();
NYBBLE_IMPORT("nybble:demo/async-io@0.1.0", "[method]pollable.is-ready") std::int32_t pollable_is_ready(std::int32_t);
NYBBLE_IMPORT("nybble:demo/async-io@0.1.0", "[resource-drop]pollable") void pollable_drop(std::int32_t);

NYBBLE_IMPORT("nybble:demo/cache@0.1.0", "lookup") std::int32_t cache_lookup(const char*, std::int32_t);
NYBBLE_IMPORT("nybble:demo/cache@0.1.0", "replace") std::int32_t cache_replace(const char*, std::int32_t);
NYBBLE_IMPORT("nybble:demo/cache@0.1.0", "[method]entry.subscribe") std::int32_t cache_entry_subscribe(std::int32_t);
NYBBLE_IMPORT("nybble:demo/cache@0.1.0", "[method]replace-entry.subscribe")
std::int32_t replace_entry_subscribe(std::int32_t);
NYBBLE_IMPORT("nybble:demo/cache@0.1.0", "[resource-drop]entry") void cache_entry_drop(std::int32_t);
NYBBLE_IMPORT("nybble:demo/cache@0.1.0", "[resource-drop]replace-entry") void replace_entry_drop(std::int32_t);

NYBBLE_IMPORT("nybble:demo/http-cache@0.1.0", "lookup") std::int32_t http_cache_lookup(const char*, std::int32_t);
NYBBLE_IMPORT("nybble:demo/http-cache@0.1.0", "[method]entry.step") void http_cache_entry_step(std::int32_t, void*);
NYBBLE_IMPORT("nybble:demo/http-cache@0.1.0", "[resource-drop]entry") void http_cache_entry_drop(std::int32_t);
}

// The return area of an option<u32> or option<own<pollable>>.
struct alignas(4) option_u32 {
  std::uint8_t is_some;
  std::uint8_t padding[3];
  std::uint32_t value;
};

} // namespace component_abi

namespace cache_adapter {

// The Host of nybble::lower_select and of module_abi, over the imports above.
class component_host {
public:
  using word = std::uint32_t;

  [[nodiscard]] word select(std::span<const word> pollables) {
    return static_cast<word>(
        component_abi::async_io_select(pollables.data(), static_cast<std::int32_t>(pollables.size())));
  }
  [[nodiscard]] std::optional<word> select(std::span<const word> pollables, std::uint32_t timeout_ms) {
    component_abi::option_u32 out{};
    component_abi::async_io_select_with_timeout(pollables.data(), static_cast<std::int32_t>(pollables.size()),
                                                static_cast<std::int32_t>(timeout_ms), &out);
    return out.is_some != 0 ? std::optional<word>{out.value} : std::nullopt;
  }
  [[nodiscard]] std::uint64_t now_ms() { return static_cast<std::uint64_t>(component_abi::async_io_now_ms()); }
  [[nodiscard]] bool is_ready(word pollable) {
    return component_abi::pollable_is_ready(static_cast<std::int32_t>(pollable)) != 0;
  }
  void drop_pollable(word pollable) { component_abi::pollable_drop(static_cast<std::int32_t>(pollable)); }

  [[nodiscard]] word subscribe(kinds::handle<cache_entry> h) {
    return static_cast<word>(component_abi::cache_entry_subscribe(static_cast<std::int32_t>(h.payload())));
  }
  [[nodiscard]] word subscribe(kinds::handle<replace_entry> h) {
    return static_cast<word>(component_abi::replace_entry_subscribe(static_cast<std::int32_t>(h.payload())));
  }
  [[nodiscard]] std::optional<word> step(kinds::handle<http_cache_entry> h) {
    component_abi::option_u32 out{};
    component_abi::http_cache_entry_step(static_cast<std::int32_t>(h.payload()), &out);
    return out.is_some != 0 ? std::optional<word>{out.value} : std::nullopt;
  }

  [[nodiscard]] kinds::handle<cache_entry> lookup(std::string_view key) {
    return wrap<cache_entry>(component_abi::cache_lookup(key.data(), static_cast<std::int32_t>(key.size())));
  }
  [[nodiscard]] kinds::handle<replace_entry> replace(std::string_view key) {
    return wrap<replace_entry>(component_abi::cache_replace(key.data(), static_cast<std::int32_t>(key.size())));
  }
  [[nodiscard]] kinds::handle<http_cache_entry> http_lookup(std::string_view key) {
    return wrap<http_cache_entry>(component_abi::http_cache_lookup(key.data(), static_cast<std::int32_t>(key.size())));
  }

  void drop(kinds::handle<cache_entry> h) { component_abi::cache_entry_drop(static_cast<std::int32_t>(h.payload())); }
  void drop(kinds::handle<replace_entry> h) {
    component_abi::replace_entry_drop(static_cast<std::int32_t>(h.payload()));
  }
  void drop(kinds::handle<http_cache_entry> h) {
    component_abi::http_cache_entry_drop(static_cast<std::int32_t>(h.payload()));
  }

  // A pollable of the guest's own (untagged: it needs no translation).
  [[nodiscard]] static word timer(std::uint32_t ms) {
    return static_cast<word>(component_abi::async_io_timer(static_cast<std::int32_t>(ms)));
  }

private:
  // The Canonical ABI never hands out an index that uses the tag bits; if a
  // runtime did, the guest gets the invalid sentinel rather than a wrong tag.
  template <class K>
  [[nodiscard]] static kinds::handle<K> wrap(std::int32_t index) {
    return kinds::handle<K>::from_payload(static_cast<word>(index)).value_or(kinds::handle<K>::null());
  }
};

static_assert(nybble::select_host<component_host, kinds>);
static_assert(nybble::is_ready_host<component_host, kinds>);

} // namespace cache_adapter

#endif
