// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The WASI 0.2 world behind the preview1 exports: the host nybble lowers
// poll_oneoff onto (pollables: an input stream is subscribed, an output stream
// is stepped through check-write, so that one with room is ready without a
// pollable, and every clock entry shares one subscribe-duration), and the
// stream, clock, argument and exit calls the other exports make.
#ifndef PREVIEW1_ADAPTER_COMPONENT_HOST_HPP
#define PREVIEW1_ADAPTER_COMPONENT_HOST_HPP

#include "kinds.hpp"
#include "state.hpp"
#include "wasi_imports.hpp"

#include <nybble.hpp>

#include <cstdint>
#include <optional>
#include <span>

// The export of wasi:cli/run in this world.
#define PREVIEW1_ADAPTER_RUN_EXPORT "wasi:cli/run@0.2.12#run"

namespace preview1_adapter {

// preview1's clock ids.
constexpr std::uint32_t realtime_clock = 0;
constexpr std::uint32_t monotonic_clock = 1;
constexpr std::uint64_t ns_per_s = 1'000'000'000U;

namespace world {

// A stream error the component answered: its error resource is dropped.
inline void forget(const wasi::stream_error& e) noexcept {
  if (e.is_closed == 0) {
    wasi::drop_error(e.error);
  }
}

inline void open_stdio() noexcept {
  adapter_state& s = state();
  s.stdio[0] = descriptor{wasi::get_stdin(), 1, 0};
  s.stdio[1] = descriptor{wasi::get_stdout(), 1, 0};
  s.stdio[2] = descriptor{wasi::get_stderr(), 1, 0};
}

inline void close_stream(std::uint32_t fd, const descriptor& d) noexcept {
  if (fd == 0) {
    wasi::drop_input_stream(d.stream);
  } else {
    wasi::drop_output_stream(d.stream);
  }
}

[[nodiscard]] inline std::uint64_t realtime_now() noexcept {
  wasi::datetime t{};
  wasi::wall_now(&t);
  return t.seconds * ns_per_s + t.nanoseconds;
}
[[nodiscard]] inline std::uint64_t realtime_resolution() noexcept {
  wasi::datetime t{};
  wasi::wall_resolution(&t);
  return t.seconds * ns_per_s + t.nanoseconds;
}
[[nodiscard]] inline std::uint64_t monotonic_now() noexcept { return wasi::monotonic_now(); }
[[nodiscard]] inline std::uint64_t monotonic_resolution() noexcept { return wasi::monotonic_resolution(); }

enum class stream_status : std::uint8_t { ok, closed, failed };
struct read_outcome {
  stream_status status;
  std::uint32_t count;
};

// Blocks until stdin has bytes (at most len of them, written to `into`) or ends.
[[nodiscard]] inline read_outcome read_stdin(const descriptor& d, std::uint8_t* into, std::uint32_t len) noexcept {
  answer_lists_into(address_of(into), len);
  wasi::bytes_or_stream_error out{};
  wasi::input_stream_blocking_read(d.stream, len, &out);
  if (out.is_error != 0) {
    forget(out.value.error);
    return {out.value.error.is_closed != 0 ? stream_status::closed : stream_status::failed, 0};
  }
  return {stream_status::ok, take_bytes(out.value.bytes, into, len)};
}

// What an fd_read event reports: a WASI 0.2 input stream does not say how much
// it holds, so at least a byte.
[[nodiscard]] inline std::uint64_t readable_bytes() noexcept { return 1; }

// Writes every byte to stdout (1) or stderr (2), in the chunks
// blocking-write-and-flush takes.
[[nodiscard]] inline stream_status write_all(std::uint32_t /*fd*/, const descriptor& d, const std::uint8_t* bytes,
                                             std::uint32_t len) noexcept {
  constexpr std::uint32_t chunk = 4096; // blocking-write-and-flush writes at most this much at once
  for (std::uint32_t done = 0; done < len;) {
    const std::uint32_t n = len - done < chunk ? len - done : chunk;
    wasi::unit_or_stream_error out{};
    wasi::output_stream_blocking_write_and_flush(d.stream, bytes + done, n, &out);
    if (out.is_error != 0) {
      forget(out.error);
      return out.error.is_closed != 0 ? stream_status::closed : stream_status::failed;
    }
    done += n;
  }
  return stream_status::ok;
}

// wasi:cli/environment's lists, in the arena.
[[nodiscard]] inline list_view arguments() noexcept {
  return list_in_arena([](list_view* out) { wasi::get_arguments(out); });
}
[[nodiscard]] inline list_view environment() noexcept {
  return list_in_arena([](list_view* out) { wasi::get_environment(out); });
}

// len random bytes, written to `into`.
inline void random_bytes(std::uint8_t* into, std::uint32_t len) noexcept {
  answer_lists_into(address_of(into), len);
  list_view out{};
  wasi::get_random_bytes(len, &out);
  static_cast<void>(take_bytes(out, into, len));
}

// WASI 0.2's exit has no code: success or failure (exit-with-code is not
// stable in 0.2).
[[noreturn]] inline void exit(std::uint32_t code) noexcept { wasi::cli_exit(code == 0 ? 0U : 1U); }

// The program returned: the stdio streams the adapter still holds go.
inline void finish() noexcept {
  for (std::uint32_t fd = 0; fd < stdio_descriptors; ++fd) {
    if (state().stdio[fd].open != 0) {
      close_stream(fd, state().stdio[fd]);
      state().stdio[fd].open = 0;
    }
  }
}

} // namespace world

// nybble's view of the world for poll_oneoff.
struct component_host {
  std::size_t poll(std::span<const std::uint32_t> pollables, std::span<std::uint32_t> ready) const noexcept {
    answer_lists_into(address_of(ready.data()), static_cast<std::uint32_t>(ready.size_bytes()));
    list_view out{};
    wasi::io_poll(pollables.data(), static_cast<std::uint32_t>(pollables.size()), &out);
    const auto* indices = reinterpret_cast<const std::uint32_t*>(out.address); // NOLINT: the host's list
    if (indices != ready.data()) {
      for (std::uint32_t i = 0; i < out.count && i < ready.size(); ++i) {
        ready[i] = indices[i];
      }
    }
    return out.count; // lower_poll refuses a count past the list
  }
  void drop_pollable(std::uint32_t pollable) const noexcept { wasi::drop_pollable(pollable); }
  // A wait on one pollable: no list to lower, no list of indices to answer.
  void block(std::uint32_t pollable) const noexcept { wasi::pollable_block(pollable); }
  [[nodiscard]] bool is_ready(std::uint32_t pollable) const noexcept { return wasi::pollable_ready(pollable) != 0; }

