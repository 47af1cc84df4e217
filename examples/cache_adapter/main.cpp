// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The motivating case, end to end: a guest written against a module ABI where
// every handle is a u32 and one select waits on anything, running on a typed
// component host where a cache entry is not a pollable.
//
// First a naive adapter hands the typed host's indices to the guest as they
// are; its select passes a cache entry where a pollable is expected, and the
// typed host rejects it. Then the nybble adapter runs the same guest: it wakes
// on the right index, drops every temporary pollable, and answers a forged
// handle with BADF instead of aborting.
//
// The program checks what it prints and exits non-zero if anything differs.
#include "module_abi.hpp"

#include <nybble/testing.hpp>

#include <array>
#include <cstdint>
#include <cstdio>
#include <string_view>

namespace {

using namespace cache_adapter;
using nybble::testing::readiness;

using typed_host_base =
    nybble::testing::typed_host<kinds, nybble::testing::subscribes<cache_entry>,
                                nybble::testing::subscribes<replace_entry>, nybble::testing::steps<http_cache_entry>>;

// The typed host, with lookups whose readiness is scripted by key.
class demo_host : public typed_host_base {
public:
  kinds::handle<cache_entry> lookup(std::string_view key) { return add<cache_entry>(when(key)); }
  kinds::handle<replace_entry> replace(std::string_view key) { return add<replace_entry>(when(key)); }
  // An HTTP cache lookup revalidates first, then streams: two waits.
  kinds::handle<http_cache_entry> http_lookup(std::string_view key) {
    return key == "/index.html" ? add<http_cache_entry>({readiness::at_ms(10), readiness::at_ms(25)})
                                : add<http_cache_entry>({readiness::never()});
  }
  using typed_host_base::drop;

private:
  static readiness when(std::string_view key) {
    if (key == "fresh") {
      return readiness::now();
    }
    if (key == "slow") {
      return readiness::at_ms(40);
    }
    return readiness::never();
  }
};

// The adapter one writes without nybble: the typed index is the guest's handle.
class naive_module_abi {
public:
  explicit naive_module_abi(demo_host& host) : host_{&host} {}
  status cache_lookup(std::string_view key, std::uint32_t& out) {
    out = host_->lookup(key).payload();
    return status::ok;
  }
  status select(std::span<const std::uint32_t> handles, std::uint32_t& ready) {
    // Nothing says which words are cache entries: all go to the host as pollables.
    const auto index = host_->select(handles);
    if (index >= handles.size()) {
      return status::badf;
    }
    ready = static_cast<std::uint32_t>(index);
    return status::ok;
  }

private:
  demo_host* host_;
};

int failures = 0;

void check(bool ok, const char* what) {
  if (!ok) {
    std::printf("    !! expected: %s\n", what);
    ++failures;
  }
}

const char* describe(nybble::testing::trap t) {
  switch (t) {
  case nybble::testing::trap::invalid_handle:
    return "invalid handle";
  case nybble::testing::trap::wrong_kind:
    return "wrong kind";
  case nybble::testing::trap::blocked_forever:
    return "blocked forever";
  case nybble::testing::trap::table_full:
    return "table full";
  case nybble::testing::trap::drop_with_live_children:
    return "dropped with live pollables";
  case nybble::testing::trap::too_many_steps:
    return "more steps than the host holds";
  case nybble::testing::trap::drop_set_with_members:
    return "waitable set dropped with members";
  }
  return "?";
}

void naive_run() {
  std::puts("== without nybble: handles passed through as they are");
  static demo_host host;
  naive_module_abi adapter{host};
  const std::uint32_t timer = host.add_pollable(readiness::at_ms(100));
  std::uint32_t entry = 0;
  static_cast<void>(adapter.cache_lookup("slow", entry));
  std::printf("  guest: timer pollable = %u, cache_lookup(\"slow\") = %u\n", timer, entry);
  const std::array<std::uint32_t, 2> handles{timer, entry};
  std::uint32_t ready = 0;
  const status s = adapter.select(handles, ready);
  std::printf("  guest: select([%u, %u]) -> %s\n", timer, entry, to_string(s));
  for (const auto& t : host.traps()) {
    std::printf("  typed host: TRAP, %s: handle %ju passed where a pollable is expected\n", describe(t.reason), t.word);
  }
  std::puts("  (a component runtime stops the instance at this trap)\n");
  check(host.trap_count() == 1 && host.traps()[0].reason == nybble::testing::trap::wrong_kind,
        "the typed host rejects the cache entry");
}

void nybble_run() {
  std::puts("== with nybble: kinds in the handle's high bits, select lowered");
  static demo_host host;
  module_abi<demo_host> adapter{host};

  const std::uint32_t timer = host.add_pollable(readiness::at_ms(100));
  std::uint32_t entry = 0;
  std::uint32_t page = 0;
  check(adapter.cache_lookup(std::string_view{"slow"}, entry) == status::ok, "cache_lookup succeeds");
  check(adapter.http_cache_lookup(std::string_view{"/index.html"}, page) == status::ok, "http lookup succeeds");
  std::printf("  guest: timer = 0x%08x, cache_lookup(\"slow\") = 0x%08x, http_cache_lookup = 0x%08x\n", timer, entry,
              page);

  bool ready = true;
  check(adapter.is_ready(page, ready) == status::ok && !ready, "the page is not ready yet");
  std::printf("  guest: is_ready(page) -> %s at t=%llums\n", ready ? "true" : "false",
              static_cast<unsigned long long>(host.virtual_time_ms()));

  const std::array<std::uint32_t, 3> handles{timer, entry, page};
  std::uint32_t index = 0;
  const std::size_t pollables_before = host.live_pollables();
  const status s = adapter.select(handles, 0, index);
  std::printf("  guest: select([timer, entry, page], no timeout) -> %s, index %u at t=%llums\n", to_string(s), index,
              static_cast<unsigned long long>(host.virtual_time_ms()));
  std::printf("         (the page needed two waits, at 10ms and 25ms; the entry is ready at 40ms)\n");
  check(s == status::ok && index == 2, "select wakes on the page, index 2");
  check(host.virtual_time_ms() == 25, "after both steps of the page, at 25ms");
  std::printf("  typed host: %zu subscribe, %zu step, %zu drop_pollable; live pollables %zu -> %zu\n",
              host.count_calls(nybble::testing::call::subscribe), host.count_calls(nybble::testing::call::step),
              host.count_calls(nybble::testing::call::drop_pollable), pollables_before, host.live_pollables());
  check(host.live_pollables() == pollables_before, "every temporary pollable dropped");

  const std::array<std::uint32_t, 2> timed{timer, entry};
  const status t = adapter.select(timed, 5, index);
  std::printf("  guest: select([timer, entry], timeout 5ms) -> %s, index 0x%08x (timed out) at t=%llums\n",
              to_string(t), index, static_cast<unsigned long long>(host.virtual_time_ms()));
  check(t == status::ok && index == 0xFFFF'FFFFU, "the select times out");
  const status u = adapter.select(timed, 0, index);
  std::printf("  guest: select([timer, entry], no timeout) -> %s, index %u at t=%llums\n", to_string(u), index,
              static_cast<unsigned long long>(host.virtual_time_ms()));
  check(u == status::ok && index == 1, "the cache entry wakes at 40ms");

  const std::uint32_t forged = 0x5000'0000U | (entry & 0x0FFF'FFFFU);
  const std::array<std::uint32_t, 2> with_forged{timer, forged};
  const status f = adapter.select(with_forged, 0, index);
  std::printf("  guest: select([timer, 0x%08x (forged tag 5)]) -> %s\n", forged, to_string(f));
  check(f == status::badf, "a forged tag is BADF");
  const status c = adapter.close(forged);
  std::printf("  guest: close(0x%08x) -> %s\n", forged, to_string(c));
  check(c == status::badf, "closing a forged handle is BADF");
  // A sentinel whose low bits name pollable 1 (jco would alias it to that pollable).
  const std::uint32_t no_handle = nybble::canonical_abi_layout::invalid_mask | 1U;
  const std::array<std::uint32_t, 2> with_sentinel{timer, no_handle};
  const status v = adapter.select(with_sentinel, 0, index);
  bool sentinel_ready = false;
  const status r = adapter.is_ready(no_handle, sentinel_ready);
  const status w = adapter.close(no_handle);
  std::printf("  guest: select([timer, 0x%08x (invalid sentinel)]) -> %s, is_ready -> %s, close -> %s\n", no_handle,
              to_string(v), to_string(r), to_string(w));
  check(v == status::badf && r == status::badf && w == status::badf, "an invalid sentinel is BADF, never passed on");
  const std::array<std::uint32_t, 0> none{};
  const status e = adapter.select(none, 0, index);
  std::printf("  guest: select([], no timeout) -> %s\n", to_string(e));
  check(e == status::inval, "an empty select without timeout is INVAL");

  check(adapter.close(entry) == status::ok && adapter.close(page) == status::ok && adapter.close(timer) == status::ok,
        "closing each handle through the one close succeeds");
  std::printf("  guest: close(entry), close(page), close(timer) -> OK\n");
  std::printf("  typed host: traps %zu, live resources %zu, live pollables %zu\n", host.trap_count(),
              host.live_resources(), host.live_pollables());
  check(host.trap_count() == 0, "no trap");
  check(host.live_resources() == 0 && host.live_pollables() == 0, "nothing leaked");
}

} // namespace

int main() {
  naive_run();
  nybble_run();
  std::printf("\n%s\n", failures == 0 ? "all as expected" : "SOMETHING DIFFERED");
  return failures == 0 ? 0 : 1;
}
