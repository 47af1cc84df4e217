// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A WebAssembly component guest: code written against a module ABI, where every
// handle is a u32 and select takes any of them, running on the typed imports of
// wit/world.wit. Two adapters serve it: the nybble one (module_abi.hpp, the same
// code as the native cache_adapter example) and a naive one that passes the
// typed side's indices through.
//
// Each exported run-* function plays one scenario and returns a result word:
// the status in the top byte, a value below (an index, 0xFF'FFFF for a timeout).
// The Node test checks each word, and the host's own record of what happened.
#include "component_host.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

// -nostdlib: the compiler may still emit calls to these for array copies and zeroing.
extern "C" {
void* memset(void* destination, int value, std::size_t count) {
  auto* d = static_cast<unsigned char*>(destination);
  while (count-- > 0) {
    *d++ = static_cast<unsigned char>(value);
  }
  return destination;
}
void* memcpy(void* destination, const void* source, std::size_t count) {
  auto* d = static_cast<unsigned char*>(destination);
  const auto* s = static_cast<const unsigned char*>(source);
  while (count-- > 0) {
    *d++ = *s++;
  }
  return destination;
}
void* memmove(void* destination, const void* source, std::size_t count) {
  auto* d = static_cast<unsigned char*>(destination);
  const auto* s = static_cast<const unsigned char*>(source);
  if (d < s) {
    return memcpy(destination, source, count);
  }
  while (count-- > 0) {
    d[count] = s[count];
  }
  return destination;
}
}

namespace {

using cache_adapter::component_host;
using cache_adapter::status;

constexpr std::uint32_t timed_out_value = 0xFF'FFFFU;

constexpr std::uint32_t pack(status s, std::uint32_t value) {
  return (static_cast<std::uint32_t>(s) << 24U) | (value == 0xFFFF'FFFFU ? timed_out_value : value & 0xFF'FFFFU);
}

// --- The nybble adapter -----------------------------------------------------------

std::uint32_t nybble_scenario(std::uint32_t scenario) {
  component_host host;
  cache_adapter::module_abi<component_host> guest{host};
  std::uint32_t ready = 0;

  switch (scenario) {
  case 1: { // a pollable, a cache entry and a two-step HTTP entry in one select
    const std::uint32_t timer = component_host::timer(100);
    std::uint32_t entry = 0;
    std::uint32_t page = 0;
    if (guest.cache_lookup(std::string_view{"slow"}, entry) != status::ok ||
        guest.http_cache_lookup(std::string_view{"/index.html"}, page) != status::ok) {
      return pack(status::none, 0);
    }
    const std::array<std::uint32_t, 3> handles{timer, entry, page};
    const status s = guest.select(handles, 0, ready);
    const bool closed =
        guest.close(timer) == status::ok && guest.close(entry) == status::ok && guest.close(page) == status::ok;
    return pack(closed ? s : status::badf, ready);
  }
  case 2: { // a timeout, WITX-style
    const std::uint32_t timer = component_host::timer(100);
    std::uint32_t entry = 0;
    static_cast<void>(guest.cache_lookup(std::string_view{"never"}, entry));
    const std::array<std::uint32_t, 2> handles{timer, entry};
    const status s = guest.select(handles, 5, ready);
    static_cast<void>(guest.close(timer));
    static_cast<void>(guest.close(entry));
    return pack(s, ready);
  }
  case 3: { // three steps at 40, 80 and 120 ms against a 100 ms timeout: one deadline
    std::uint32_t page = 0;
    static_cast<void>(guest.http_cache_lookup(std::string_view{"/slow"}, page));
    const std::array<std::uint32_t, 1> handles{page};
    const status s = guest.select(handles, 100, ready);
    static_cast<void>(guest.close(page));
    return pack(s, ready);
  }
  case 4: { // a forged tag: BADF from select and from close, no trap
    const std::uint32_t timer = component_host::timer(10);
    const std::uint32_t forged = 0x5000'0001U;
    const std::array<std::uint32_t, 2> handles{timer, forged};
    const status s = guest.select(handles, 0, ready);
    const status c = guest.close(forged);
    static_cast<void>(guest.close(timer));
    return pack(s, static_cast<std::uint32_t>(c));
  }
  case 5: { // is_ready: a stepping entry half done is not ready; a fresh entry is
    std::uint32_t half = 0;
    std::uint32_t fresh = 0;
    static_cast<void>(guest.http_cache_lookup(std::string_view{"/half"}, half));
    static_cast<void>(guest.cache_lookup(std::string_view{"fresh"}, fresh));
    bool half_ready = true;
    bool fresh_ready = false;
    const status a = guest.is_ready(half, half_ready);
    const status b = guest.is_ready(fresh, fresh_ready);
    static_cast<void>(guest.close(half));
    static_cast<void>(guest.close(fresh));
    return pack(a == status::ok ? b : a, (half_ready ? 1U : 0U) | (fresh_ready ? 2U : 0U));
  }
  case 6: { // a replace entry among pollables
    const std::uint32_t timer = component_host::timer(50);
    std::uint32_t replacing = 0;
    static_cast<void>(guest.cache_replace(std::string_view{"slow"}, replacing));
    const std::array<std::uint32_t, 2> handles{timer, replacing};
    const status s = guest.select(handles, 0, ready);
    static_cast<void>(guest.close(timer));
    static_cast<void>(guest.close(replacing));
    return pack(s, ready);
  }
  case 7: { // an empty select: INVAL without a timeout, a timeout with one
    const status without = guest.select(std::span<const std::uint32_t>{}, 0, ready);
    const status with = guest.select(std::span<const std::uint32_t>{}, 3, ready);
    return pack(without, with == status::ok ? ready : 0);
  }
  default:
    return pack(status::inval, 0);
  }
}

// --- The naive adapter: the typed side's index is the guest's handle ---------------

std::uint32_t naive_scenario(std::uint32_t scenario) {
  component_host host;
  std::uint32_t ready = 0;
  switch (scenario) {
  case 1: { // the same select as nybble scenario 1
    const std::uint32_t timer = component_host::timer(100);
    const std::uint32_t entry = host.lookup(std::string_view{"slow"}).payload();
    const std::uint32_t page = host.http_lookup(std::string_view{"/index.html"}).payload();
    // Nothing records which words are entries: all go to select as pollables.
    const std::array<std::uint32_t, 3> handles{timer, entry, page};
    ready = host.select(handles);
    return pack(status::ok, ready);
  }
  case 2: { // a cache entry alone: no pollable has its index
    const std::uint32_t entry = host.lookup(std::string_view{"slow"}).payload();
    const std::array<std::uint32_t, 1> handles{entry};
    ready = host.select(handles);
    return pack(status::ok, ready);
  }
  default:
    return pack(status::inval, 0);
  }
}

} // namespace

extern "C" __attribute__((export_name("run-nybble"))) std::uint32_t run_nybble(std::uint32_t scenario) {
  return nybble_scenario(scenario);
}

extern "C" __attribute__((export_name("run-naive"))) std::uint32_t run_naive(std::uint32_t scenario) {
  return naive_scenario(scenario);
}
