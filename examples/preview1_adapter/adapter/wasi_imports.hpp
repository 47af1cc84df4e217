// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The WASI 0.2 interfaces the preview1 adapter imports (wasi:cli, wasi:io,
// wasi:clocks at 0.2.12, the version wasmtime's adapter as jco 1.35 bundles it
// imports, so that one host serves both), lowered by hand to core signatures.
// A call that answers a list writes it where the adapter's cabi_import_realloc
// says (state.hpp).
#ifndef PREVIEW1_ADAPTER_WASI_IMPORTS_HPP
#define PREVIEW1_ADAPTER_WASI_IMPORTS_HPP

#include "state.hpp"

#include <cstdint>

#define PREVIEW1_WASI_IMPORT(interface, name)                                                                          \
  __attribute__((import_module("wasi:" interface "@0.2.12"), import_name(name)))

namespace preview1_adapter::wasi {

// variant stream-error { last-operation-failed(own<error>), closed }.
struct stream_error {
  std::uint8_t is_closed; // 0: last-operation-failed, with `error` to drop
  std::uint32_t error;
};

// result<list<u8>, stream-error>
struct bytes_or_stream_error {
  std::uint8_t is_error;
  union {
    preview1_adapter::list_view bytes;
    stream_error error;
  } value;
};
static_assert(sizeof(bytes_or_stream_error) == 12 && __builtin_offsetof(bytes_or_stream_error, value) == 4);

// result<u64, stream-error>
struct u64_or_stream_error {
  std::uint8_t is_error;
  union {
    std::uint64_t permit;
    stream_error error;
  } value;
};
static_assert(sizeof(u64_or_stream_error) == 16 && __builtin_offsetof(u64_or_stream_error, value) == 8);

// result<_, stream-error>
struct unit_or_stream_error {
  std::uint8_t is_error;
  stream_error error;
};
static_assert(sizeof(unit_or_stream_error) == 12 && __builtin_offsetof(unit_or_stream_error, error) == 4);

// wasi:clocks/wall-clock datetime.
struct datetime {
  std::uint64_t seconds;
  std::uint32_t nanoseconds;
};
static_assert(sizeof(datetime) == 16);

extern "C" {

// wasi:cli
PREVIEW1_WASI_IMPORT("cli/environment", "get-arguments") void get_arguments(preview1_adapter::list_view* out);
PREVIEW1_WASI_IMPORT("cli/environment", "get-environment") void get_environment(preview1_adapter::list_view* out);
[[noreturn]] PREVIEW1_WASI_IMPORT("cli/exit", "exit") void cli_exit(std::uint32_t is_error);
PREVIEW1_WASI_IMPORT("cli/stdin", "get-stdin") std::uint32_t get_stdin();
PREVIEW1_WASI_IMPORT("cli/stdout", "get-stdout") std::uint32_t get_stdout();
PREVIEW1_WASI_IMPORT("cli/stderr", "get-stderr") std::uint32_t get_stderr();

// wasi:io
PREVIEW1_WASI_IMPORT("io/poll", "poll")
void io_poll(const std::uint32_t* pollables, std::uint32_t count, preview1_adapter::list_view* out);
PREVIEW1_WASI_IMPORT("io/poll", "[method]pollable.ready") std::int32_t pollable_ready(std::uint32_t pollable);
PREVIEW1_WASI_IMPORT("io/poll", "[method]pollable.block") void pollable_block(std::uint32_t pollable);
PREVIEW1_WASI_IMPORT("io/poll", "[resource-drop]pollable") void drop_pollable(std::uint32_t pollable);
PREVIEW1_WASI_IMPORT("io/error", "[resource-drop]error") void drop_error(std::uint32_t error);
PREVIEW1_WASI_IMPORT("io/streams", "[method]input-stream.blocking-read")
void input_stream_blocking_read(std::uint32_t stream, std::uint64_t len, bytes_or_stream_error* out);
PREVIEW1_WASI_IMPORT("io/streams", "[method]input-stream.subscribe")
std::uint32_t input_stream_subscribe(std::uint32_t stream);
PREVIEW1_WASI_IMPORT("io/streams", "[resource-drop]input-stream") void drop_input_stream(std::uint32_t stream);
PREVIEW1_WASI_IMPORT("io/streams", "[method]output-stream.check-write")
void output_stream_check_write(std::uint32_t stream, u64_or_stream_error* out);
PREVIEW1_WASI_IMPORT("io/streams", "[method]output-stream.blocking-write-and-flush")
void output_stream_blocking_write_and_flush(std::uint32_t stream, const std::uint8_t* bytes, std::uint32_t count,
                                            unit_or_stream_error* out);
PREVIEW1_WASI_IMPORT("io/streams", "[method]output-stream.subscribe")
std::uint32_t output_stream_subscribe(std::uint32_t stream);
PREVIEW1_WASI_IMPORT("io/streams", "[resource-drop]output-stream") void drop_output_stream(std::uint32_t stream);

// wasi:random
PREVIEW1_WASI_IMPORT("random/random", "get-random-bytes")
void get_random_bytes(std::uint64_t len, preview1_adapter::list_view* out);

// wasi:clocks
PREVIEW1_WASI_IMPORT("clocks/monotonic-clock", "now") std::uint64_t monotonic_now();
PREVIEW1_WASI_IMPORT("clocks/monotonic-clock", "resolution") std::uint64_t monotonic_resolution();
PREVIEW1_WASI_IMPORT("clocks/monotonic-clock", "subscribe-duration")
std::uint32_t monotonic_subscribe_duration(std::uint64_t ns);
PREVIEW1_WASI_IMPORT("clocks/wall-clock", "now") void wall_now(datetime* out);
PREVIEW1_WASI_IMPORT("clocks/wall-clock", "resolution") void wall_resolution(datetime* out);

} // extern "C"

} // namespace preview1_adapter::wasi

#endif
