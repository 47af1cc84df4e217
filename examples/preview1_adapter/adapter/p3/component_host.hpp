// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The WASI 0.3 world behind the preview1 exports: the host nybble lowers
// poll_oneoff onto (waitable sets: every wait is a stream end or an async call
// in flight, joined to one set with the clock's wait-for), and the stream,
// clock, argument and exit calls the other exports make.
//
// stdin is one stream<u8> for the instance (read-via-stream, when run starts).
// A read of it goes into the adapter's buffer, and one is kept in flight
// whenever the buffer is empty (from the start, and after fd_read empties it),
// so that bytes that came while the program did something else are ready when
// it polls. A poll waits on the stream end; a read still pending when the poll
// returns stays in flight for the next poll or fd_read (nothing read is lost),
// and the event that ends it says how many bytes came, which the fd_read event
// reports. stdout and
// stderr take a stream per write (stream-new, write-via-stream, the bytes, the
// end dropped, the write's future read): fd_write returns once the host has
// taken every byte, so the two descriptors' output keeps the order the program
// wrote it in. A write never waits for room, so their poll events are ready at
// once.
#ifndef PREVIEW1_ADAPTER_P3_COMPONENT_HOST_HPP
#define PREVIEW1_ADAPTER_P3_COMPONENT_HOST_HPP

#include <cstdint>

namespace preview1_adapter {
inline constexpr std::uint32_t stdin_buffer_bytes = 4096;

// What this world keeps in the adapter's page (state.hpp).
struct world_state {
  std::uint32_t stdin_stream;   // the readable end, or 0 once dropped
  std::uint32_t stdin_future;   // its future, or 0 once dropped
  std::uint32_t read_in_flight; // 1 while a read into `buffer` is pending
  std::uint32_t buffered;       // bytes in `buffer` not taken yet, from `taken` on
  std::uint32_t taken;
  std::uint32_t stdin_ended;         // the stream said it has no more
  std::uint32_t last_event_waitable; // the subtask whose return event was taken last
  std::uint8_t buffer[stdin_buffer_bytes];
};
} // namespace preview1_adapter

#define PREVIEW1_ADAPTER_WORLD_BYTES sizeof(preview1_adapter::world_state)
#define PREVIEW1_ADAPTER_RUN_EXPORT "wasi:cli/run@0.3.0#run"

#include "../kinds.hpp"
#include "../state.hpp"
#include "wasi_imports.hpp"

#include <nybble.hpp>

#include <optional>

