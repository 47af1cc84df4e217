// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// One random close-and-reopen scenario, built from bytes, run and checked: what
// an adapter does with a generation table over a host that reuses freed
// indices most recently freed first (nybble's test host, as a runtime does).
// Resources are opened, closed and opened again (the host hands the closed
// index to the next one); the guest keeps every word it was ever given and
// sends live and stale ones to lower_select and lower_is_ready. The laws:
//  * a list (or a word) with a stale word in it is refused with stale_handle,
//    before any host call (a kind refusal, checked first, wins over it);
//  * a list of live words is answered as without generations: no trap (the host
//    never sees a generation, nor a closed index), no pollable leaked, and the
//    index names a live handle that is done;
//  * the table finds every word the guest holds exactly while its handle is open.
// Shared by the seeded property test and the libFuzzer target.
#ifndef NYBBLE_TESTS_STALE_SCENARIO_HPP
#define NYBBLE_TESTS_STALE_SCENARIO_HPP

#include "select_scenario.hpp"

#include <nybble/generations.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace nybble_tests::stale_scenario {

using select_scenario::byte_reader;
using select_scenario::failure;
using select_scenario::path;
using select_scenario::read_readiness;
using select_scenario::report;

struct cache_entry : nybble::kind<1> {};      // subscribe() -> pollable
struct http_cache_entry : nybble::kind<2> {}; // step() -> option<pollable>
using nybble::testing::readiness;

// The scenario over one layout with a generation field (words of 16, 32 or 64 bits).
template <class Layout>
struct over {
  using kinds = nybble::kind_set<Layout, cache_entry, http_cache_entry>;
  using host = nybble::testing::typed_host<kinds, nybble::testing::subscribes<cache_entry>,
                                           nybble::testing::steps<http_cache_entry>>;
  using table = nybble::generation_table<kinds>;
  using word = typename Layout::word_type;

  // The lowering under test, and what a broken one is given instead.
  struct nybble_lowering {
    [[nodiscard]] constexpr nybble::result<nybble::select_outcome> operator()(std::span<const word> list,
                                                                              nybble::timeout wait_for, host& h,
                                                                              std::span<word> scratch,
                                                                              const table& generations) const {
      return nybble::lower_select<kinds>(list, wait_for, h, scratch, generations);
    }
    [[nodiscard]] constexpr nybble::result<bool> operator()(word w, host& h, const table& generations) const {
      return nybble::lower_is_ready<kinds>(w, h, generations);
    }
  };

  // The guest's side: every word it was given, and whether its handle is still open.
  struct given_word {
    word w = 0;
    bool open = false;
  };

  static constexpr std::size_t max_words = 24;
  static constexpr std::size_t max_list = 8;
  static constexpr std::size_t table_indices = 16;

  // Opens one resource (a pollable, an entry or a stepping entry) and hands its word out.
  static constexpr std::optional<word> open_one(byte_reader& in, host& h, table& generations) noexcept {
    const std::uint32_t kind = in.next(3);
    const readiness when = read_readiness(in);
    if (kind == 0) {
      const word index = h.add_pollable(when);
      return generations.template hand_out<nybble::untagged>(index)->to_guest();
    }
    if (kind == 1) {
      return generations.template hand_out<cache_entry>(h.template add<cache_entry>(when).payload())->to_guest();
    }
    return generations
        .template hand_out<http_cache_entry>(h.template add<http_cache_entry>({when, read_readiness(in)}).payload())
        ->to_guest();
  }

  // Closes the handle a word names: retire it in the table, close it on the host.
  static constexpr bool close_one(word w, host& h, table& generations) noexcept {
    bool closed = false;
    static_cast<void>(nybble::visit<kinds>(w, [&]<class K>(typename kinds::template handle<K>) {
      const auto retired = generations.template retire<K>(w);
      if (retired) {
        if constexpr (std::is_same_v<K, nybble::untagged>) {
          h.drop_pollable(retired->payload());
        } else {
          h.drop(*retired); // the host sees the index: payload()
        }
        closed = true;
      }
    }));
    return closed;
  }

