// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The WASI 0.3.0 interfaces the preview1 adapter imports for a 0.3 host
// (wasi:cli, wasi:clocks, wasi:random), lowered by hand to core signatures as
// wit-component (jco 1.35, legacy mangling) names them. There is no wasi:io:
// stdio are streams the adapter reads and writes, and every wait is an async
// call in flight or a stream end, joined to a waitable set, through the
// Component Model's built-ins (component_model.hpp, shared with the Fastly
// adapter on WASI 0.3, with what they and async calls answer).
#ifndef PREVIEW1_ADAPTER_P3_WASI_IMPORTS_HPP
#define PREVIEW1_ADAPTER_P3_WASI_IMPORTS_HPP

#include "../../../p3_adapter/adapter/component_model.hpp"
#include "../state.hpp"

#include <cstdint>

#define PREVIEW1_WASI_P3_IMPORT(interface, name)                                                                       \
  __attribute__((import_module("wasi:" interface "@0.3.0"), import_name(name)))

namespace preview1_adapter::wasi {

using namespace component_model; // the built-ins, and what they answer

// wasi:clocks/system-clock instant.
struct instant {
  std::int64_t seconds;
  std::uint32_t nanoseconds;
};
static_assert(sizeof(instant) == 16);

// read-via-stream's answer: tuple<stream<u8>, future<result<_, error-code>>>.
struct stream_and_future {
  std::uint32_t stream;
  std::uint32_t future;
};

// future<result<_, error-code>>'s value: the result's case, then the error-code.
struct unit_or_error_code {
  std::uint8_t is_error;
  std::uint8_t error_code;
};

extern "C" {

// wasi:cli
PREVIEW1_WASI_P3_IMPORT("cli/environment", "get-arguments") void get_arguments(list_view* out);
PREVIEW1_WASI_P3_IMPORT("cli/environment", "get-environment") void get_environment(list_view* out);
[[noreturn]] PREVIEW1_WASI_P3_IMPORT("cli/exit", "exit-with-code") void cli_exit_with_code(std::uint32_t code);

PREVIEW1_WASI_P3_IMPORT("cli/stdin", "read-via-stream") void stdin_read_via_stream(stream_and_future* out);
PREVIEW1_WASI_P3_IMPORT("cli/stdin", "[async-lower][stream-read-0]read-via-stream")
std::uint32_t stdin_stream_read(std::uint32_t readable, std::uint8_t* into, std::uint32_t len);
PREVIEW1_WASI_P3_IMPORT("cli/stdin", "[stream-cancel-read-0]read-via-stream")
std::uint32_t stdin_stream_cancel_read(std::uint32_t readable);
PREVIEW1_WASI_P3_IMPORT("cli/stdin", "[stream-drop-readable-0]read-via-stream")
void stdin_stream_drop(std::uint32_t readable);
PREVIEW1_WASI_P3_IMPORT("cli/stdin", "[future-drop-readable-1]read-via-stream")
void stdin_future_drop(std::uint32_t readable);

// stdout and stderr alike: a stream per write, handed over, written, its end
// dropped, and the future of the write read.
#define PREVIEW1_WASI_P3_OUTPUT(interface, prefix)                                                                     \
  PREVIEW1_WASI_P3_IMPORT(interface, "[stream-new-0]write-via-stream") std::uint64_t prefix##_stream_new();            \
  PREVIEW1_WASI_P3_IMPORT(interface, "write-via-stream") std::uint32_t prefix##_write_via_stream(std::uint32_t data);  \
  PREVIEW1_WASI_P3_IMPORT(interface, "[async-lower][stream-write-0]write-via-stream")                                  \
  std::uint32_t prefix##_stream_write(std::uint32_t writable, const std::uint8_t* bytes, std::uint32_t len);           \
  PREVIEW1_WASI_P3_IMPORT(interface, "[stream-drop-writable-0]write-via-stream")                                       \
  void prefix##_stream_drop(std::uint32_t writable);                                                                   \
  PREVIEW1_WASI_P3_IMPORT(interface, "[async-lower][future-read-1]write-via-stream")                                   \
  std::uint32_t prefix##_future_read(std::uint32_t readable, unit_or_error_code* into);                                \
  PREVIEW1_WASI_P3_IMPORT(interface, "[future-drop-readable-1]write-via-stream")                                       \
  void prefix##_future_drop(std::uint32_t readable);
PREVIEW1_WASI_P3_OUTPUT("cli/stdout", stdout)
PREVIEW1_WASI_P3_OUTPUT("cli/stderr", stderr)
#undef PREVIEW1_WASI_P3_OUTPUT

// wasi:random
PREVIEW1_WASI_P3_IMPORT("random/random", "get-random-bytes") void get_random_bytes(std::uint64_t len, list_view* out);

// wasi:clocks
PREVIEW1_WASI_P3_IMPORT("clocks/monotonic-clock", "now") std::uint64_t monotonic_now();
PREVIEW1_WASI_P3_IMPORT("clocks/monotonic-clock", "get-resolution") std::uint64_t monotonic_resolution();
PREVIEW1_WASI_P3_IMPORT("clocks/monotonic-clock", "[async-lower]wait-for")
std::uint32_t monotonic_wait_for(std::uint64_t ns);
PREVIEW1_WASI_P3_IMPORT("clocks/system-clock", "now") void system_now(instant* out);
PREVIEW1_WASI_P3_IMPORT("clocks/system-clock", "get-resolution") std::uint64_t system_resolution();

} // extern "C"

} // namespace preview1_adapter::wasi

#endif
