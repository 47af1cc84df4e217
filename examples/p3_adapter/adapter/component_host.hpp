// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// nybble's view of the WASI 0.3 mirror of the fastly:compute component: a
// host of waitable sets (nybble's async wait model). Nothing is a pollable;
// a wait on a handle is an async call in flight (a subtask): a body's `ready`,
// an entry's `next-step`. nybble joins them, and the timeout's `wait-for`, to
// one waitable set, waits, and maps the event back to the guest's index.
//
// Every wait nybble starts, it ends (end_wait): the subtask whose event the
// last wait or poll took has returned and is dropped; any other is cancelled
// first, and a cancellation that answers "returned" means the wait completed
// while another index won. That completion is kept (wait_state.hpp) and the
// next select or is_ready naming the handle answers it at once: nothing lost.
#ifndef P3_ADAPTER_COMPONENT_HOST_HPP
#define P3_ADAPTER_COMPONENT_HOST_HPP

#include "../../fastly_adapter/adapter/kinds.hpp"
#include "component_imports.hpp"
#include "wait_state.hpp"

#include <nybble.hpp>

#include <cstdint>
#include <optional>
#include <type_traits>

extern "C" {
// state.s
std::uint32_t p3_adapter_last_event_waitable();
void p3_adapter_set_last_event_waitable(std::uint32_t waitable);
}

namespace fastly_adapter {

template <class K>
inline constexpr bool no_next_step_for = false;

// The async call that waits for an entry's next step, by kind. Every tagged kind
// must be listed: one that is not is a compile error.
template <class K>
[[nodiscard]] std::uint32_t start_next_step(std::uint32_t entry, std::uint8_t* done) noexcept {
  if constexpr (std::is_same_v<K, cache_entry>) {
    return component::cache_entry_next_step(entry, done);
  } else if constexpr (std::is_same_v<K, replace_entry>) {
    return component::cache_replace_entry_next_step(entry, done);
  } else if constexpr (std::is_same_v<K, http_cache_entry>) {
    return component::http_cache_entry_next_step(entry, done);
  } else {
    static_assert(no_next_step_for<K>, "p3 adapter: this kind has no next-step call; list it here.");
    return 0;
  }
}

struct component_host {
  [[nodiscard]] std::uint32_t new_waitable_set() const noexcept { return component::waitable_set_new(); }
  void join(std::uint32_t waitable, std::uint32_t set) const noexcept { component::waitable_join(waitable, set); }

  [[nodiscard]] std::uint32_t wait(std::uint32_t set) const noexcept {
    return take_answer([set](std::uint32_t* event) { return component::waitable_set_wait(set, event); }).waitable;
  }
  [[nodiscard]] std::optional<std::uint32_t> poll(std::uint32_t set) const noexcept {
    const event_record event =
        take_answer([set](std::uint32_t* event) { return component::waitable_set_poll(set, event); });
    if (event.code == component::event_none) {
      return std::nullopt;
    }
    return event.waitable;
  }
  void drop_waitable_set(std::uint32_t set) const noexcept { component::waitable_set_drop(set); }

  // The timeout: one wait-for in the select's set (nybble polls for a zero
  // timeout instead). A clock wait cannot return before its time has passed,
  // so one that returned at once is started again rather than lost.
  [[nodiscard]] std::uint32_t start_timeout(std::uint32_t milliseconds) const noexcept {
    std::uint32_t state = component::subtask_returned;
    while ((state & state_mask) == component::subtask_returned) {
      state = component::monotonic_clock_wait_for(std::uint64_t{milliseconds} * 1'000'000U);
    }
    return state >> 4;
  }
  void end_timeout(std::uint32_t subtask) const noexcept { static_cast<void>(end_subtask(subtask)); }

  // A body: ready now if a completion was kept for it, or if `ready` returns at
  // once; otherwise its subtask.
  [[nodiscard]] nybble::result<std::optional<std::uint32_t>>
  start_wait(kinds::handle<nybble::untagged> body) const noexcept {
    wait_slot* slot = wait_state::of(resource_type::body, body.payload());
    if (slot == nullptr) {
      return nybble::errc::capacity_exceeded; // no place to keep a completion: asks nothing
    }
    if (take_kept(*slot)) {
      return std::optional<std::uint32_t>{};
    }
    const std::uint32_t state = component::http_body_ready(body.payload());
    if ((state & state_mask) == component::subtask_returned) {
      return std::optional<std::uint32_t>{};
    }
    return std::optional<std::uint32_t>{state >> 4};
  }
  [[nodiscard]] bool end_wait(kinds::handle<nybble::untagged> body, std::uint32_t subtask) const noexcept {
    const ended how = end_subtask(subtask);
    if (how == ended::lost_returned) {
      keep(resource_type::body, body.payload());
    }
    return how != ended::cancelled;
  }

