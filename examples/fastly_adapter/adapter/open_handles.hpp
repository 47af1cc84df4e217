// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The handles the adapter handed out and the guest has not closed: nybble's
// generation table (<nybble/generations.hpp>), one row per kind.
//
// A component runtime gives a closed handle's index to the next resource it
// makes, most recently freed first. Without a generation, the word a guest kept
// after closing a handle (a use after close, a double close on an error path)
// would name that next resource. With one, every word is checked against its
// slot: a closed handle's word is BADF in every call, with no host call, and
// the new handle works. A runtime numbers handles densely and reuses freed
// indices first, so a small table covers every handle a guest holds at once; a
// resource whose index falls outside it is refused when it is made.
//
// The table lives in the guest's memory, allocated on first use through the
// guest's own cabi_realloc (an adapter module has no memory of its own), and its
// address in a wasm global (state.s).
#ifndef FASTLY_ADAPTER_OPEN_HANDLES_HPP
#define FASTLY_ADAPTER_OPEN_HANDLES_HPP

#include "kinds.hpp"

#include <nybble.hpp>

#include <cstdint>
#include <span>

extern "C" {
// state.s
std::uint32_t fastly_adapter_open_table_address();
void fastly_adapter_set_open_table_address(std::uint32_t address);

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

// Table indices tracked per kind: 0 .. handle_capacity - 1.
constexpr std::uint32_t handle_capacity = 4096;

using generation_table = nybble::generation_table<kinds>;
constexpr std::uint32_t open_table_slots = generation_table::kinds_per_slot_row * handle_capacity;
constexpr std::uint32_t open_table_bytes = open_table_slots * sizeof(generation_table::slot_type);

// The table, allocated on first use. When the guest has no memory to give, a
// table of no slots: every word is stale and every new handle refused. Not
// inlined: a dozen exports ask for it, and the allocation is needed once.
[[nodiscard]] __attribute__((noinline)) inline generation_table open_handles() noexcept {
  if (fastly_adapter_open_table_address() == 0) {
    fastly_adapter_set_open_table_address(new_guest_table(open_table_bytes));
  }
  const std::uint32_t address = fastly_adapter_open_table_address();
  auto* slots = reinterpret_cast<generation_table::slot_type*>(static_cast<std::uintptr_t>(address));
  return generation_table{std::span{slots, address == 0 ? 0U : open_table_slots}};
}

} // namespace fastly_adapter

#endif
