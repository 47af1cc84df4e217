// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The WASI 0.3 mirror of the fastly:compute world (wit/adapter.wit), as the
// adapter module imports it: the calls on resources, shared with the 0.2
// adapter (resource_imports.hpp), and the calls that wait, which are async:
// an async-lowered call answers `state | subtask << 4`, where state 2 means it
// returned already and made no subtask. The Component Model's built-ins for
// waiting on them are component_model.hpp's.
#ifndef P3_ADAPTER_COMPONENT_IMPORTS_HPP
#define P3_ADAPTER_COMPONENT_IMPORTS_HPP

#define FASTLY_COMPUTE_VERSION "0.1.0-p3"
#include "../../fastly_adapter/adapter/resource_imports.hpp"

#include "component_model.hpp"

#include <cstdint>

namespace fastly_adapter::component {

using namespace component_model; // the built-ins, and what they answer

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

} // extern "C"

} // namespace fastly_adapter::component

#endif