  // How long until an absolute deadline, on the clock it names (lower_poll
  // asks only for absolute ones; poll_oneoff refuses other clock ids first).
  [[nodiscard]] std::uint64_t ns_until(nybble::deadline d) const noexcept {
    const std::uint64_t now = d.clock == realtime_clock ? world::realtime_now() : world::monotonic_now();
    return d.ns > now ? d.ns - now : 0;
  }
  [[nodiscard]] std::uint32_t subscribe_duration(std::uint64_t ns) const noexcept {
    return wasi::monotonic_subscribe_duration(ns);
  }

  [[nodiscard]] std::uint32_t subscribe(kinds::handle<input_stream> h) const noexcept {
    return wasi::input_stream_subscribe(h.payload());
  }
  // An output stream with room to write is ready now (the room is kept for
  // the event's nbytes); one without is waited on through its pollable, and
  // stepped again when that fires. One that failed or closed is ready too: a
  // write would answer at once.
  [[nodiscard]] std::optional<std::uint32_t> step(kinds::handle<output_stream> h) const noexcept {
    wasi::u64_or_stream_error out{};
    wasi::output_stream_check_write(h.payload(), &out);
    std::uint64_t permit = 0;
    if (out.is_error != 0) {
      world::forget(out.value.error);
    } else if (out.value.permit == 0) {
      return wasi::output_stream_subscribe(h.payload());
    } else {
      permit = out.value.permit;
    }
    for (std::uint32_t fd = 1; fd < stdio_descriptors; ++fd) { // the output streams
      if (state().stdio[fd].stream == h.payload()) {
        state().stdio[fd].write_permit = permit;
      }
    }
    return std::nullopt;
  }
};
static_assert(nybble::poll_host<component_host, kinds>);
static_assert(nybble::wait_model_of<component_host, input_stream, layout> == nybble::wait_model::subscribe);
static_assert(nybble::wait_model_of<component_host, output_stream, layout> == nybble::wait_model::step);

} // namespace preview1_adapter

#endif
