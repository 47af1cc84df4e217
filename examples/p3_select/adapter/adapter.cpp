// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// An adapter module over a WASI 0.3 world (wit/adapter.wit): a module ABI
// whose select takes any handle, on top of a component with no pollables,
// where every wait is an async call in flight. nybble lowers select onto one
// waitable set (its async wait model); wit-component fuses this module with a
// separately compiled guest:
//
//   jco new GUEST.wasm --adapt wasi_snapshot_preview1=p3_adapter.wasm
//
// Handles: entries are tagged (kind 1, nybble's canonical layout), bodies are
// untagged. A word is passed to the component only when it names an open
// handle of the type its tag says; anything else is BADF with no host call.
#include "../../fastly_adapter/adapter/status.hpp"

#include <nybble.hpp>

#include <cstdint>
#include <optional>
#include <span>

#define P3_IMPORT(module, name) __attribute__((import_module(module), import_name(name)))
#define P3_EXPORT(name) extern "C" __attribute__((export_name(name)))

extern "C" {
// nybble:p3-select/resources, as the Canonical ABI lowers it (async-lowered
// calls answer state | subtask << 4; state 2 is "returned", with no subtask).
P3_IMPORT("nybble:p3-select/resources@0.1.0", "[constructor]entry")
std::uint32_t component_entry_new(std::uint32_t first_ms, std::uint32_t second_ms);
P3_IMPORT("nybble:p3-select/resources@0.1.0", "[async-lower][method]entry.next-step")
std::uint32_t component_entry_next_step(std::uint32_t entry, std::uint8_t* done_out);
P3_IMPORT("nybble:p3-select/resources@0.1.0", "[resource-drop]entry")
void component_entry_drop(std::uint32_t entry);
P3_IMPORT("nybble:p3-select/resources@0.1.0", "[constructor]body")
std::uint32_t component_body_new(std::uint32_t ready_ms);
P3_IMPORT("nybble:p3-select/resources@0.1.0", "[async-lower][method]body.ready")
std::uint32_t component_body_ready(std::uint32_t body);
P3_IMPORT("nybble:p3-select/resources@0.1.0", "[resource-drop]body")
void component_body_drop(std::uint32_t body);
P3_IMPORT("wasi:clocks/monotonic-clock@0.3.0", "[async-lower]wait-for")
std::uint32_t component_wait_for(std::uint64_t nanoseconds);

// The Component Model's built-ins.
P3_IMPORT("$root", "[waitable-set-new]") std::uint32_t waitable_set_new();
P3_IMPORT("$root", "[waitable-join]") void waitable_join(std::uint32_t waitable, std::uint32_t set);
P3_IMPORT("$root", "[waitable-set-wait]") std::uint32_t waitable_set_wait(std::uint32_t set, std::uint32_t* event);
P3_IMPORT("$root", "[waitable-set-poll]") std::uint32_t waitable_set_poll(std::uint32_t set, std::uint32_t* event);
P3_IMPORT("$root", "[waitable-set-drop]") void waitable_set_drop(std::uint32_t set);
P3_IMPORT("$root", "[subtask-cancel]") std::uint32_t subtask_cancel(std::uint32_t subtask);
P3_IMPORT("$root", "[subtask-drop]") void subtask_drop(std::uint32_t subtask);

P3_IMPORT("__main_module__", "cabi_realloc")
void* main_realloc(void* old, std::uint32_t old_size, std::uint32_t align, std::uint32_t new_size);

// state.s
std::uint32_t p3_adapter_table_address();
void p3_adapter_set_table_address(std::uint32_t address);
std::uint32_t p3_adapter_last_event_waitable();
void p3_adapter_set_last_event_waitable(std::uint32_t waitable);
}

namespace p3_adapter {

struct entry : nybble::kind<1> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, entry>;
using layout = kinds::layout_type;

// The statuses are fastly_status's, as the Fastly adapter answers them.
using fastly_adapter::code;
using fastly_adapter::status;
using fastly_adapter::status_of;

constexpr std::uint32_t max_select_handles = 64;

// The adapter's table, in the guest's memory (allocated on first use): for
// each resource type (body 0, entry 1) and table index below `capacity`, four
// bytes: open, the result an entry's next-step writes, and whether the handle
// is known to be ready (a completion kept for the next select: nothing lost).
class table {
public:
  static constexpr std::uint32_t capacity = 256;
  enum field : std::uint32_t { open = 0, step_result = 1, ready = 2 };

