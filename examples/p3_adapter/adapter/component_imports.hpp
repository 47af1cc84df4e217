// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The WASI 0.3 mirror of the fastly:compute world (wit/adapter.wit), as the
// adapter module imports it: the calls on resources, shared with the 0.2
// adapter (resource_imports.hpp), and the calls that wait, which are async:
// an async-lowered call answers `state | subtask << 4`, where state 2 means it
// returned already and made no subtask. Then the Component Model's built-ins
// for waiting on subtasks, as wit-component (jco 1.35) names them.
#ifndef P3_ADAPTER_COMPONENT_IMPORTS_HPP
#define P3_ADAPTER_COMPONENT_IMPORTS_HPP

#define FASTLY_COMPUTE_VERSION "0.1.0-p3"
#include "../../fastly_adapter/adapter/resource_imports.hpp"

#include <cstdint>

namespace fastly_adapter::component {

// The state an async-lowered call answers in its low four bits.
inline constexpr std::uint32_t subtask_returned = 2;
// waitable-set.wait and waitable-set.poll: what happened.
inline constexpr std::uint32_t event_none = 0;
inline constexpr std::uint32_t event_subtask = 1;

extern "C" {

// Completes when the body is ready.
FASTLY_COMPUTE_IMPORT("http-body", "[async-lower][method]body.ready") std::uint32_t http_body_ready(std::uint32_t body);
// Each entry's next step: completes when it is ready, writing whether every
// step is then done (a bool: one byte) to `done`.
FASTLY_COMPUTE_IMPORT("cache", "[async-lower][method]entry.next-step")
std::uint32_t cache_entry_next_step(std::uint32_t entry, std::uint8_t* done);
FASTLY_COMPUTE_IMPORT("cache", "[async-lower][method]replace-entry.next-step")
std::uint32_t cache_replace_entry_next_step(std::uint32_t entry, std::uint8_t* done);
FASTLY_COMPUTE_IMPORT("http-cache", "[async-lower][method]entry.next-step")
std::uint32_t http_cache_entry_next_step(std::uint32_t entry, std::uint8_t* done);

// wasi:clocks/monotonic-clock@0.3.0 wait-for(how-long: duration, in nanoseconds)
__attribute__((import_module("wasi:clocks/monotonic-clock@0.3.0"), import_name("[async-lower]wait-for"))) std::uint32_t
monotonic_clock_wait_for(std::uint64_t nanoseconds);

// The Component Model's built-ins. An event is written as {waitable, payload}.
#define COMPONENT_BUILTIN(name) __attribute__((import_module("$root"), import_name(name)))
COMPONENT_BUILTIN("[waitable-set-new]") std::uint32_t waitable_set_new();
COMPONENT_BUILTIN("[waitable-join]") void waitable_join(std::uint32_t waitable, std::uint32_t set);
COMPONENT_BUILTIN("[waitable-set-wait]") std::uint32_t waitable_set_wait(std::uint32_t set, std::uint32_t* event);
COMPONENT_BUILTIN("[waitable-set-poll]") std::uint32_t waitable_set_poll(std::uint32_t set, std::uint32_t* event);
COMPONENT_BUILTIN("[waitable-set-drop]") void waitable_set_drop(std::uint32_t set);
COMPONENT_BUILTIN("[subtask-cancel]") std::uint32_t subtask_cancel(std::uint32_t subtask);
COMPONENT_BUILTIN("[subtask-drop]") void subtask_drop(std::uint32_t subtask);
#undef COMPONENT_BUILTIN

} // extern "C"

} // namespace fastly_adapter::component

#endif
