// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// WASI preview1 (wasi_snapshot_preview1), as a command adapter module exports
// it: wasi:cli/run, which runs the guest's _start, and the functions a
// wasi-libc program using stdio, poll(), nanosleep, clock_gettime, read and
// write, getentropy and sched_yield imports. Written once for every world: the world's
// component_host.hpp (namespace world, and component_host, the host
// nybble::lower_poll waits on) comes first.
//
// poll_oneoff is nybble::lower_poll with on_refusal::report_entry: every ready
// subscription is reported by one call, each event with its own error (a
// subscription on a descriptor that is not open is EBADF on its event alone,
// which wasi-libc's poll() turns into POLLNVAL on that entry); clocks are
// deadlines, relative or absolute, on the realtime and monotonic clocks, one
// already past firing at once; the earliest deadline alone is waited for.
#ifndef PREVIEW1_ADAPTER_PREVIEW1_EXPORTS_HPP
#define PREVIEW1_ADAPTER_PREVIEW1_EXPORTS_HPP

#include "kinds.hpp"
#include "state.hpp"

#include <nybble.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace preview1_adapter {

// preview1's errno values, as the witx numbers them.
enum class errno_code : std::uint16_t {
  success = 0,
  too_big = 1,
  bad_descriptor = 8,
  invalid = 28,
  io = 29,
  broken_pipe = 64,
  not_seekable = 70,
};
[[nodiscard]] constexpr std::uint32_t answer(errno_code e) noexcept { return static_cast<std::uint32_t>(e); }

// preview1's records, as the witx lays them out.
struct iovec {
  std::uint32_t address;
  std::uint32_t length;
};
enum class event_type : std::uint8_t { clock = 0, fd_read = 1, fd_write = 2 };
struct subscription {
  std::uint64_t userdata;
  std::uint8_t type;
  struct clock_subscription {
    std::uint32_t id;
    std::uint64_t timeout;
    std::uint64_t precision;
    std::uint16_t flags; // bit 0: timeout is absolute
  };
  union {
    clock_subscription clock;
    std::uint32_t fd;
  } u;
};
static_assert(sizeof(subscription) == 48 && __builtin_offsetof(subscription, u) == 16);
struct event {
  std::uint64_t userdata;
  std::uint16_t error;
  std::uint8_t type;
  std::uint64_t nbytes; // fd_read and fd_write events
  std::uint16_t flags;
};
static_assert(sizeof(event) == 32 && __builtin_offsetof(event, nbytes) == 16);
struct fdstat {
  std::uint8_t filetype;
  std::uint16_t flags;
  std::uint64_t rights_base;
  std::uint64_t rights_inheriting;
};
static_assert(sizeof(fdstat) == 24 && __builtin_offsetof(fdstat, rights_base) == 8);

namespace {

constexpr std::uint64_t right_fd_read = std::uint64_t{1} << 1U;
constexpr std::uint64_t right_fd_write = std::uint64_t{1} << 6U;
constexpr std::uint64_t right_poll_fd_readwrite = std::uint64_t{1} << 27U;

template <class T>
[[nodiscard]] T* at(std::uint32_t address) noexcept {
  return reinterpret_cast<T*>(address); // NOLINT: an address in the guest's memory
}

[[nodiscard]] constexpr bool names_a_clock(std::uint32_t id) noexcept {
  return id == realtime_clock || id == monotonic_clock;
}

// The entry lower_poll gets for one subscription: a deadline, the word of an
// open stream of the side the subscription needs, or the "no handle" word
// (refused on its entry). nullopt: not a subscription at all.
[[nodiscard]] std::optional<nybble::poll_entry<kinds>> entry_of(const subscription& s) noexcept {
  using entry = nybble::poll_entry<kinds>;
  switch (static_cast<event_type>(s.type)) {
  case event_type::clock:
    if (!names_a_clock(s.u.clock.id)) {
      return entry::of_word(layout::null_word); // refused; its event says EINVAL
    }
    return entry::of_deadline(nybble::deadline{s.u.clock.id, s.u.clock.timeout, (s.u.clock.flags & 1U) != 0});
  case event_type::fd_read: {
    const descriptor* d = s.u.fd == 0 ? open_descriptor(0) : nullptr;
    return entry::of_word(d != nullptr ? word_of<input_stream>(d->stream) : layout::null_word);
  }
  case event_type::fd_write: {
    const descriptor* d = s.u.fd != 0 ? open_descriptor(s.u.fd) : nullptr;
    return entry::of_word(d != nullptr ? word_of<output_stream>(d->stream) : layout::null_word);
  }
  }
  return std::nullopt;
}

// The event of a subscription lower_poll reported.
[[nodiscard]] event event_of(const subscription& s, const nybble::poll_report& report) noexcept {
  event e{};
  e.userdata = s.userdata;
  e.type = s.type;
  if (report.state == nybble::poll_state::refused) {
    e.error = static_cast<std::uint16_t>(
        static_cast<event_type>(s.type) == event_type::clock ? errno_code::invalid : errno_code::bad_descriptor);
    return e;
  }
  if (static_cast<event_type>(s.type) == event_type::fd_read) {
    e.nbytes = world::readable_bytes();
  } else if (static_cast<event_type>(s.type) == event_type::fd_write) {
    e.nbytes = state().stdio[s.u.fd].write_permit; // what its check-write allowed
  }
  return e;
}

} // namespace