  // The slot of (type, index), or nullptr when it cannot be kept.
  [[nodiscard]] static std::uint8_t* slot(std::uint32_t type, std::uint32_t index) noexcept {
    if (type > 1 || index >= capacity || !allocated()) {
      return nullptr;
    }
    return reinterpret_cast<std::uint8_t*>(
        static_cast<std::uintptr_t>(p3_adapter_table_address() + (type * capacity + index) * 4U));
  }
  [[nodiscard]] static bool is_open(std::uint32_t type, std::uint32_t index) noexcept {
    const std::uint8_t* s = p3_adapter_table_address() == 0 ? nullptr : slot(type, index);
    return s != nullptr && s[open] != 0;
  }

private:
  [[nodiscard]] static bool allocated() noexcept {
    if (p3_adapter_table_address() != 0) {
      return true;
    }
    void* memory = main_realloc(nullptr, 0, 8, 2 * capacity * 4);
    if (memory == nullptr) {
      return false;
    }
    __builtin_memset(memory, 0, 2 * capacity * 4);
    p3_adapter_set_table_address(static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(memory)));
    return true;
  }
};

constexpr std::uint32_t body_type = 0;
constexpr std::uint32_t entry_type = 1;
constexpr std::uint32_t returned = 2; // a subtask's state: returned
constexpr std::uint32_t no_event = 0; // waitable-set.poll: nothing ready
constexpr std::uint32_t subtask_event = 1;

// Ends a subtask the lowering is done with, and answers whether it returned.
// Its event may have been taken (the waitable the last wait or poll answered):
// it has returned. Otherwise it is cancelled, which answers "returned" when it
// had: its result is then written and kept by the caller.
[[nodiscard]] bool end_subtask(std::uint32_t subtask) noexcept {
  bool has_returned = true;
  if (subtask == p3_adapter_last_event_waitable()) {
    p3_adapter_set_last_event_waitable(0);
  } else {
    has_returned = subtask_cancel(subtask) == returned;
  }
  subtask_drop(subtask);
  return has_returned;
}

// nybble's view of the component: a host of waitable sets.
struct component_host {
  [[nodiscard]] std::uint32_t new_waitable_set() const noexcept { return waitable_set_new(); }
  void join(std::uint32_t waitable, std::uint32_t set) const noexcept { waitable_join(waitable, set); }
  // An event counts when a subtask has returned: a subtask also reports that it
  // started (state 1), which is progress, not an answer.
  [[nodiscard]] std::uint32_t wait(std::uint32_t set) const noexcept {
    std::uint32_t event[2] = {0, 0}; // {waitable, payload}
    while (waitable_set_wait(set, event) == subtask_event && event[1] != returned) {
    }
    p3_adapter_set_last_event_waitable(event[0]);
    return event[0];
  }
  [[nodiscard]] std::optional<std::uint32_t> poll(std::uint32_t set) const noexcept {
    std::uint32_t event[2] = {0, 0};
    std::uint32_t kind = waitable_set_poll(set, event);
    while (kind == subtask_event && event[1] != returned) {
      kind = waitable_set_poll(set, event);
    }
    if (kind == no_event) {
      return std::nullopt;
    }
    p3_adapter_set_last_event_waitable(event[0]);
    return event[0];
  }
  void drop_waitable_set(std::uint32_t set) const noexcept { waitable_set_drop(set); }
  // A clock wait of ms > 0 is in flight when this returns (the lowering polls
  // for a zero timeout instead).
  [[nodiscard]] std::uint32_t start_timeout(std::uint32_t ms) const noexcept {
    return component_wait_for(std::uint64_t{ms} * 1'000'000U) >> 4;
  }
  void end_timeout(std::uint32_t subtask) const noexcept { static_cast<void>(end_subtask(subtask)); }

  // A body: ready completes when it is; once ready it stays ready.
  [[nodiscard]] std::optional<std::uint32_t> start_wait(kinds::handle<nybble::untagged> h) const noexcept {
    std::uint8_t* s = table::slot(body_type, h.payload());
    if (s == nullptr || s[table::ready] != 0) {
      return std::nullopt;
    }
    const std::uint32_t state = component_body_ready(h.payload());
    if ((state & 0xFU) == returned) {
      s[table::ready] = 1;
      return std::nullopt;
    }
    return state >> 4;
  }
  [[nodiscard]] bool end_wait(kinds::handle<nybble::untagged> h, std::uint32_t subtask) const noexcept {
    std::uint8_t* s = table::slot(body_type, h.payload());
    const bool has_returned = end_subtask(subtask);
    if (s == nullptr) {
      return true;
    }
    if (has_returned) {
      s[table::ready] = 1;
    }
    return s[table::ready] != 0;
  }

