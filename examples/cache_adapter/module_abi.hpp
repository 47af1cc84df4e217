// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A module-ABI adapter over a typed component host, built with nybble.
//
// The guest sees WITX-style functions on plain u32 handles that answer a
// status. The typed host sees resources of distinct types: a cache entry and a
// replace entry each offer subscribe(); an HTTP cache entry offers step(),
// which may need several waits. The adapter tags every handle it gives the
// guest with its kind, so that any u32 the guest hands back can be checked and
// routed to the right typed call, and select can be lowered.
//
// The adapter is a template over its Host, so the same code runs natively
// against nybble::testing::typed_host and inside a WebAssembly component
// against canonical-ABI imports. Host members it needs, besides those of
// nybble::select_host: lookup, replace and http_lookup (each taking a key and
// returning a handle of its kind, or handle<K>::null() when there is none),
// drop(handle<K>) for each kind, and is_ready(word) for pollables.
#ifndef NYBBLE_EXAMPLES_CACHE_ADAPTER_MODULE_ABI_HPP
#define NYBBLE_EXAMPLES_CACHE_ADAPTER_MODULE_ABI_HPP

#include <nybble.hpp>
#include <nybble/select.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>

namespace cache_adapter {

struct cache_entry : nybble::kind<1> {};
struct replace_entry : nybble::kind<2> {};
struct http_cache_entry : nybble::kind<3> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry, replace_entry, http_cache_entry>;

// WASI-style status codes.
enum class status : std::uint32_t { ok = 0, badf = 8, inval = 28, none = 44 };

[[nodiscard]] constexpr const char* to_string(status s) noexcept {
  switch (s) {
  case status::ok:
    return "OK";
  case status::badf:
    return "BADF";
  case status::inval:
    return "INVAL";
  case status::none:
    return "NOENT";
  }
  return "?";
}

// The module ABI's answer to a refused select or is_ready.
[[nodiscard]] constexpr status status_of(nybble::errc e) noexcept {
  switch (e) {
  case nybble::errc::empty_select:
  case nybble::errc::capacity_exceeded:
    return status::inval;
  default:
    return status::badf; // a forged, unwaitable or otherwise unusable handle
  }
}

// The largest handle list select accepts; the scratch lives on the stack.
inline constexpr std::size_t max_select_handles = 64;

template <class Host>
class module_abi {
public:
  constexpr explicit module_abi(Host& host) noexcept : host_{&host} {}

  // Each lookup hands the guest a tagged word.
  template <class Key>
  [[nodiscard]] constexpr status cache_lookup(Key key, std::uint32_t& out) {
    return hand_out(host_->lookup(key), out);
  }
  template <class Key>
  [[nodiscard]] constexpr status cache_replace(Key key, std::uint32_t& out) {
    return hand_out(host_->replace(key), out);
  }
  template <class Key>
  [[nodiscard]] constexpr status http_cache_lookup(Key key, std::uint32_t& out) {
    return hand_out(host_->http_lookup(key), out);
  }

  // async_io::select: `ready` is an index into `handles`, or 0xFFFF'FFFF on timeout.
  // timeout_ms 0 means no timeout, as in WITX.
  [[nodiscard]] constexpr status select(std::span<const std::uint32_t> handles, std::uint32_t timeout_ms,
                                        std::uint32_t& ready) {
    nybble::inline_scratch<max_select_handles, kinds> scratch;
    const auto outcome = nybble::lower_select<kinds>(handles, nybble::timeout::from_guest(timeout_ms), *host_, scratch);
    if (!outcome) {
      return status_of(outcome.error());
    }
    ready = outcome->to_guest();
    return status::ok;
  }

  [[nodiscard]] constexpr status is_ready(std::uint32_t handle, bool& ready) {
    const auto answer = nybble::lower_is_ready<kinds>(handle, *host_);
    if (!answer) {
      return status_of(answer.error());
    }
    ready = *answer;
    return status::ok;
  }

  // One close for every kind, as WITX has it: the tag picks the typed drop.
  [[nodiscard]] constexpr status close(std::uint32_t handle) {
    // visit refuses a sentinel (a typed runtime would trap on it) without calling the lambda.
    const auto closed = nybble::visit<kinds>(handle, [&]<class K>(kinds::handle<K> h) {
      if constexpr (std::is_same_v<K, nybble::untagged>) {
        host_->drop_pollable(h.payload()); // the guest's own pollable
      } else {
        host_->drop(h);
      }
      return status::ok;
    });
    return closed.value_or(status::badf);
  }

private:
  template <class K>
  [[nodiscard]] static constexpr status hand_out(kinds::handle<K> h, std::uint32_t& out) noexcept {
    if (h == kinds::handle<K>::null()) {
      return status::none;
    }
    out = h.to_guest();
    return status::ok;
  }

  Host* host_;
};

} // namespace cache_adapter

#endif
