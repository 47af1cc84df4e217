// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// An adapter module: Fastly's module ABI (WITX: every handle a u32) on top of
// the fastly:compute component world (typed handles, where a cache entry is not
// a pollable). wit-component fuses it with a separately compiled guest:
//
//   jco new GUEST.wasm --adapt wasi_snapshot_preview1=fastly_adapter.wasm
//
// The guest imports `wasi_snapshot_preview1` `MODULE#FUNCTION` (for example
// `fastly_async_io#select`); this module exports exactly those names, with the
// core signatures the WITX in shared/reference/fastly lowers to.
//
// Handles: the guest sees the component's table index, with the kind in bits
// 28..30 (nybble's canonical layout): cache entry 1, replace entry 2, HTTP
// cache entry 3; bodies and requests untagged, as the reference adapter has it.
// Each tagged kind is waited on by step(). A word a guest sends is never passed
// to the component unless it names a live handle of the type the call needs:
// anything else is BADF, with no host call and no trap.
#include "component_imports.hpp"
#include "live_handles.hpp"

#include <nybble.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <type_traits>

namespace fastly_adapter {
namespace {

// fastly_status (typenames.witx), the values this adapter answers.
enum class status : std::uint32_t {
  ok = 0,
  error = 1,
  inval = 2,
  badf = 3,
  unsupported = 5,
  limit_exceeded = 13,
};

struct cache_entry : nybble::kind<1> {};
struct replace_entry : nybble::kind<2> {};
struct http_cache_entry : nybble::kind<3> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry, replace_entry, http_cache_entry>;

// The longest select list; its translation lives on the adapter's stack.
constexpr std::size_t max_select_handles = 256;

// A component `error` case as a fastly_status. The cases are numbered as the
// statuses are, with two gaps (no error case for BADALIGN, none for BADF after
// auxiliary-error): arithmetic instead of a table, which would need a data section.
[[nodiscard]] std::uint32_t status_of_error(std::uint8_t error_case) noexcept {
  constexpr std::uint8_t last_case = 11; // limit-exceeded
  if (error_case > last_case) {
    return static_cast<std::uint32_t>(status::error);
  }
  return error_case + (error_case <= 4 ? 1U : 2U);
}

[[nodiscard]] std::uint32_t status_of(nybble::errc e) noexcept {
  switch (e) {
  case nybble::errc::empty_select:
  case nybble::errc::capacity_exceeded:
    return static_cast<std::uint32_t>(status::inval);
  case nybble::errc::host_index_out_of_range:
    return static_cast<std::uint32_t>(status::error);
  default: // invalid_handle, unknown_kind, wrong_kind, not_pollable, payload_overflow
    return static_cast<std::uint32_t>(status::badf);
  }
}

[[nodiscard]] constexpr std::uint32_t code(status s) noexcept { return static_cast<std::uint32_t>(s); }

// --- Resource types --------------------------------------------------------------

template <class K>
constexpr resource_type resource_type_of = std::is_same_v<K, cache_entry>     ? resource_type::cache_entry
                                           : std::is_same_v<K, replace_entry> ? resource_type::replace_entry
                                                                              : resource_type::http_cache_entry;

// Closes a resource on the component side, whatever the guest thinks of it.
void close_on_component(resource_type type, std::uint32_t index, component::handle_or_error& out) noexcept {
  switch (type) {
  case resource_type::body:
    component::http_body_close(index, &out);
    return;
  case resource_type::request:
    component::http_req_close(index, &out);
    return;
  case resource_type::cache_entry:
    component::cache_close_entry(index, &out);
    return;
  case resource_type::replace_entry:
    component::cache_close_replace_entry(index, &out);
    return;
  case resource_type::http_cache_entry:
    component::http_cache_close_entry(index, &out);
    return;
  }
}

// Hands the guest the word for a resource the component just made, or disposes
// of it when it cannot be tracked or tagged.
template <class K>
[[nodiscard]] std::uint32_t hand_out(resource_type type, const component::handle_or_error& made,
                                     std::uint32_t* out) noexcept {
  if (made.is_error != 0) {
    return status_of_error(made.value.error);
  }
  const std::uint32_t index = made.value.handle;
  const auto h = kinds::handle<K>::from_payload(index);
  if (!h || h->is_invalid() || !live_handles::insert(type, index)) {
    component::handle_or_error closed{};
    close_on_component(type, index, closed);
    return code(status::limit_exceeded);
  }
  *out = h->to_abi();
  return code(status::ok);
}

// Closes a handle the guest names, if it is open and of `type`.
[[nodiscard]] std::uint32_t close_handle(resource_type type, std::uint32_t index) noexcept {
  if (!live_handles::contains(type, index)) {
    return code(status::badf); // closed already, never opened, or of another type
  }
  live_handles::erase(type, index); // the component takes ownership whatever it answers
  component::handle_or_error out{};
  close_on_component(type, index, out);
  return out.is_error != 0 ? status_of_error(out.value.error) : code(status::ok);
}

// Closes the handle a guest word names, if it decodes as a K and is open as `type`.
template <class K>
[[nodiscard]] std::uint32_t close_word(resource_type type, std::uint32_t word) noexcept {
  const auto h = nybble::decode<K, kinds>(word);
  if (!h || h->is_invalid()) {
    return code(status::badf);
  }
  return close_handle(type, h->payload());
}

// A cache lookup of either flavour: options unsupported, the entry handed out.
template <class Lookup>
[[nodiscard]] std::uint32_t cache_lookup(std::uint32_t options_mask, std::uint32_t* entry_out, Lookup lookup) noexcept {
  if (options_mask != 0) {
    return code(status::unsupported);
  }
  component::handle_or_error made{};
  lookup(made);
  return hand_out<cache_entry>(resource_type::cache_entry, made, entry_out);
}

// Whether a guest word names an open handle that select and is_ready can wait
// on: a body (untagged) or an entry of one of the tagged kinds. Requests are
// untagged too but are not pollables: the component would trap on one.
[[nodiscard]] bool names_open_waitable(std::uint32_t word) noexcept {
  return nybble::visit<kinds>(word,
                              [](auto h) {
                                using K = typename decltype(h)::kind_type;
                                if (h.is_invalid()) {
                                  return false;
                                }
                                if constexpr (std::is_same_v<K, nybble::untagged>) {
                                  return live_handles::contains(resource_type::body, h.payload());
                                } else {
                                  return live_handles::contains(resource_type_of<K>, h.payload());
                                }
                              })
      .value_or(false);
}

// --- nybble's view of the component side -----------------------------------------

struct component_host {
  [[nodiscard]] std::uint32_t select(std::span<const std::uint32_t> pollables) const noexcept {
    return component::async_io_select(pollables.data(), static_cast<std::uint32_t>(pollables.size()));
  }
  [[nodiscard]] std::optional<std::uint32_t> select(std::span<const std::uint32_t> pollables,
                                                    std::uint32_t timeout_ms) const noexcept {
    component::option_u32 out{};
    component::async_io_select_with_timeout(pollables.data(), static_cast<std::uint32_t>(pollables.size()), timeout_ms,
                                            &out);
    return out.is_some != 0 ? std::optional<std::uint32_t>{out.value} : std::nullopt;
  }
  void drop_pollable(std::uint32_t pollable) const noexcept { component::async_io_pollable_drop(pollable); }
  [[nodiscard]] bool is_ready(std::uint32_t pollable) const noexcept {
    return component::async_io_pollable_is_ready(pollable) != 0;
  }
  [[nodiscard]] std::uint64_t now_ms() const noexcept { return component::monotonic_clock_now() / 1'000'000U; }

