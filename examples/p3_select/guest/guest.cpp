// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// A guest written against a module ABI: every handle a u32. Its imports are
// the adapter's exports; each of its exports calls one of them.
#include <cstdint>

using u32 = std::uint32_t;
#define IMPORT(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(name)))
#define EXPORT(name) extern "C" __attribute__((export_name(name)))

extern "C" {

IMPORT("p3#entry_new") u32 p3_entry_new(u32 first_ms, u32 second_ms, u32* out);
IMPORT("p3#body_new") u32 p3_body_new(u32 ready_ms, u32* out);
IMPORT("p3#select") u32 p3_select(const u32* handles, u32 count, u32 timeout_ms, u32* ready_out);
IMPORT("p3#is_ready") u32 p3_is_ready(u32 handle, u32* ready_out);
IMPORT("p3#close") u32 p3_close(u32 handle);
}

namespace {
u32 answer[2];
unsigned char heap[1 << 16];
u32 heap_top;
} // namespace

EXPORT("cabi_realloc") void* cabi_realloc(void* /*old*/, u32 /*old_size*/, u32 align, u32 new_size) {
  heap_top = (heap_top + align - 1) & ~(align - 1);
  if (heap_top + new_size > sizeof heap) {
    heap_top = 0; // a ring: the guest never keeps what it was given past one call
  }
  void* p = heap + heap_top;
  heap_top += new_size;
  return p;
}

EXPORT("entry-new") u32* entry_new(u32 first_ms, u32 second_ms) {
  answer[0] = p3_entry_new(first_ms, second_ms, &answer[1]);
  return answer;
}
EXPORT("body-new") u32* body_new(u32 ready_ms) {
  answer[0] = p3_body_new(ready_ms, &answer[1]);
  return answer;
}
EXPORT("select") u32* select(const u32* handles, u32 count, u32 timeout_ms) {
  answer[1] = 0;
  answer[0] = p3_select(handles, count, timeout_ms, &answer[1]);
  return answer;
}
EXPORT("select-repeatedly") u32* select_repeatedly(const u32* handles, u32 count, u32 timeout_ms, u32 times) {
  for (u32 i = 0; i < times; ++i) {
    answer[1] = 0;
    answer[0] = p3_select(handles, count, timeout_ms, &answer[1]);
    if (answer[0] != 0) {
      break;
    }
  }
  return answer;
}
EXPORT("is-ready") u32* is_ready(u32 handle) {
  answer[1] = 0;
  answer[0] = p3_is_ready(handle, &answer[1]);
  return answer;
}
EXPORT("close") u32 close_handle(u32 handle) { return p3_close(handle); }