  // An entry: next-step completes when the next step is ready and answers
  // whether every step is then done; a step that is ready at once is passed.
  [[nodiscard]] std::optional<std::uint32_t> start_wait(kinds::handle<entry> h) const noexcept {
    std::uint8_t* s = table::slot(entry_type, h.payload());
    while (s != nullptr && s[table::ready] == 0) {
      const std::uint32_t state = component_entry_next_step(h.payload(), &s[table::step_result]);
      if ((state & 0xFU) != returned) {
        return state >> 4;
      }
      s[table::ready] = s[table::step_result];
    }
    return std::nullopt;
  }
  [[nodiscard]] bool end_wait(kinds::handle<entry> h, std::uint32_t subtask) const noexcept {
    std::uint8_t* s = table::slot(entry_type, h.payload());
    const bool has_returned = end_subtask(subtask);
    if (s == nullptr) {
      return true;
    }
    if (has_returned && s[table::step_result] != 0) {
      s[table::ready] = 1;
    }
    return s[table::ready] != 0;
  }
};
static_assert(nybble::select_host<component_host, kinds> && nybble::is_ready_host<component_host, kinds>);
static_assert(nybble::wait_model_of<component_host, entry, layout> == nybble::wait_model::start);

// Whether a guest word names an open handle of the type its tag says (tag 0:
// a body, tag 1: an entry). The rest of the checks are nybble's.
[[nodiscard]] bool names_open_handle(std::uint32_t word) noexcept {
  const std::uintmax_t tag = layout::tag_of(word);
  return tag <= 1 && table::is_open(static_cast<std::uint32_t>(tag), layout::payload_of(word));
}

[[nodiscard]] std::uint32_t hand_out(std::uint32_t type, std::uint32_t index, std::uint32_t word,
                                     std::uint32_t* out) noexcept {
  std::uint8_t* s = table::slot(type, index);
  if (s == nullptr || !layout::fits_payload(index)) {
    if (type == entry_type) {
      component_entry_drop(index);
    } else {
      component_body_drop(index);
    }
    return code(status::limit_exceeded);
  }
  s[table::open] = 1;
  s[table::step_result] = 0;
  s[table::ready] = 0;
  *out = word;
  return code(status::ok);
}

// --- The module ABI: the exports ---------------------------------------------------

P3_EXPORT("p3#entry_new")
std::uint32_t p3_entry_new(std::uint32_t first_ms, std::uint32_t second_ms, std::uint32_t* out) {
  const std::uint32_t index = component_entry_new(first_ms, second_ms);
  const auto h = kinds::handle<entry>::from_payload(index);
  return hand_out(entry_type, index, h ? h->to_abi() : 0, out);
}

P3_EXPORT("p3#body_new") std::uint32_t p3_body_new(std::uint32_t ready_ms, std::uint32_t* out) {
  const std::uint32_t index = component_body_new(ready_ms);
  return hand_out(body_type, index, index, out);
}

P3_EXPORT("p3#select")
std::uint32_t p3_select(const std::uint32_t* handles, std::uint32_t count, std::uint32_t timeout_ms,
                        std::uint32_t* ready_out) {
  if (count > max_select_handles) {
    return code(status::inval);
  }
  const std::span<const std::uint32_t> list{handles, count};
  for (const std::uint32_t word : list) {
    if (!names_open_handle(word)) {
      return code(status::badf);
    }
  }
  component_host host;
  nybble::inline_scratch<max_select_handles, kinds> scratch;
  const auto outcome = nybble::lower_select<kinds>(list, nybble::timeout::from_witx(timeout_ms), host, scratch);
  if (!outcome) {
    return status_of(outcome.error());
  }
  *ready_out = outcome->to_witx();
  return code(status::ok);
}

P3_EXPORT("p3#is_ready") std::uint32_t p3_is_ready(std::uint32_t handle, std::uint32_t* ready_out) {
  if (!names_open_handle(handle)) {
    return code(status::badf);
  }
  component_host host;
  const auto ready = nybble::lower_is_ready<kinds>(handle, host);
  if (!ready) {
    return status_of(ready.error());
  }
  *ready_out = *ready ? 1U : 0U;
  return code(status::ok);
}

P3_EXPORT("p3#close") std::uint32_t p3_close(std::uint32_t handle) {
  if (!names_open_handle(handle)) {
    return code(status::badf);
  }
  const auto type = static_cast<std::uint32_t>(layout::tag_of(handle));
  const std::uint32_t index = layout::payload_of(handle);
  table::slot(type, index)[table::open] = 0;
  if (type == entry_type) {
    component_entry_drop(index);
  } else {
    component_body_drop(index);
  }
  return code(status::ok);
}

} // namespace p3_adapter