  [[nodiscard]] std::optional<std::uint32_t> step(kinds::handle<cache_entry> h) const noexcept {
    component::option_handle out{};
    component::cache_entry_step(h.payload(), &out);
    return pollable_of(out);
  }
  [[nodiscard]] std::optional<std::uint32_t> step(kinds::handle<replace_entry> h) const noexcept {
    component::option_handle out{};
    component::cache_replace_entry_step(h.payload(), &out);
    return pollable_of(out);
  }
  [[nodiscard]] std::optional<std::uint32_t> step(kinds::handle<http_cache_entry> h) const noexcept {
    component::option_handle out{};
    component::http_cache_entry_step(h.payload(), &out);
    return pollable_of(out);
  }

private:
  [[nodiscard]] static std::optional<std::uint32_t> pollable_of(const component::option_handle& out) noexcept {
    return out.is_some != 0 ? std::optional<std::uint32_t>{out.handle} : std::nullopt;
  }
};
static_assert(nybble::select_host<component_host, kinds>);
static_assert(nybble::is_ready_host<component_host, kinds>);

} // namespace
} // namespace fastly_adapter

// --- The module ABI ------------------------------------------------------------------

using fastly_adapter::code;
using fastly_adapter::live_handles;
using fastly_adapter::resource_type;
using fastly_adapter::status;
namespace component = fastly_adapter::component;

