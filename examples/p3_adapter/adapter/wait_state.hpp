// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// What the WASI 0.3 adapter keeps about each open handle between selects, so
// that nothing is lost when a wait is cancelled:
//  * `done`: where an entry's next-step writes its answer (every step done?).
//    An async call writes its result when it returns, which may be after the
//    call that started it has returned, so the place must outlive that call;
//  * `kept`: a completion the guest has not been told of. A select ends every
//    wait it started; a wait that had completed meanwhile (its cancellation
//    answers "returned") lost to another index, and the next select or
//    is_ready that names the handle answers it ready at once, then forgets it.
//
// The table lives in the guest's memory, allocated on first use as
// the table of open handles is (new_guest_table), and its address in a wasm global
// (state.s). It covers the indices that table covers, so every open handle
// has a slot.
#ifndef P3_ADAPTER_WAIT_STATE_HPP
#define P3_ADAPTER_WAIT_STATE_HPP

#include "../../fastly_adapter/adapter/kinds.hpp"
#include "../../fastly_adapter/adapter/open_handles.hpp"

#include <cstdint>

extern "C" {
// state.s
std::uint32_t p3_adapter_wait_state_address();
void p3_adapter_set_wait_state_address(std::uint32_t address);
}

namespace fastly_adapter {

struct wait_slot {
  std::uint8_t done; // written by next-step: true when every step is done
  std::uint8_t kept; // 1: a completion the guest has not been told of
};

class wait_state {
public:
  // The slot of an open handle, or nullptr when it has none (the table could
  // not be allocated: the caller then keeps nothing and asks the component).
  [[nodiscard]] static wait_slot* of(resource_type type, std::uint32_t index) noexcept {
    if (index >= handle_capacity || !allocated()) {
      return nullptr;
    }
    const std::uint32_t offset = (static_cast<std::uint32_t>(type) * handle_capacity + index) * sizeof(wait_slot);
    return reinterpret_cast<wait_slot*>(static_cast<std::uintptr_t>(p3_adapter_wait_state_address() + offset));
  }

  // A handle the guest closed: a handle later given the same index starts afresh.
  static void forget(resource_type type, std::uint32_t index) noexcept {
    // No table yet: nothing was kept. Tested before `of`, which would allocate one only to clear a slot.
    if (p3_adapter_wait_state_address() != 0) {
      if (wait_slot* slot = of(type, index)) {
        *slot = wait_slot{};
      }
    }
  }

private:
  static constexpr std::uint32_t types = 5;
  static constexpr std::uint32_t bytes = types * handle_capacity * sizeof(wait_slot);

  [[nodiscard]] static bool allocated() noexcept {
    if (p3_adapter_wait_state_address() == 0) {
      p3_adapter_set_wait_state_address(new_guest_table(bytes));
    }
    return p3_adapter_wait_state_address() != 0;
  }
};

} // namespace fastly_adapter

#endif