  // An entry: next-step completes when the next step is ready and writes
  // whether every step is then done; a step ready at once is passed here.
  template <class K>
  [[nodiscard]] nybble::result<std::optional<std::uint32_t>> start_wait(kinds::handle<K> entry) const noexcept {
    wait_slot* slot = wait_state::of(resource_type_of<K>(), entry.payload());
    if (slot == nullptr) {
      return nybble::errc::capacity_exceeded;
    }
    if (take_kept(*slot)) {
      return std::optional<std::uint32_t>{};
    }
    for (;;) {
      slot->done = 0;
      const std::uint32_t state = start_next_step<K>(entry.payload(), &slot->done);
      if ((state & state_mask) != component::subtask_returned) {
        return std::optional<std::uint32_t>{state >> 4};
      }
      if (slot->done != 0) {
        return std::optional<std::uint32_t>{};
      }
    }
  }
  template <class K>
  [[nodiscard]] bool end_wait(kinds::handle<K> entry, std::uint32_t subtask) const noexcept {
    const ended how = end_subtask(subtask);
    wait_slot* slot = wait_state::of(resource_type_of<K>(), entry.payload());
    const bool done = how != ended::cancelled && slot != nullptr && slot->done != 0;
    if (done && how == ended::lost_returned) {
      slot->kept = 1;
    }
    return done; // a step that returned but left more to go: nybble starts the next
  }

  // A handle the guest closes: its kept completion goes with it.
  static void forget(resource_type type, std::uint32_t index) noexcept { wait_state::forget(type, index); }

private:
  static constexpr std::uint32_t state_mask = 0xF;

  // {waitable, payload}, as waitable-set.wait and poll write an event, and the
  // event's code, which they answer.
  struct event_record {
    std::uint32_t waitable;
    std::uint32_t payload;
    std::uint32_t code;
  };
  static_assert(__builtin_offsetof(event_record, payload) == 4);

  // Takes events with `take` (a wait or a poll of the set) until one answers
  // something, and remembers its waitable as the one whose event was taken. A
  // subtask also reports that it started (payload 1, under jco); only its
  // return (payload 2) answers anything, so the rest are passed.
  template <class Take>
  [[nodiscard]] static event_record take_answer(Take take) noexcept {
    event_record event{};
    do {
      event.code = take(&event.waitable);
    } while (event.code == component::event_subtask && event.payload != component::subtask_returned);
    if (event.code != component::event_none) {
      p3_adapter_set_last_event_waitable(event.waitable);
    }
    return event;
  }

  enum class ended : std::uint8_t {
    fired,         // its event was taken: it returned, and the guest is told
    lost_returned, // cancelled, but it had returned: a completion to keep
    cancelled,     // cancelled before it returned
  };
  // Ends a subtask nybble is done with: dropped if its event was taken, else
  // cancelled first (never one whose event was delivered: the runtime traps).
  [[nodiscard]] static ended end_subtask(std::uint32_t subtask) noexcept {
    ended how = ended::fired;
    if (subtask == p3_adapter_last_event_waitable()) {
      p3_adapter_set_last_event_waitable(0);
    } else {
      how = component::subtask_cancel(subtask) == component::subtask_returned ? ended::lost_returned : ended::cancelled;
    }
    component::subtask_drop(subtask);
    return how;
  }
  [[nodiscard]] static bool take_kept(wait_slot& slot) noexcept {
    const bool kept = slot.kept != 0;
    slot.kept = 0;
    return kept;
  }
  static void keep(resource_type type, std::uint32_t index) noexcept {
    if (wait_slot* slot = wait_state::of(type, index)) {
      slot->kept = 1;
    }
  }
};
static_assert(nybble::select_host<component_host, kinds> && nybble::is_ready_host<component_host, kinds>);
static_assert(nybble::wait_model_of<component_host, nybble::untagged, layout> == nybble::wait_model::start);
static_assert(nybble::wait_model_of<component_host, cache_entry, layout> == nybble::wait_model::start);
static_assert(nybble::wait_model_of<component_host, replace_entry, layout> == nybble::wait_model::start);
static_assert(nybble::wait_model_of<component_host, http_cache_entry, layout> == nybble::wait_model::start);

} // namespace fastly_adapter

#endif