#define FASTLY_EXPORT(name) extern "C" __attribute__((export_name(name)))

// fastly_http_body::new(body_handle_out)
FASTLY_EXPORT("fastly_http_body#new") std::uint32_t fastly_http_body_new(std::uint32_t* body_out) {
  component::handle_or_error made{};
  component::http_body_new(&made);
  return fastly_adapter::hand_out<nybble::untagged>(resource_type::body, made, body_out);
}

// fastly_http_req::new(request_handle_out)
FASTLY_EXPORT("fastly_http_req#new") std::uint32_t fastly_http_req_new(std::uint32_t* request_out) {
  component::handle_or_error made{};
  component::http_req_request_new(&made);
  return fastly_adapter::hand_out<nybble::untagged>(resource_type::request, made, request_out);
}

// fastly_cache::lookup(key_ptr, key_len, options_mask, options, cache_handle_out)
FASTLY_EXPORT("fastly_cache#lookup")
std::uint32_t fastly_cache_lookup(const std::uint8_t* key, std::uint32_t key_len, std::uint32_t options_mask,
                                  const void* /*options*/, std::uint32_t* entry_out) {
  return fastly_adapter::cache_lookup(options_mask, entry_out, [&](component::handle_or_error& made) {
    component::cache_entry_lookup(key, key_len, component::none, 0, 0, component::none, 0, &made);
  });
}

// fastly_cache::transaction_lookup(key_ptr, key_len, options_mask, options, cache_handle_out)
FASTLY_EXPORT("fastly_cache#transaction_lookup")
std::uint32_t fastly_cache_transaction_lookup(const std::uint8_t* key, std::uint32_t key_len,
                                              std::uint32_t options_mask, const void* /*options*/,
                                              std::uint32_t* entry_out) {
  return fastly_adapter::cache_lookup(options_mask, entry_out, [&](component::handle_or_error& made) {
    component::cache_entry_transaction_lookup(key, key_len, component::none, 0, 0, component::none, 0, &made);
  });
}

// fastly_cache::replace(key_ptr, key_len, options_mask, options, cache_replace_handle_out)
FASTLY_EXPORT("fastly_cache#replace")
std::uint32_t fastly_cache_replace(const std::uint8_t* key, std::uint32_t key_len, std::uint32_t options_mask,
                                   const void* /*options*/, std::uint32_t* entry_out) {
  if (options_mask != 0) {
    return code(status::unsupported);
  }
  component::handle_or_error made{};
  component::cache_replace_entry_replace(key, key_len, component::none, 0, component::none, 0, 0, component::none, 0,
                                         &made);
  return fastly_adapter::hand_out<fastly_adapter::replace_entry>(resource_type::replace_entry, made, entry_out);
}

// fastly_cache::close(cache_handle): shared by cache entries and replace entries.
FASTLY_EXPORT("fastly_cache#close") std::uint32_t fastly_cache_close(std::uint32_t handle) {
  return nybble::visit<fastly_adapter::kinds>(handle,
                                              [](auto h) {
                                                using K = typename decltype(h)::kind_type;
                                                if constexpr (std::is_same_v<K, fastly_adapter::cache_entry> ||
                                                              std::is_same_v<K, fastly_adapter::replace_entry>) {
                                                  return fastly_adapter::close_handle(
                                                      fastly_adapter::resource_type_of<K>, h.payload());
                                                } else {
                                                  return code(status::badf);
                                                }
                                              })
      .value_or(code(status::badf));
}

