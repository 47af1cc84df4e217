// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The component calls that make, look up and close resources, as the adapter
// module imports them: the functions of wit/adapter.wit lowered by the
// Canonical ABI to core signatures, written by hand. They are the same in the
// fastly:compute world and in its WASI 0.3 mirror (examples/p3_adapter), whose
// interfaces differ only in how a resource is waited on. Each world's
// component_imports.hpp names its interfaces' version (FASTLY_COMPUTE_VERSION),
// includes this, and declares the calls that wait.
//
// A function whose flattened results exceed one value writes them to a return
// area whose address it is given last; the structs below are those areas, laid
// out as the Canonical ABI lays out the WIT types.
#ifndef FASTLY_ADAPTER_RESOURCE_IMPORTS_HPP
#define FASTLY_ADAPTER_RESOURCE_IMPORTS_HPP

#include <cstdint>

#ifndef FASTLY_COMPUTE_VERSION
#  error "include the world's component_imports.hpp: it names the version of its interfaces (FASTLY_COMPUTE_VERSION)"
#endif

// An import from interface NAME of the world's fastly:compute package.
#define FASTLY_COMPUTE_IMPORT(interface, name)                                                                         \
  __attribute__((import_module("fastly:compute/" interface "@" FASTLY_COMPUTE_VERSION), import_name(name)))

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

// A discriminant of option<T> or a bool, flattened to one i32.
inline constexpr std::int32_t none = 0;

extern "C" {

// http-body
FASTLY_COMPUTE_IMPORT("http-body", "new") void http_body_new(handle_or_error* out);
FASTLY_COMPUTE_IMPORT("http-body", "close") void http_body_close(std::uint32_t body, handle_or_error* out);

// http-req
FASTLY_COMPUTE_IMPORT("http-req", "[static]request.new") void http_req_request_new(handle_or_error* out);
FASTLY_COMPUTE_IMPORT("http-req", "close") void http_req_close(std::uint32_t request, handle_or_error* out);

// cache. lookup-options flattens to request-headers (option: two values),
// always-use-requested-range, extra (option: two values).
FASTLY_COMPUTE_IMPORT("cache", "[static]entry.lookup")
void cache_entry_lookup(const std::uint8_t* key, std::uint32_t key_len, std::int32_t request_headers_is_some,
                        std::uint32_t request_headers, std::int32_t always_use_requested_range,
                        std::int32_t extra_is_some, std::uint32_t extra, handle_or_error* out);
FASTLY_COMPUTE_IMPORT("cache", "[static]entry.transaction-lookup")
void cache_entry_transaction_lookup(const std::uint8_t* key, std::uint32_t key_len,
                                    std::int32_t request_headers_is_some, std::uint32_t request_headers,
                                    std::int32_t always_use_requested_range, std::int32_t extra_is_some,
                                    std::uint32_t extra, handle_or_error* out);
// replace-options: request-headers (two), replace-strategy (option<enum>: two),
// always-use-requested-range, extra (two).
FASTLY_COMPUTE_IMPORT("cache", "[static]replace-entry.replace")
void cache_replace_entry_replace(const std::uint8_t* key, std::uint32_t key_len, std::int32_t request_headers_is_some,
                                 std::uint32_t request_headers, std::int32_t replace_strategy_is_some,
                                 std::int32_t replace_strategy, std::int32_t always_use_requested_range,
                                 std::int32_t extra_is_some, std::uint32_t extra, handle_or_error* out);
FASTLY_COMPUTE_IMPORT("cache", "close-entry") void cache_close_entry(std::uint32_t entry, handle_or_error* out);
FASTLY_COMPUTE_IMPORT("cache", "close-replace-entry")
void cache_close_replace_entry(std::uint32_t entry, handle_or_error* out);

// http-cache. lookup-options flattens to override-key (option<list<u8>>: three
// values), backend (two), extra (two).
FASTLY_COMPUTE_IMPORT("http-cache", "[static]entry.transaction-lookup")
void http_cache_entry_transaction_lookup(std::uint32_t request, std::int32_t override_key_is_some,
                                         const std::uint8_t* override_key, std::uint32_t override_key_len,
                                         std::int32_t backend_is_some, std::uint32_t backend,
                                         std::int32_t extra_is_some, std::uint32_t extra, handle_or_error* out);
FASTLY_COMPUTE_IMPORT("http-cache", "close-entry")
void http_cache_close_entry(std::uint32_t entry, handle_or_error* out);

} // extern "C"

} // namespace fastly_adapter::component

#endif
