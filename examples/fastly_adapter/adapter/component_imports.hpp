// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The fastly:compute@0.1.0 world, as the adapter module imports it: the calls
// on resources (resource_imports.hpp, shared with the WASI 0.3 mirror) and the
// calls that wait, WASI 0.2 style: pollables, each entry's step(), a select
// over pollables, and the monotonic clock. Lowered by hand to core signatures.
#ifndef FASTLY_ADAPTER_COMPONENT_IMPORTS_HPP
#define FASTLY_ADAPTER_COMPONENT_IMPORTS_HPP

#define FASTLY_COMPUTE_VERSION "0.1.0"
#include "resource_imports.hpp"

#include <cstdint>

namespace fastly_adapter::component {

// option<own<pollable>>: a discriminant byte, then the handle at offset 4.
struct option_handle {
  std::uint8_t is_some;
  std::uint32_t handle;
};
static_assert(sizeof(option_handle) == 8 && __builtin_offsetof(option_handle, handle) == 4);

// option<u32>.
struct option_u32 {
  std::uint8_t is_some;
  std::uint32_t value;
};

extern "C" {

// async-io
FASTLY_COMPUTE_IMPORT("async-io", "select")
std::uint32_t async_io_select(const std::uint32_t* handles, std::uint32_t count);
FASTLY_COMPUTE_IMPORT("async-io", "select-with-timeout")
void async_io_select_with_timeout(const std::uint32_t* handles, std::uint32_t count, std::uint32_t timeout_ms,
                                  option_u32* out);
FASTLY_COMPUTE_IMPORT("async-io", "[method]pollable.is-ready")
std::int32_t async_io_pollable_is_ready(std::uint32_t pollable);
FASTLY_COMPUTE_IMPORT("async-io", "[resource-drop]pollable") void async_io_pollable_drop(std::uint32_t pollable);

// Each entry's next step: a pollable, or none when every step is done.
FASTLY_COMPUTE_IMPORT("cache", "[method]entry.step") void cache_entry_step(std::uint32_t entry, option_handle* out);
FASTLY_COMPUTE_IMPORT("cache", "[method]replace-entry.step")
void cache_replace_entry_step(std::uint32_t entry, option_handle* out);
FASTLY_COMPUTE_IMPORT("http-cache", "[method]entry.step")
void http_cache_entry_step(std::uint32_t entry, option_handle* out);

// wasi:clocks/monotonic-clock
__attribute__((import_module("wasi:clocks/monotonic-clock@0.2.6"), import_name("now"))) std::uint64_t
monotonic_clock_now();

} // extern "C"

} // namespace fastly_adapter::component

#endif