// The HTTP cache's lookups share their checks: a live request, options unsupported.
namespace {
template <class Lookup>
std::uint32_t http_cache_lookup(std::uint32_t request, std::uint32_t options_mask, std::uint32_t* entry_out,
                                Lookup lookup) {
  if (options_mask != 0) {
    return code(status::unsupported);
  }
  const auto r = nybble::decode<nybble::untagged, fastly_adapter::kinds>(request);
  if (!r || r->is_invalid() || !live_handles::contains(resource_type::request, r->payload())) {
    return code(status::badf);
  }
  component::handle_or_error made{};
  lookup(r->payload(), made);
  return fastly_adapter::hand_out<fastly_adapter::http_cache_entry>(resource_type::http_cache_entry, made, entry_out);
}
void http_cache_transaction_lookup_on_component(std::uint32_t request, component::handle_or_error& made) {
  component::http_cache_entry_transaction_lookup(request, component::none, nullptr, 0, component::none, 0,
                                                 component::none, 0, &made);
}
} // namespace

// fastly_http_cache::lookup(request, options_mask, options, http_cache_handle_out). The
// component world has no request-collapsing-free HTTP lookup: this is transaction_lookup.
FASTLY_EXPORT("fastly_http_cache#lookup")
std::uint32_t fastly_http_cache_lookup(std::uint32_t request, std::uint32_t options_mask, const void* /*options*/,
                                       std::uint32_t* entry_out) {
  return http_cache_lookup(request, options_mask, entry_out, http_cache_transaction_lookup_on_component);
}

// fastly_http_cache::transaction_lookup(request, options_mask, options, http_cache_handle_out)
FASTLY_EXPORT("fastly_http_cache#transaction_lookup")
std::uint32_t fastly_http_cache_transaction_lookup(std::uint32_t request, std::uint32_t options_mask,
                                                   const void* /*options*/, std::uint32_t* entry_out) {
  return http_cache_lookup(request, options_mask, entry_out, http_cache_transaction_lookup_on_component);
}

// fastly_http_cache::close(http_cache_handle)
FASTLY_EXPORT("fastly_http_cache#close") std::uint32_t fastly_http_cache_close(std::uint32_t handle) {
  return fastly_adapter::close_word<fastly_adapter::http_cache_entry>(resource_type::http_cache_entry, handle);
}

// fastly_http_body::close(body_handle)
FASTLY_EXPORT("fastly_http_body#close") std::uint32_t fastly_http_body_close(std::uint32_t handle) {
  return fastly_adapter::close_word<nybble::untagged>(resource_type::body, handle);
}

// fastly_http_req::close(request_handle)
FASTLY_EXPORT("fastly_http_req#close") std::uint32_t fastly_http_req_close(std::uint32_t handle) {
  return fastly_adapter::close_word<nybble::untagged>(resource_type::request, handle);
}

// fastly_async_io::select(handles_ptr, handles_len, timeout_ms, ready_idx_out)
FASTLY_EXPORT("fastly_async_io#select")
std::uint32_t fastly_async_io_select(const std::uint32_t* handles, std::uint32_t count, std::uint32_t timeout_ms,
                                     std::uint32_t* ready_out) {
  const std::span<const std::uint32_t> list{handles, count};
  if (count > fastly_adapter::max_select_handles) {
    return code(status::inval);
  }
  // nybble refuses forged tags and sentinels; this also refuses handles that
  // are closed or are requests, which the component would trap on.
  for (const std::uint32_t word : list) {
    if (!fastly_adapter::names_open_waitable(word)) {
      return code(status::badf);
    }
  }
  fastly_adapter::component_host host;
  nybble::inline_scratch<fastly_adapter::max_select_handles, fastly_adapter::kinds> scratch;
  const auto outcome =
      nybble::lower_select<fastly_adapter::kinds>(list, nybble::timeout::from_witx(timeout_ms), host, scratch);
  if (!outcome) {
    return fastly_adapter::status_of(outcome.error());
  }
  *ready_out = outcome->to_witx();
  return code(status::ok);
}

// fastly_async_io::is_ready(handle, is_done_out)
FASTLY_EXPORT("fastly_async_io#is_ready")
std::uint32_t fastly_async_io_is_ready(std::uint32_t handle, std::uint32_t* done_out) {
  if (!fastly_adapter::names_open_waitable(handle)) {
    return code(status::badf);
  }
  fastly_adapter::component_host host;
  const auto ready = nybble::lower_is_ready<fastly_adapter::kinds>(handle, host);
  if (!ready) {
    return fastly_adapter::status_of(ready.error());
  }
  *done_out = *ready ? 1U : 0U;
  return code(status::ok);
}
