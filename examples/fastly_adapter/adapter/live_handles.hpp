// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Which handles the adapter handed out are still open, per resource type.
//
// nybble's tag says which *kind* a word claims to be; it cannot say whether the
// resource is still alive. A component runtime traps on a handle it no longer
// has (a closed body passed to select, a cache entry closed twice), and a
// module-ABI guest expects BADF for those. So the adapter keeps one bit per
// (resource type, table index): set when it hands a handle out, cleared when it
// closes one. A runtime numbers each type's handles densely from 1 and reuses
// freed indices first, so a small table covers every handle a guest holds at
// once; a resource whose index falls outside it is refused when it is made.
//
// The table lives in the guest's memory, allocated on first use through the
// guest's own cabi_realloc (an adapter module has no memory of its own), and its
// address in a wasm global (state.s).
#ifndef FASTLY_ADAPTER_LIVE_HANDLES_HPP
#define FASTLY_ADAPTER_LIVE_HANDLES_HPP

#include "kinds.hpp"

#include <cstdint>

extern "C" {
// state.s
std::uint32_t fastly_adapter_live_table_address();
void fastly_adapter_set_live_table_address(std::uint32_t address);

__attribute__((import_module("__main_module__"), import_name("cabi_realloc"))) void*
fastly_adapter_main_realloc(void* old, std::uint32_t old_size, std::uint32_t align, std::uint32_t new_size);
}

namespace fastly_adapter {

// A table of `bytes` zeroed bytes in the guest's memory, from the guest's own
// cabi_realloc (an adapter module has no memory of its own); its address, or 0
// when the guest has none to give.
[[nodiscard]] inline std::uint32_t new_guest_table(std::uint32_t bytes) noexcept {
  void* table = fastly_adapter_main_realloc(nullptr, 0, 8, bytes);
  if (table == nullptr) {
    return 0;
  }
  __builtin_memset(table, 0, bytes); // memory.fill: the guest's allocator need not zero
  return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(table));
}

class live_handles {
public:
  // Table indices tracked per resource type: 0 .. capacity - 1.
  static constexpr std::uint32_t capacity = 4096;

  [[nodiscard]] static bool contains(resource_type type, std::uint32_t index) noexcept {
    const std::uint32_t table = fastly_adapter_live_table_address();
    if (table == 0 || index >= capacity || static_cast<std::uint32_t>(type) >= types) {
      return false; // no table yet, an index past it, or a type no handle is ever of
    }
    return (byte_of(table, type, index) >> (index % 8) & 1U) != 0;
  }

  // Marks a new handle open; false when the table cannot hold it (the caller
  // then disposes of the resource and refuses the call).
  [[nodiscard]] static bool insert(resource_type type, std::uint32_t index) noexcept {
    if (index >= capacity || !allocated()) {
      return false;
    }
    byte_of(fastly_adapter_live_table_address(), type, index) |= static_cast<std::uint8_t>(1U << (index % 8));
    return true;
  }

  static void erase(resource_type type, std::uint32_t index) noexcept {
    if (contains(type, index)) {
      byte_of(fastly_adapter_live_table_address(), type, index) &= static_cast<std::uint8_t>(~(1U << (index % 8)));
    }
  }

private:
  static constexpr std::uint32_t bytes_per_type = capacity / 8;
  static constexpr std::uint32_t types = 5;

  [[nodiscard]] static std::uint8_t& byte_of(std::uint32_t table, resource_type type, std::uint32_t index) noexcept {
    const std::uint32_t offset = static_cast<std::uint32_t>(type) * bytes_per_type + index / 8;
    return *reinterpret_cast<std::uint8_t*>(static_cast<std::uintptr_t>(table + offset));
  }

  [[nodiscard]] static bool allocated() noexcept {
    if (fastly_adapter_live_table_address() == 0) {
      fastly_adapter_set_live_table_address(new_guest_table(types * bytes_per_type));
    }
    return fastly_adapter_live_table_address() != 0;
  }
};

} // namespace fastly_adapter

#endif