  template <class Lowering = nybble_lowering>
  [[nodiscard]] static constexpr report run(std::span<const std::uint8_t> bytes, Lowering lower = {}) noexcept {
    byte_reader in{bytes};
    host h;
    std::array<typename table::slot_type, table::kinds_per_slot_row * table_indices> slots{};
    table generations{slots};
    std::array<given_word, max_words> given{};
    std::size_t given_count = 0;

    // A history: opens and closes, most of them reusing the index just freed.
    const std::uint32_t steps = 4 + in.next(12);
    for (std::uint32_t s = 0; s < steps; ++s) {
      const bool close = given_count > 0 && in.next(5) < 2;
      if (close) {
        given_word& g = given[in.next(static_cast<std::uint32_t>(given_count))];
        if (g.open) {
          if (!close_one(g.w, h, generations)) {
            return {failure::unexpected_error, path::refused}; // a live word the table did not find
          }
          g.open = false;
        }
      } else if (given_count < max_words && h.live_resources() + h.live_pollables() < table_indices - 2) {
        const std::optional<word> w = open_one(in, h, generations);
        if (!w) {
          return {failure::unexpected_error, path::refused};
        }
        given[given_count++] = given_word{*w, true};
      }
    }
    if (given_count == 0) {
      return {failure::none, path::refused};
    }

    // Every word the guest holds: the table finds it exactly while it is open.
    for (std::size_t i = 0; i < given_count; ++i) {
      if (generations.check(given[i].w).has_value() != given[i].open) {
        return {failure::wrong_refusal, path::refused};
      }
    }

    // The guest's list: any words it was given, live or stale.
    std::array<word, max_list> list{};
    const std::size_t count = 1 + in.next(max_list);
    bool any_stale = false;
    for (std::size_t i = 0; i < count; ++i) {
      const given_word& g = given[in.next(static_cast<std::uint32_t>(given_count))];
      list[i] = g.w;
      any_stale = any_stale || !g.open;
    }
    const nybble::timeout wait_for = nybble::timeout::ms(in.next(80));
    const auto guest_list = std::span<const word>{list}.first(count);
    std::array<word, max_list> scratch{};
    h.clear_log();
    const std::size_t pollables_before = h.live_pollables();
    const std::uint64_t start = h.virtual_time_ms();

    // is_ready on the first word: the same refusal.
    const nybble::result<bool> ready = lower(list[0], h, generations);
    const bool first_stale = generations.check(list[0]) == nybble::errc::stale_handle;
    if (first_stale) {
      if (ready != nybble::errc::stale_handle || h.call_count() != 0) {
        return {ready == nybble::errc::stale_handle ? failure::host_called_on_refusal : failure::wrong_refusal,
                path::refused};
      }
    } else if (!ready.has_value()) {
      return {failure::unexpected_error, path::host_refused};
    }

    h.clear_log();
    const auto r = lower(guest_list, wait_for, h, std::span<word>{scratch}.first(count), generations);
    if (any_stale) {
      if (r != nybble::errc::stale_handle) {
        return {failure::wrong_refusal, path::refused};
      }
      return {h.call_count() == 0 ? failure::none : failure::host_called_on_refusal, path::refused};
    }
    const path taken = !r.has_value() ? path::host_refused : r->timed_out() ? path::timed_out : path::ready;
    if (h.trap_count() != 0) {
      return {failure::unexpected_trap, taken};
    }
    if (h.live_pollables() != pollables_before) {
      return {failure::leaked_pollable, taken};
    }
    if (!r.has_value()) {
      return {failure::unexpected_error, taken};
    }
    if (!r->timed_out()) {
      const auto done =
          nybble::visit<kinds>(guest_list[r->index()], [&]<class K>(typename kinds::template handle<K> handle) {
            if constexpr (std::is_same_v<K, nybble::untagged>) {
              return true; // a guest pollable the host answered: the host checks its own readiness
            } else {
              return h.is_done(handle);
            }
          });
      if (done != true) {
        return {failure::index_not_ready, taken};
      }
    }
    if (h.virtual_time_ms() - start > wait_for.milliseconds()) {
      return {failure::outlasted_timeout, taken};
    }
    return {failure::none, taken};
  }
};

} // namespace nybble_tests::stale_scenario

#endif
