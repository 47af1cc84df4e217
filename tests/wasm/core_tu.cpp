// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A translation unit that uses every core header, built for wasm32-wasi with
// -nostdlib -fno-exceptions -fno-rtti and linked into a module with no libc:
// the core needs nothing at run time beyond what it inlines.
#include <nybble.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <span>

namespace {
struct cache_entry : nybble::kind<1> {};
struct replace_entry : nybble::kind<2> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry, replace_entry>;
} // namespace

// Returns the payload of a cache entry, or 0x8000'0000 | errc.
extern "C" __attribute__((export_name("cache_entry_payload"))) std::uint32_t cache_entry_payload(std::uint32_t word) {
  const auto h = nybble::decode<cache_entry, kinds>(word);
  return h ? h->payload() : 0x8000'0000U | static_cast<std::uint32_t>(h.error());
}

extern "C" __attribute__((export_name("tag_replace_entry"))) std::uint32_t tag_replace_entry(std::uint32_t payload) {
  const auto h = kinds::handle<replace_entry>::from_payload(payload);
  return h ? h->to_guest() : nybble::canonical_abi_layout::null_word;
}

extern "C" __attribute__((export_name("kind_tag"))) std::uint32_t kind_tag(std::uint32_t word) {
  const auto r =
      nybble::visit<kinds>(word, [](auto h) { return static_cast<std::uint32_t>(decltype(h)::kind_type::tag); });
  return r.value_or(0xFFU);
}

static_assert(nybble::decode<cache_entry, kinds>(0x1000'0007U)->payload() == 7U);

// The async ABI's lowering (waitable sets) compiles here too, and runs at
// compile time over a host that answers every start at once but the second.
namespace {
struct started_host {
  std::uint32_t ended = 0;
  [[nodiscard]] constexpr std::uint32_t new_waitable_set() { return 1; }
  constexpr void join(std::uint32_t /*waitable*/, std::uint32_t /*set*/) {}
  [[nodiscard]] constexpr std::uint32_t wait(std::uint32_t /*set*/) { return 50; }
  [[nodiscard]] constexpr std::optional<std::uint32_t> poll(std::uint32_t /*set*/) { return 50; }
  constexpr void drop_waitable_set(std::uint32_t /*set*/) {}
  [[nodiscard]] constexpr std::uint32_t start_timeout(std::uint32_t /*ms*/) { return 99; }
  constexpr void end_timeout(std::uint32_t /*waitable*/) {}
  template <class K>
  [[nodiscard]] constexpr std::optional<std::uint32_t> start_wait(kinds::handle<K> h) {
    return 49U + h.payload(); // payload 1: waitable 50
  }
  template <class K>
  [[nodiscard]] constexpr bool end_wait(kinds::handle<K> /*h*/, std::uint32_t /*waitable*/) {
    ++ended;
    return true;
  }
};
constexpr bool async_select_runs() {
  started_host host;
  const std::array<std::uint32_t, 2> guest{0x1000'0005U, 0x2000'0001U};
  std::array<std::uint32_t, 2> scratch{};
  const auto r = nybble::lower_select<kinds>(guest, nybble::timeout::ms(10), host, scratch);
  return r && r->index() == 1 && host.ended == 2;
}
static_assert(async_select_runs());

// The poll lowering over the same model: a deadline already past, so the
// call drains the set without blocking and reports every entry.
struct drained_host : started_host {
  std::uint32_t next_event = 50;
  [[nodiscard]] constexpr std::optional<std::uint32_t> poll(std::uint32_t /*set*/) {
    return next_event <= 51 ? std::optional<std::uint32_t>{next_event++} : std::nullopt;
  }
  [[nodiscard]] constexpr std::uint64_t ns_until(nybble::deadline d) const { return d.ns > 10 ? d.ns - 10 : 0; }
  [[nodiscard]] constexpr std::uint32_t start_for(std::uint64_t /*ns*/) { return 98; }
};
constexpr bool async_poll_runs() {
  drained_host host;
  using entry = nybble::poll_entry<kinds>;
  const std::array<entry, 3> entries{entry::of_word(0x1000'0001U), entry::of_word(0x2000'0002U),
                                     entry::of_deadline(nybble::deadline{1, 5, true})};
  nybble::poll_scratch<3, kinds> scratch;
  std::array<nybble::poll_report, 3> reports{};
  const auto n = nybble::lower_poll<kinds, nybble::on_refusal::report_entry>(
      std::span<const entry>{entries}, nybble::timeout::none(), host, scratch, std::span<nybble::poll_report>{reports});
  return n == std::size_t{3} && host.ended == 2;
}
static_assert(async_poll_runs());
} // namespace
