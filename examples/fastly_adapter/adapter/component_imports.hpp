// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The component side, as the adapter module imports it: the functions of
// wit/adapter.wit lowered by the Canonical ABI to core signatures, written by
// hand. A function whose flattened results exceed one value writes them to a
// return area whose address it is given last; the structs below are those
// areas, laid out as the Canonical ABI lays out the WIT types.
#ifndef FASTLY_ADAPTER_COMPONENT_IMPORTS_HPP
#define FASTLY_ADAPTER_COMPONENT_IMPORTS_HPP

#include <cstdint>

namespace fastly_adapter::component {

// result<own<T>, error> and result<_, error>: a discriminant byte, then the case
// at the alignment of the widest one (error carries a u64 in buffer-len).
struct handle_or_error {
  union value_type {
    std::uint32_t handle; // ok: the new resource
    std::uint8_t error;   // error: which case of `error`
  };
  std::uint8_t is_error;
  alignas(8) value_type value;
  alignas(8) std::uint64_t buffer_len; // the payload of the error case buffer-len
};
static_assert(sizeof(handle_or_error) == 24 && alignof(handle_or_error) == 8);
static_assert(__builtin_offsetof(handle_or_error, value) == 8 && __builtin_offsetof(handle_or_error, buffer_len) == 16);

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

// A discriminant of option<T> or a bool, flattened to one i32.
inline constexpr std::int32_t none = 0;

extern "C" {

#define FASTLY_IMPORT(module, name) __attribute__((import_module(module), import_name(name)))

// fastly:compute/async-io
FASTLY_IMPORT("fastly:compute/async-io@0.1.0", "select")
std::uint32_t async_io_select(const std::uint32_t* handles, std::uint32_t count);
FASTLY_IMPORT("fastly:compute/async-io@0.1.0", "select-with-timeout")
void async_io_select_with_timeout(const std::uint32_t* handles, std::uint32_t count, std::uint32_t timeout_ms,
                                  option_u32* out);
FASTLY_IMPORT("fastly:compute/async-io@0.1.0", "[method]pollable.is-ready")
std::int32_t async_io_pollable_is_ready(std::uint32_t pollable);
FASTLY_IMPORT("fastly:compute/async-io@0.1.0", "[resource-drop]pollable")
void async_io_pollable_drop(std::uint32_t pollable);

// fastly:compute/http-body
FASTLY_IMPORT("fastly:compute/http-body@0.1.0", "new")
void http_body_new(handle_or_error* out);
FASTLY_IMPORT("fastly:compute/http-body@0.1.0", "close")
void http_body_close(std::uint32_t body, handle_or_error* out);

// fastly:compute/http-req
FASTLY_IMPORT("fastly:compute/http-req@0.1.0", "[static]request.new")
void http_req_request_new(handle_or_error* out);
FASTLY_IMPORT("fastly:compute/http-req@0.1.0", "close")
void http_req_close(std::uint32_t request, handle_or_error* out);

// fastly:compute/cache. lookup-options flattens to request-headers (option:
// two values), always-use-requested-range, extra (option: two values).
FASTLY_IMPORT("fastly:compute/cache@0.1.0", "[static]entry.lookup")
void cache_entry_lookup(const std::uint8_t* key, std::uint32_t key_len, std::int32_t request_headers_is_some,
                        std::uint32_t request_headers, std::int32_t always_use_requested_range,
                        std::int32_t extra_is_some, std::uint32_t extra, handle_or_error* out);
FASTLY_IMPORT("fastly:compute/cache@0.1.0", "[static]entry.transaction-lookup")
void cache_entry_transaction_lookup(const std::uint8_t* key, std::uint32_t key_len,
                                    std::int32_t request_headers_is_some, std::uint32_t request_headers,
                                    std::int32_t always_use_requested_range, std::int32_t extra_is_some,
                                    std::uint32_t extra, handle_or_error* out);
FASTLY_IMPORT("fastly:compute/cache@0.1.0", "[method]entry.step")
void cache_entry_step(std::uint32_t entry, option_handle* out);
// replace-options: request-headers (two), replace-strategy (option<enum>: two),
// always-use-requested-range, extra (two).
FASTLY_IMPORT("fastly:compute/cache@0.1.0", "[static]replace-entry.replace")
void cache_replace_entry_replace(const std::uint8_t* key, std::uint32_t key_len, std::int32_t request_headers_is_some,
                                 std::uint32_t request_headers, std::int32_t replace_strategy_is_some,
                                 std::int32_t replace_strategy, std::int32_t always_use_requested_range,
                                 std::int32_t extra_is_some, std::uint32_t extra, handle_or_error* out);
FASTLY_IMPORT("fastly:compute/cache@0.1.0", "[method]replace-entry.step")
void cache_replace_entry_step(std::uint32_t entry, option_handle* out);
FASTLY_IMPORT("fastly:compute/cache@0.1.0", "close-entry")
void cache_close_entry(std::uint32_t entry, handle_or_error* out);
FASTLY_IMPORT("fastly:compute/cache@0.1.0", "close-replace-entry")
void cache_close_replace_entry(std::uint32_t entry, handle_or_error* out);

// fastly:compute/http-cache. lookup-options flattens to override-key
// (option<list<u8>>: three values), backend (two), extra (two).
FASTLY_IMPORT("fastly:compute/http-cache@0.1.0", "[static]entry.transaction-lookup")
void http_cache_entry_transaction_lookup(std::uint32_t request, std::int32_t override_key_is_some,
                                         const std::uint8_t* override_key, std::uint32_t override_key_len,
                                         std::int32_t backend_is_some, std::uint32_t backend,
                                         std::int32_t extra_is_some, std::uint32_t extra, handle_or_error* out);
FASTLY_IMPORT("fastly:compute/http-cache@0.1.0", "[method]entry.step")
void http_cache_entry_step(std::uint32_t entry, option_handle* out);
FASTLY_IMPORT("fastly:compute/http-cache@0.1.0", "close-entry")
void http_cache_close_entry(std::uint32_t entry, handle_or_error* out);

// wasi:clocks/monotonic-clock
FASTLY_IMPORT("wasi:clocks/monotonic-clock@0.2.6", "now")
std::uint64_t monotonic_clock_now();

#undef FASTLY_IMPORT

} // extern "C"

} // namespace fastly_adapter::component

#endif