namespace preview1_adapter {

constexpr std::uint32_t realtime_clock = 0;
constexpr std::uint32_t monotonic_clock = 1;
constexpr std::uint64_t ns_per_s = 1'000'000'000U;
// What a write event reports as room: a write never waits here; this is the
// room the WASI 0.2 world's stdio gives, so that both worlds answer alike.
constexpr std::uint64_t write_room = 4096;

[[nodiscard]] inline world_state& p3_state() noexcept {
  return *reinterpret_cast<world_state*>(state().world); // NOLINT: the page's world bytes hold it
}

namespace world {

// {waitable, payload}, as waitable-set.wait and poll write an event, and its code.
struct event_record {
  std::uint32_t waitable;
  std::uint32_t payload;
  std::uint32_t code;
};

// What an event says, before anyone else sees it: a stdin read that ended
// fills the buffer; a subtask that returned is remembered (its end drops it
// without cancelling).
inline void note(const event_record& e) noexcept {
  world_state& w = p3_state();
  if (e.code == wasi::event_stream_read && e.waitable == w.stdin_stream) {
    w.read_in_flight = 0;
    w.taken = 0;
    w.buffered = e.payload >> 4U;
    w.stdin_ended = (e.payload & 0xFU) == wasi::copy_dropped ? 1U : 0U;
  } else if (e.code == wasi::event_subtask) {
    w.last_event_waitable = e.waitable;
  }
}

// Takes events with `take` (a wait or a poll) until one says something: a
// subtask also reports that it started, which is passed.
template <class Take>
[[nodiscard]] event_record take_event(Take take) noexcept {
  event_record e{};
  do {
    e.code = take(&e.waitable);
  } while (e.code == wasi::event_subtask && e.payload != wasi::subtask_returned);
  note(e);
  return e;
}

// Waits for the event of one waitable, alone in a set of its own; answers its payload.
[[nodiscard]] inline std::uint32_t wait_alone(std::uint32_t waitable) noexcept {
  const std::uint32_t set = wasi::waitable_set_new();
  wasi::waitable_join(waitable, set);
  const event_record e = take_event([set](std::uint32_t* out) { return wasi::waitable_set_wait(set, out); });
  wasi::waitable_join(waitable, 0);
  wasi::waitable_set_drop(set);
  return e.payload;
}

// Starts a read of stdin into the buffer, unless one is in flight or the
// buffer still holds bytes or the stream ended; a read that completes at once
// fills the buffer now.
inline void start_stdin_read() noexcept {
  world_state& w = p3_state();
  if (w.read_in_flight != 0 || w.buffered != 0 || w.stdin_ended != 0 || w.stdin_stream == 0) {
    return;
  }
  const std::uint32_t answer = wasi::stdin_stream_read(w.stdin_stream, w.buffer, stdin_buffer_bytes);
  if (answer == wasi::blocked) {
    w.read_in_flight = 1;
    return;
  }
  note(event_record{w.stdin_stream, answer, wasi::event_stream_read});
}

// What an fd_read event reports: the bytes the last read brought.
[[nodiscard]] inline std::uint64_t readable_bytes() noexcept { return p3_state().buffered; }

[[nodiscard]] inline bool stdin_has_answer() noexcept {
  const world_state& w = p3_state();
  return w.buffered != 0 || w.stdin_ended != 0;
}

inline void open_stdio() noexcept {
  adapter_state& s = state();
  wasi::stream_and_future in{};
  wasi::stdin_read_via_stream(&in);
  p3_state() = world_state{};
  p3_state().stdin_stream = in.stream;
  p3_state().stdin_future = in.future;
  // stdout and stderr have no handle of their own: a stream is made per write.
  s.stdio[0] = descriptor{in.stream, 1, 0};
  s.stdio[1] = descriptor{1, 1, write_room};
  s.stdio[2] = descriptor{2, 1, write_room};
  start_stdin_read(); // read ahead, as a terminal's driver does: bytes that came are ready when asked for
}

inline void close_stdin() noexcept {
  world_state& w = p3_state();
  if (w.stdin_stream != 0) {
    if (w.read_in_flight != 0) {
      static_cast<void>(wasi::stdin_stream_cancel_read(w.stdin_stream));
      w.read_in_flight = 0;
    }
    wasi::stdin_stream_drop(w.stdin_stream);
    w.stdin_stream = 0;
  }
  if (w.stdin_future != 0) {
    wasi::stdin_future_drop(w.stdin_future);
    w.stdin_future = 0;
  }
}

inline void close_stream(std::uint32_t fd, const descriptor& /*d*/) noexcept {
  if (fd == 0) {
    close_stdin();
  }
}

[[nodiscard]] inline std::uint64_t realtime_now() noexcept {
  wasi::instant t{};
  wasi::system_now(&t);
  return t.seconds < 0 ? 0 : static_cast<std::uint64_t>(t.seconds) * ns_per_s + t.nanoseconds;
}
[[nodiscard]] inline std::uint64_t realtime_resolution() noexcept { return wasi::system_resolution(); }
[[nodiscard]] inline std::uint64_t monotonic_now() noexcept { return wasi::monotonic_now(); }
[[nodiscard]] inline std::uint64_t monotonic_resolution() noexcept { return wasi::monotonic_resolution(); }

enum class stream_status : std::uint8_t { ok, closed, failed };
struct read_outcome {
  stream_status status;
  std::uint32_t count;
};

// Blocks until stdin has bytes (at most len of them, written to `into`) or ends.
[[nodiscard]] inline read_outcome read_stdin(const descriptor& /*d*/, std::uint8_t* into, std::uint32_t len) noexcept {
  world_state& w = p3_state();
  start_stdin_read();
  if (w.read_in_flight != 0) {
    static_cast<void>(wait_alone(w.stdin_stream));
  }
  if (w.buffered == 0) {
    return {stream_status::closed, 0};
  }
  const std::uint32_t count = w.buffered < len ? w.buffered : len;
  __builtin_memcpy(into, w.buffer + w.taken, count);
  w.taken += count;
  w.buffered -= count;
  start_stdin_read(); // read ahead once the buffer is empty
  return {stream_status::ok, count};
}

// One write: a stream of its own, handed to stdout (1) or stderr (2), every
// byte written, its end dropped, then the write's future read.
template <auto StreamNew, auto WriteViaStream, auto StreamWrite, auto StreamDrop, auto FutureRead, auto FutureDrop>
[[nodiscard]] stream_status write_through_stream(const std::uint8_t* bytes, std::uint32_t len) noexcept {
  const std::uint64_t ends = StreamNew();
  const auto readable = static_cast<std::uint32_t>(ends);
  const auto writable = static_cast<std::uint32_t>(ends >> 32U);
  const std::uint32_t future = WriteViaStream(readable);
  stream_status status = stream_status::ok;
  for (std::uint32_t done = 0; done < len;) {
    std::uint32_t answer = StreamWrite(writable, bytes + done, len - done);
    if (answer == wasi::blocked) {
      answer = wait_alone(writable);
    }
    done += answer >> 4U;
    if ((answer & 0xFU) != wasi::copy_completed) {
      status = stream_status::closed; // the host dropped its end: no more bytes go
      break;
    }
  }
  StreamDrop(writable);
  wasi::unit_or_error_code result{};
  if (FutureRead(future, &result) == wasi::blocked) {
    static_cast<void>(wait_alone(future));
  }
  FutureDrop(future);
  if (status == stream_status::ok && result.is_error != 0) {
    status = stream_status::failed;
  }
  return status;
}

[[nodiscard]] inline stream_status write_all(std::uint32_t fd, const descriptor& /*d*/, const std::uint8_t* bytes,
                                             std::uint32_t len) noexcept {
  if (fd == 1) {
    return write_through_stream<wasi::stdout_stream_new, wasi::stdout_write_via_stream, wasi::stdout_stream_write,
                                wasi::stdout_stream_drop, wasi::stdout_future_read, wasi::stdout_future_drop>(bytes,
                                                                                                              len);
  }
  return write_through_stream<wasi::stderr_stream_new, wasi::stderr_write_via_stream, wasi::stderr_stream_write,
                              wasi::stderr_stream_drop, wasi::stderr_future_read, wasi::stderr_future_drop>(bytes, len);
}

[[nodiscard]] inline list_view arguments() noexcept {
  return list_in_arena([](list_view* out) { wasi::get_arguments(out); });
}
[[nodiscard]] inline list_view environment() noexcept {
  return list_in_arena([](list_view* out) { wasi::get_environment(out); });
}

inline void random_bytes(std::uint8_t* into, std::uint32_t len) noexcept {
  answer_lists_into(address_of(into), len);
  list_view out{};
  wasi::get_random_bytes(len, &out);
  static_cast<void>(take_bytes(out, into, len));
}

// The program's end: what the adapter holds goes first.
[[noreturn]] inline void exit(std::uint32_t code) noexcept {
  close_stdin();
  wasi::cli_exit_with_code(code & 0xFFU); // as POSIX keeps an exit status: its low 8 bits
}
inline void finish() noexcept { close_stdin(); }

} // namespace world

// nybble's view of the world for poll_oneoff: a host of waitable sets.
struct component_host {
  [[nodiscard]] std::uint32_t new_waitable_set() const noexcept { return wasi::waitable_set_new(); }
  void join(std::uint32_t waitable, std::uint32_t set) const noexcept { wasi::waitable_join(waitable, set); }
  [[nodiscard]] std::uint32_t wait(std::uint32_t set) const noexcept {
    return world::take_event([set](std::uint32_t* out) { return wasi::waitable_set_wait(set, out); }).waitable;
  }
  [[nodiscard]] std::optional<std::uint32_t> poll(std::uint32_t set) const noexcept {
    const world::event_record e =
        world::take_event([set](std::uint32_t* out) { return wasi::waitable_set_poll(set, out); });
    if (e.code == wasi::event_none) {
      return std::nullopt;
    }
    return e.waitable;
  }
  void drop_waitable_set(std::uint32_t set) const noexcept { wasi::waitable_set_drop(set); }

