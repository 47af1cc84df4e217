// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A guest written against Fastly's module ABI, compiled on its own: it knows
// nothing of nybble or of the component model. Its imports are the module-ABI
// functions under the names wit-component's adapters use (module
// `wasi_snapshot_preview1`, name `MODULE#FUNCTION`); `jco new --adapt` fuses it
// with the adapter module that exports them. Its exports (wit/guest.wit) let a
// test call each function and see the status and the value it got.
#include <cstddef>
#include <cstdint>

using u32 = std::uint32_t;

extern "C" {
#define MODULE_ABI(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(name)))
MODULE_ABI("fastly_http_body#new") u32 fastly_http_body_new(u32* body_out);
MODULE_ABI("fastly_http_req#new") u32 fastly_http_req_new(u32* request_out);
MODULE_ABI("fastly_cache#lookup")
u32 fastly_cache_lookup(const std::uint8_t* key, u32 key_len, u32 options_mask, const void* options, u32* out);
MODULE_ABI("fastly_cache#transaction_lookup")
u32 fastly_cache_transaction_lookup(const std::uint8_t* key, u32 key_len, u32 options_mask, const void* options,
                                    u32* out);
MODULE_ABI("fastly_cache#replace")
u32 fastly_cache_replace(const std::uint8_t* key, u32 key_len, u32 options_mask, const void* options, u32* out);
MODULE_ABI("fastly_cache#close") u32 fastly_cache_close(u32 handle);
MODULE_ABI("fastly_http_cache#lookup")
u32 fastly_http_cache_lookup(u32 request, u32 options_mask, const void* options, u32* out);
MODULE_ABI("fastly_http_cache#transaction_lookup")
u32 fastly_http_cache_transaction_lookup(u32 request, u32 options_mask, const void* options, u32* out);
MODULE_ABI("fastly_http_cache#close") u32 fastly_http_cache_close(u32 handle);
MODULE_ABI("fastly_http_body#close") u32 fastly_http_body_close(u32 handle);
MODULE_ABI("fastly_http_req#close") u32 fastly_http_req_close(u32 handle);
MODULE_ABI("fastly_async_io#select")
u32 fastly_async_io_select(const u32* handles, u32 count, u32 timeout_ms, u32* out);
MODULE_ABI("fastly_async_io#is_ready") u32 fastly_async_io_is_ready(u32 handle, u32* out);
#undef MODULE_ABI
}

namespace {

// The options records are never read: every call here passes an options mask
// that the adapter checks first.
struct options_area {
  std::uint8_t bytes[32];
};
options_area unused_options{};

// Where an export's tuple<u32, u32> answer is returned.
struct answer {
  u32 status;
  u32 value;
};
answer last_answer{};

answer* respond(u32 status, u32 value) {
  last_answer = answer{status, value};
  return &last_answer;
}

// Memory for the lists the component passes in: a bump allocator over pages of
// its own, grown with memory.grow. It never assumes a page it did not grow is
// free, since the adapter's stack is placed in this memory too.
std::uintptr_t next_free = 0;
std::uintptr_t region_end = 0;

} // namespace

extern "C" __attribute__((export_name("cabi_realloc"))) void* cabi_realloc(void* old, std::size_t old_size,
                                                                           std::size_t align, std::size_t new_size) {
  constexpr std::size_t page = 65536;
  std::uintptr_t start = (next_free + align - 1) & ~static_cast<std::uintptr_t>(align - 1);
  if (start + new_size > region_end || next_free == 0) {
    const std::size_t pages = (new_size + align + page - 1) / page;
    const std::size_t first = __builtin_wasm_memory_grow(0, pages);
    if (first == static_cast<std::size_t>(-1)) {
      __builtin_trap();
    }
    next_free = first * page;
    region_end = next_free + pages * page;
    start = (next_free + align - 1) & ~static_cast<std::uintptr_t>(align - 1);
  }
  next_free = start + new_size;
  auto* fresh = reinterpret_cast<std::uint8_t*>(start);
  const auto* previous = static_cast<const std::uint8_t*>(old);
  for (std::size_t i = 0; old != nullptr && i < old_size && i < new_size; ++i) {
    fresh[i] = previous[i];
  }
  return fresh;
}

#define GUEST_EXPORT(name) extern "C" __attribute__((export_name(name)))

GUEST_EXPORT("body-new") answer* body_new() {
  u32 body = 0;
  const u32 status = fastly_http_body_new(&body);
  return respond(status, body);
}

GUEST_EXPORT("req-new") answer* req_new() {
  u32 request = 0;
  const u32 status = fastly_http_req_new(&request);
  return respond(status, request);
}

GUEST_EXPORT("cache-lookup") answer* cache_lookup(const std::uint8_t* key, u32 key_len, u32 options_mask) {
  u32 entry = 0;
  const u32 status = fastly_cache_lookup(key, key_len, options_mask, &unused_options, &entry);
  return respond(status, entry);
}

GUEST_EXPORT("cache-transaction-lookup")
answer* cache_transaction_lookup(const std::uint8_t* key, u32 key_len, u32 options_mask) {
  u32 entry = 0;
  const u32 status = fastly_cache_transaction_lookup(key, key_len, options_mask, &unused_options, &entry);
  return respond(status, entry);
}

GUEST_EXPORT("cache-replace") answer* cache_replace(const std::uint8_t* key, u32 key_len, u32 options_mask) {
  u32 entry = 0;
  const u32 status = fastly_cache_replace(key, key_len, options_mask, &unused_options, &entry);
  return respond(status, entry);
}

GUEST_EXPORT("http-cache-lookup") answer* http_cache_lookup(u32 request, u32 options_mask) {
  u32 entry = 0;
  const u32 status = fastly_http_cache_lookup(request, options_mask, &unused_options, &entry);
  return respond(status, entry);
}

GUEST_EXPORT("http-cache-transaction-lookup") answer* http_cache_transaction_lookup(u32 request, u32 options_mask) {
  u32 entry = 0;
  const u32 status = fastly_http_cache_transaction_lookup(request, options_mask, &unused_options, &entry);
  return respond(status, entry);
}

GUEST_EXPORT("select") answer* select(const u32* handles, u32 count, u32 timeout_ms) {
  u32 ready = 0;
  const u32 status = fastly_async_io_select(handles, count, timeout_ms, &ready);
  return respond(status, ready);
}

GUEST_EXPORT("select-repeatedly") answer* select_repeatedly(const u32* handles, u32 count, u32 timeout_ms, u32 times) {
  u32 ready = 0;
  u32 status = 0;
  for (u32 i = 0; i < times; ++i) {
    status = fastly_async_io_select(handles, count, timeout_ms, &ready);
  }
  return respond(status, ready);
}

GUEST_EXPORT("is-ready") answer* is_ready(u32 handle) {
  u32 done = 0;
  const u32 status = fastly_async_io_is_ready(handle, &done);
  return respond(status, done);
}

GUEST_EXPORT("cache-close") u32 cache_close(u32 handle) { return fastly_cache_close(handle); }
GUEST_EXPORT("http-cache-close") u32 http_cache_close(u32 handle) { return fastly_http_cache_close(handle); }
GUEST_EXPORT("body-close") u32 body_close(u32 handle) { return fastly_http_body_close(handle); }
GUEST_EXPORT("req-close") u32 req_close(u32 handle) { return fastly_http_req_close(handle); }