extern "C" {

__attribute__((export_name("poll_oneoff"))) std::uint32_t
poll_oneoff(std::uint32_t in_address, std::uint32_t out_address, std::uint32_t count, std::uint32_t* events_out) {
  if (count == 0) {
    return answer(errno_code::invalid);
  }
  if (count > max_subscriptions) {
    return answer(errno_code::too_big);
  }
  const std::span<const subscription> in{at<const subscription>(in_address), count};
  std::array<nybble::poll_entry<kinds>, max_subscriptions> entries;
  for (std::uint32_t i = 0; i < count; ++i) {
    const auto e = entry_of(in[i]);
    if (!e) {
      return answer(errno_code::invalid);
    }
    entries[i] = *e;
  }
  component_host host;
  nybble::poll_scratch<max_subscriptions, kinds> scratch;
  std::array<nybble::poll_report, max_subscriptions> reports;
  const auto reported = nybble::lower_poll<kinds, nybble::on_refusal::report_entry>(
      std::span<const nybble::poll_entry<kinds>>{entries}.first(count), nybble::timeout::none(), host, scratch,
      std::span<nybble::poll_report>{reports}.first(count));
  if (!reported) {
    return answer(errno_code::io); // the component answered something no runtime does
  }
  event* out = at<event>(out_address);
  std::uint32_t written = 0;
  for (std::uint32_t i = 0; i < count; ++i) {
    if (reports[i].state != nybble::poll_state::not_ready) {
      out[written++] = event_of(in[i], reports[i]);
    }
  }
  *events_out = written;
  return answer(errno_code::success);
}

__attribute__((export_name("fd_write"))) std::uint32_t fd_write(std::uint32_t fd, std::uint32_t iovs_address,
                                                                std::uint32_t iovs_count, std::uint32_t* written_out) {
  const descriptor* d = fd != 0 ? open_descriptor(fd) : nullptr;
  if (d == nullptr) {
    return answer(errno_code::bad_descriptor);
  }
  std::uint32_t written = 0;
  for (const iovec& v : std::span<const iovec>{at<const iovec>(iovs_address), iovs_count}) {
    const world::stream_status status = world::write_all(fd, *d, at<const std::uint8_t>(v.address), v.length);
    if (status != world::stream_status::ok) {
      return answer(status == world::stream_status::closed ? errno_code::broken_pipe : errno_code::io);
    }
    written += v.length;
  }
  *written_out = written;
  return answer(errno_code::success);
}

__attribute__((export_name("fd_read"))) std::uint32_t fd_read(std::uint32_t fd, std::uint32_t iovs_address,
                                                              std::uint32_t iovs_count, std::uint32_t* read_out) {
  const descriptor* d = fd == 0 ? open_descriptor(0) : nullptr;
  if (d == nullptr) {
    return answer(errno_code::bad_descriptor);
  }
  *read_out = 0;
  for (const iovec& v : std::span<const iovec>{at<const iovec>(iovs_address), iovs_count}) {
    if (v.length == 0) {
      continue;
    }
    const world::read_outcome got = world::read_stdin(*d, at<std::uint8_t>(v.address), v.length);
    if (got.status == world::stream_status::failed) {
      return answer(errno_code::io);
    }
    *read_out = got.count; // one read: a short count is an answer (0 at the end)
    break;
  }
  return answer(errno_code::success);
}

__attribute__((export_name("fd_close"))) std::uint32_t fd_close(std::uint32_t fd) {
  descriptor* d = open_descriptor(fd);
  if (d == nullptr) {
    return answer(errno_code::bad_descriptor);
  }
  world::close_stream(fd, *d);
  d->open = 0;
  return answer(errno_code::success);
}

__attribute__((export_name("fd_seek"))) std::uint32_t
fd_seek(std::uint32_t fd, std::int64_t /*offset*/, std::uint32_t /*whence*/, std::uint64_t* /*position_out*/) {
  return answer(open_descriptor(fd) != nullptr ? errno_code::not_seekable : errno_code::bad_descriptor);
}

__attribute__((export_name("fd_fdstat_get"))) std::uint32_t fd_fdstat_get(std::uint32_t fd, fdstat* out) {
  if (open_descriptor(fd) == nullptr) {
    return answer(errno_code::bad_descriptor);
  }
  *out = fdstat{};
  out->rights_base = (fd == 0 ? right_fd_read : right_fd_write) | right_poll_fd_readwrite;
  return answer(errno_code::success);
}

__attribute__((export_name("clock_time_get"))) std::uint32_t
clock_time_get(std::uint32_t id, std::uint64_t /*precision*/, std::uint64_t* out) {
  if (!names_a_clock(id)) {
    return answer(errno_code::invalid);
  }
  *out = id == realtime_clock ? world::realtime_now() : world::monotonic_now();
  return answer(errno_code::success);
}

__attribute__((export_name("clock_res_get"))) std::uint32_t clock_res_get(std::uint32_t id, std::uint64_t* out) {
  if (!names_a_clock(id)) {
    return answer(errno_code::invalid);
  }
  *out = id == realtime_clock ? world::realtime_resolution() : world::monotonic_resolution();
  return answer(errno_code::success);
}

// Arguments and environment: the component's lists, in the arena, copied into
// the guest's buffers as C strings.
__attribute__((export_name("args_sizes_get"))) std::uint32_t args_sizes_get(std::uint32_t* count_out,
                                                                            std::uint32_t* bytes_out) {
  const list_view list = world::arguments();
  std::uint32_t bytes = 0;
  for (const list_view& s : std::span{at<const list_view>(list.address), list.count}) {
    bytes += s.count + 1;
  }
  *count_out = list.count;
  *bytes_out = bytes;
  return answer(errno_code::success);
}

__attribute__((export_name("args_get"))) std::uint32_t args_get(std::uint32_t* argv, std::uint8_t* buffer) {
  const list_view list = world::arguments();
  for (const list_view& s : std::span{at<const list_view>(list.address), list.count}) {
    *argv++ = address_of(buffer);
    __builtin_memcpy(buffer, at<const std::uint8_t>(s.address), s.count);
    buffer[s.count] = 0;
    buffer += s.count + 1;
  }
  return answer(errno_code::success);
}

struct environment_entry {
  list_view name;
  list_view value;
};

__attribute__((export_name("environ_sizes_get"))) std::uint32_t environ_sizes_get(std::uint32_t* count_out,
                                                                                  std::uint32_t* bytes_out) {
  const list_view list = world::environment();
  std::uint32_t bytes = 0;
  for (const environment_entry& e : std::span{at<const environment_entry>(list.address), list.count}) {
    bytes += e.name.count + 1 + e.value.count + 1; // NAME=VALUE and its NUL
  }
  *count_out = list.count;
  *bytes_out = bytes;
  return answer(errno_code::success);
}

__attribute__((export_name("environ_get"))) std::uint32_t environ_get(std::uint32_t* environ, std::uint8_t* buffer) {
  const list_view list = world::environment();
  for (const environment_entry& e : std::span{at<const environment_entry>(list.address), list.count}) {
    *environ++ = address_of(buffer);
    __builtin_memcpy(buffer, at<const std::uint8_t>(e.name.address), e.name.count);
    buffer[e.name.count] = '=';
    buffer += e.name.count + 1;
    __builtin_memcpy(buffer, at<const std::uint8_t>(e.value.address), e.value.count);
    buffer[e.value.count] = 0;
    buffer += e.value.count + 1;
  }
  return answer(errno_code::success);
}

__attribute__((export_name("random_get"))) std::uint32_t random_get(std::uint8_t* buffer, std::uint32_t len) {
  world::random_bytes(buffer, len);
  return answer(errno_code::success);
}

// A single-threaded program has nobody to yield to.
__attribute__((export_name("sched_yield"))) std::uint32_t sched_yield() { return answer(errno_code::success); }

[[noreturn]] __attribute__((export_name("proc_exit"))) void proc_exit(std::uint32_t code) { world::exit(code); }

// Where a list the component answers goes: the destination the caller named,
// if it fits, else the arena. An arena too small for the arguments or the
// environment traps: the adapter has no other memory to take.
__attribute__((export_name("cabi_import_realloc"))) void* cabi_import_realloc(void* /*old*/, std::uint32_t /*old_size*/,
                                                                              std::uint32_t align, std::uint32_t size) {
  adapter_state& s = state();
  if (s.destination != 0 && size <= s.destination_bytes) {
    const std::uint32_t address = s.destination;
    s.destination = 0;
    return at<void>(address);
  }
  const std::uint32_t start = (s.arena_used + align - 1U) & ~(align - 1U);
  if (start > arena_bytes || size > arena_bytes - start) {
    __builtin_trap();
  }
  s.arena_used = start + size;
  return at<void>(preview1_adapter_state_address() + arena_offset + start);
}

// wasi:cli/run: the adapter's state, the stdio streams, then the program.
__attribute__((export_name(PREVIEW1_ADAPTER_RUN_EXPORT))) std::uint32_t run() {
  void* page = preview1_adapter_guest_realloc(nullptr, 0, 8, state_page_bytes);
  preview1_adapter_set_state_address(address_of(page));
  state() = adapter_state{};
  world::open_stdio();
  preview1_adapter_guest_start();
  world::finish();
  return 0; // ok: the program returned from main with 0 (any other status went through proc_exit)
}

} // extern "C"

} // namespace preview1_adapter

#endif