  // A clock wait cannot return before its time has passed, so one that
  // returned at once is started again rather than lost.
  [[nodiscard]] std::uint32_t start_for(std::uint64_t ns) const noexcept {
    std::uint32_t answer = wasi::subtask_returned;
    while ((answer & 0xFU) == wasi::subtask_returned) {
      answer = wasi::monotonic_wait_for(ns == 0 ? 1 : ns);
    }
    return answer >> 4U;
  }
  [[nodiscard]] std::uint32_t start_timeout(std::uint32_t milliseconds) const noexcept {
    return start_for(std::uint64_t{milliseconds} * 1'000'000U);
  }
  // A clock wait nybble is done with: dropped if its return was taken, else cancelled first.
  void end_timeout(std::uint32_t subtask) const noexcept {
    world_state& w = p3_state();
    if (subtask == w.last_event_waitable) {
      w.last_event_waitable = 0;
    } else {
      static_cast<void>(wasi::subtask_cancel(subtask));
    }
    wasi::subtask_drop(subtask);
  }

  [[nodiscard]] std::uint64_t ns_until(nybble::deadline d) const noexcept {
    const std::uint64_t now = d.clock == realtime_clock ? world::realtime_now() : world::monotonic_now();
    return d.ns > now ? d.ns - now : 0;
  }

