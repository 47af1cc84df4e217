// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The adapter's state: one page of the guest's memory, taken from the guest's
// allocator when wasi:cli/run starts (an adapter module has no memory of its
// own and no data section), its address in a wasm global (state.s). It holds
// the three stdio descriptors and an arena for the lists the component
// answers (arguments, environment), which cabi_import_realloc hands out;
// a list the caller has room for (the bytes of a read, the indices of a poll)
// goes straight there instead.
#ifndef PREVIEW1_ADAPTER_STATE_HPP
#define PREVIEW1_ADAPTER_STATE_HPP

#include "kinds.hpp"

#include <cstdint>

extern "C" {
std::uint32_t preview1_adapter_state_address();
void preview1_adapter_set_state_address(std::uint32_t address);

// The guest's entry point, which the adapter's wasi:cli/run calls.
__attribute__((import_module("__main_module__"), import_name("_start"))) void preview1_adapter_guest_start();
// The guest's allocator, or wit-component's page allocator when it has none:
// the adapter's one page of state comes from it.
__attribute__((import_module("__main_module__"), import_name("cabi_realloc"))) void*
preview1_adapter_guest_realloc(void* old, std::uint32_t old_size, std::uint32_t align, std::uint32_t new_size);
}

namespace preview1_adapter {

// list<T> as an import answers it: where the host put it, and how many elements.
struct list_view {
  std::uint32_t address;
  std::uint32_t count;
};

struct descriptor {
  std::uint32_t stream;       // the component's handle
  std::uint32_t open;         // 0 once the guest closed it
  std::uint64_t write_permit; // output streams: what the last check-write allowed
};

// What a world keeps besides (its own struct, in these bytes): a world that
// keeps something defines PREVIEW1_ADAPTER_WORLD_BYTES before this header.
#ifndef PREVIEW1_ADAPTER_WORLD_BYTES
#  define PREVIEW1_ADAPTER_WORLD_BYTES 8
#endif

struct adapter_state {
  descriptor stdio[stdio_descriptors];
  std::uint32_t destination;       // where the next list an import answers goes, or 0: the arena
  std::uint32_t destination_bytes; // how much it holds
  std::uint32_t arena_used;
  alignas(8) std::uint8_t world[PREVIEW1_ADAPTER_WORLD_BYTES];
};

constexpr std::uint32_t state_page_bytes = 65536;
constexpr std::uint32_t arena_offset = (sizeof(adapter_state) + 15U) & ~15U;
constexpr std::uint32_t arena_bytes = state_page_bytes - arena_offset;

[[nodiscard]] inline adapter_state& state() noexcept {
  return *reinterpret_cast<adapter_state*>(preview1_adapter_state_address()); // NOLINT: memory the guest gave
}

// The descriptor fd names, if it is an open stdio stream of kind K's side.
[[nodiscard]] inline descriptor* open_descriptor(std::uint32_t fd) noexcept {
  if (fd >= stdio_descriptors || state().stdio[fd].open == 0) {
    return nullptr;
  }
  return &state().stdio[fd];
}

// An address in the guest's memory (which is the adapter's: wasm32), as the ABI passes it.
[[nodiscard]] inline std::uint32_t address_of(const void* p) noexcept {
  return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(p));
}

// The next list an import answers goes to [address, address + bytes) if it
// fits, else to the arena; the arena starts empty for each call.
inline void answer_lists_into(std::uint32_t address, std::uint32_t bytes) noexcept {
  state().destination = address;
  state().destination_bytes = bytes;
  state().arena_used = 0;
}

// The list an import answers, in the arena: call(&list) makes the import's call.
template <class Call>
[[nodiscard]] list_view list_in_arena(Call call) noexcept {
  answer_lists_into(0, 0);
  list_view out{};
  call(&out);
  return out;
}

// The bytes of a list an import answered after answer_lists_into(into, len):
// at most len of them, at `into` (copied there if the host put them in the
// arena instead). Answers how many.
[[nodiscard]] inline std::uint32_t take_bytes(const list_view& list, std::uint8_t* into, std::uint32_t len) noexcept {
  const std::uint32_t count = list.count < len ? list.count : len;
  const auto* from = reinterpret_cast<const std::uint8_t*>(list.address); // NOLINT: the host's list
  if (from != into && count != 0) {
    __builtin_memcpy(into, from, count);
  }
  return count;
}

} // namespace preview1_adapter

#endif
