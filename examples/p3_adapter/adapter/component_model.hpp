// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The Component Model's async built-ins, as wit-component (jco 1.35) names
// them for a core module, and what they answer: for every adapter module on
// WASI 0.3 (this example's, and ../../preview1_adapter's).
#ifndef COMPONENT_MODEL_BUILTINS_HPP
#define COMPONENT_MODEL_BUILTINS_HPP

#include <cstdint>

namespace component_model {

// The state an async-lowered call answers in its low four bits (`state |
// subtask << 4`): returned, with no subtask.
inline constexpr std::uint32_t subtask_returned = 2;
// What a stream or future read or write answers while it is in flight; done,
// it answers `status | count << 4`, and its end has an event when it completes.
inline constexpr std::uint32_t blocked = 0xFFFF'FFFFU;
inline constexpr std::uint32_t copy_completed = 0;
inline constexpr std::uint32_t copy_dropped = 1; // the other end is gone: no more
// waitable-set.wait and waitable-set.poll: what happened.
inline constexpr std::uint32_t event_none = 0;
inline constexpr std::uint32_t event_subtask = 1;
inline constexpr std::uint32_t event_stream_read = 2;

extern "C" {

// An event is written as {waitable, payload}.
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

} // namespace component_model

#endif