  // stdin: ready when the buffer holds bytes or the stream ended; else its
  // read in flight (started here if none is) is the wait, on the stream end.
  [[nodiscard]] std::optional<std::uint32_t> start_wait(kinds::handle<input_stream> /*h*/) const noexcept {
    world::start_stdin_read();
    if (world::stdin_has_answer()) {
      return std::nullopt;
    }
    return p3_state().stdin_stream;
  }
  // The read stays in flight when the poll is done with it: its bytes are the next call's.
  [[nodiscard]] bool end_wait(kinds::handle<input_stream> /*h*/, std::uint32_t /*waitable*/) const noexcept {
    return world::stdin_has_answer();
  }
  // No descriptor is an untagged word: poll_oneoff never sends one.
  [[nodiscard]] nybble::result<std::optional<std::uint32_t>>
  start_wait(kinds::handle<nybble::untagged> /*h*/) const noexcept {
    return nybble::errc::not_waitable;
  }
  [[nodiscard]] bool end_wait(kinds::handle<nybble::untagged> /*h*/, std::uint32_t /*waitable*/) const noexcept {
    return true;
  }
  // stdout and stderr: a write never waits, so they are ready now.
  [[nodiscard]] std::optional<std::uint32_t> start_wait(kinds::handle<output_stream> /*h*/) const noexcept {
    return std::nullopt;
  }
  [[nodiscard]] bool end_wait(kinds::handle<output_stream> /*h*/, std::uint32_t /*waitable*/) const noexcept {
    return true;
  }
};
static_assert(nybble::poll_host<component_host, kinds>);
static_assert(nybble::wait_model_of<component_host, input_stream, layout> == nybble::wait_model::start);
static_assert(nybble::wait_model_of<component_host, output_stream, layout> == nybble::wait_model::start);

} // namespace preview1_adapter

#endif
