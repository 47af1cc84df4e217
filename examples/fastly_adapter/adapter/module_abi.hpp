// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Fastly's module ABI (WITX: every handle a u32), as the adapter module
// exports it: the thirteen functions, written once for every world the adapter
// is built for. Each world's adapter.cpp includes its component_host.hpp
// (the component's calls, and the host nybble lowers select and is_ready onto)
// and then this header, once: the fastly:compute world, waited on with
// pollables (WASI 0.2), here; its WASI 0.3 mirror, waited on with waitable
// sets, in examples/p3_adapter. The exports are the same code for both: only
// the host behind nybble::lower_select differs.
//
// The guest imports `wasi_snapshot_preview1` `MODULE#FUNCTION` (for example
// `fastly_async_io#select`); the module exports exactly those names, with the
// core signatures the WITX in shared/reference/fastly lowers to.
//
// A word a guest sends is never passed to the component unless it names a
// handle the adapter handed out, of the kind the call needs, and the guest has
// not closed (open_handles.hpp: a closed handle's word stays refused after the
// runtime gives its index to another resource): anything else is BADF, with no
// host call and no trap.
//
// What a world provides, before this header: namespace fastly_adapter::component
// with the calls of resource_imports.hpp, and fastly_adapter::component_host, a
// nybble select_host and is_ready_host for `kinds` with a static
// forget(resource_type, index) for what it keeps about a handle the guest closes.
#ifndef FASTLY_ADAPTER_MODULE_ABI_HPP
#define FASTLY_ADAPTER_MODULE_ABI_HPP

#include "kinds.hpp"
#include "open_handles.hpp"
#include "resource_imports.hpp"
#include "status.hpp"

#include <nybble.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <type_traits>

namespace fastly_adapter {

// --- Helpers ---------------------------------------------------------------------------
namespace {

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

// Hands the guest the word for a resource of kind K the component just made,
// or disposes of it when the table cannot hold its index.
template <class K>
[[nodiscard]] std::uint32_t hand_out(const component::handle_or_error& made, std::uint32_t* out) noexcept {
  if (made.is_error != 0) {
    return status_of_error(made.value.error);
  }
  const std::uint32_t index = made.value.handle;
  const auto h = open_handles().hand_out<K>(index);
  if (!h) {
    component::handle_or_error closed{};
    close_on_component(resource_type_of<K>(), index, closed);
    return code(status::limit_exceeded);
  }
  *out = h->to_guest();
  return code(status::ok);
}

// The one check of an options mask, and the opening of an entry of kind K:
// options are unsupported (any bit set answers UNSUPPORTED without a host
// call); otherwise `open` asks the component and the entry is handed out.
template <class K, class Open>
[[nodiscard]] std::uint32_t open_entry(std::uint32_t options_mask, std::uint32_t* out, Open open) noexcept {
  if (options_mask != 0) {
    return code(status::unsupported);
  }
  component::handle_or_error made{};
  open(made);
  return hand_out<K>(made, out);
}

// Closes the handle a guest word names, if it is an open K: its word (and every
// copy the guest kept) is stale from then on, whatever the component answers,
// since the component takes ownership of the handle.
template <class K>
[[nodiscard]] std::uint32_t close_word(std::uint32_t word) noexcept {
  const auto h = open_handles().retire<K>(word);
  if (!h) {
    return code(status::badf); // closed already, never opened, or of another kind
  }
  component_host::forget(resource_type_of<K>(), h->payload());
  component::handle_or_error out{};
  close_on_component(resource_type_of<K>(), h->payload(), out);
  return out.is_error != 0 ? status_of_error(out.value.error) : code(status::ok);
}

// The open request a guest word names, or nothing.
[[nodiscard]] std::optional<std::uint32_t> open_request(std::uint32_t word) noexcept {
  const auto r = open_handles().find<request>(word);
  if (!r) {
    return std::nullopt;
  }
  return r->payload();
}

// The HTTP cache's one lookup (the component world has no lookup without
// request collapsing): a live request, options unsupported.
[[nodiscard]] std::uint32_t http_cache_transaction_lookup(std::uint32_t request_word, std::uint32_t options_mask,
                                                          std::uint32_t* entry_out) noexcept {
  const auto request = open_request(request_word);
  if (!request) {
    return code(status::badf);
  }
  return open_entry<http_cache_entry>(options_mask, entry_out, [&](component::handle_or_error& made) {
    component::http_cache_entry_transaction_lookup(*request, component::none, nullptr, 0, component::none, 0,
                                                   component::none, 0, &made);
  });
}

} // namespace

// --- The module ABI: the exports (C names, whatever the namespace) --------------------

#define FASTLY_EXPORT(name) extern "C" __attribute__((export_name(name)))

// fastly_http_body::new(body_handle_out)
FASTLY_EXPORT("fastly_http_body#new") std::uint32_t fastly_http_body_new(std::uint32_t* body_out) {
  component::handle_or_error made{};
  component::http_body_new(&made);
  return hand_out<nybble::untagged>(made, body_out);
}

// fastly_http_req::new(request_handle_out)
FASTLY_EXPORT("fastly_http_req#new") std::uint32_t fastly_http_req_new(std::uint32_t* request_out) {
  component::handle_or_error made{};
  component::http_req_request_new(&made);
  return hand_out<request>(made, request_out);
}

// fastly_cache::lookup(key_ptr, key_len, options_mask, options, cache_handle_out)
FASTLY_EXPORT("fastly_cache#lookup")
std::uint32_t fastly_cache_lookup(const std::uint8_t* key, std::uint32_t key_len, std::uint32_t options_mask,
                                  const void* /*options*/, std::uint32_t* entry_out) {
  return open_entry<cache_entry>(options_mask, entry_out, [&](component::handle_or_error& made) {
    component::cache_entry_lookup(key, key_len, component::none, 0, 0, component::none, 0, &made);
  });
}

// fastly_cache::transaction_lookup(key_ptr, key_len, options_mask, options, cache_handle_out)
FASTLY_EXPORT("fastly_cache#transaction_lookup")
std::uint32_t fastly_cache_transaction_lookup(const std::uint8_t* key, std::uint32_t key_len,
                                              std::uint32_t options_mask, const void* /*options*/,
                                              std::uint32_t* entry_out) {
  return open_entry<cache_entry>(options_mask, entry_out, [&](component::handle_or_error& made) {
    component::cache_entry_transaction_lookup(key, key_len, component::none, 0, 0, component::none, 0, &made);
  });
}

// fastly_cache::replace(key_ptr, key_len, options_mask, options, cache_replace_handle_out)
FASTLY_EXPORT("fastly_cache#replace")
std::uint32_t fastly_cache_replace(const std::uint8_t* key, std::uint32_t key_len, std::uint32_t options_mask,
                                   const void* /*options*/, std::uint32_t* entry_out) {
  return open_entry<replace_entry>(options_mask, entry_out, [&](component::handle_or_error& made) {
    component::cache_replace_entry_replace(key, key_len, component::none, 0, component::none, 0, 0, component::none, 0,
                                           &made);
  });
}

// fastly_cache::close(cache_handle): shared by cache entries and replace entries.
FASTLY_EXPORT("fastly_cache#close") std::uint32_t fastly_cache_close(std::uint32_t handle) {
  return nybble::visit<kinds>(handle,
                              []<class K>(kinds::handle<K> h) {
                                if constexpr (std::is_same_v<K, cache_entry> || std::is_same_v<K, replace_entry>) {
                                  return close_word<K>(h.to_guest());
                                } else {
                                  return code(status::badf);
                                }
                              })
      .value_or(code(status::badf));
}

// fastly_http_cache::lookup(request, options_mask, options, http_cache_handle_out). The
// component world has no request-collapsing-free HTTP lookup: this is transaction_lookup.
FASTLY_EXPORT("fastly_http_cache#lookup")
std::uint32_t fastly_http_cache_lookup(std::uint32_t request, std::uint32_t options_mask, const void* /*options*/,
                                       std::uint32_t* entry_out) {
  return http_cache_transaction_lookup(request, options_mask, entry_out);
}

// fastly_http_cache::transaction_lookup(request, options_mask, options, http_cache_handle_out)
FASTLY_EXPORT("fastly_http_cache#transaction_lookup")
std::uint32_t fastly_http_cache_transaction_lookup(std::uint32_t request, std::uint32_t options_mask,
                                                   const void* /*options*/, std::uint32_t* entry_out) {
  return http_cache_transaction_lookup(request, options_mask, entry_out);
}

// fastly_http_cache::close(http_cache_handle)
FASTLY_EXPORT("fastly_http_cache#close") std::uint32_t fastly_http_cache_close(std::uint32_t handle) {
  return close_word<http_cache_entry>(handle);
}

// fastly_http_body::close(body_handle)
FASTLY_EXPORT("fastly_http_body#close") std::uint32_t fastly_http_body_close(std::uint32_t handle) {
  return close_word<nybble::untagged>(handle);
}

// fastly_http_req::close(request_handle)
FASTLY_EXPORT("fastly_http_req#close") std::uint32_t fastly_http_req_close(std::uint32_t handle) {
  return close_word<request>(handle);
}

// fastly_async_io::select(handles_ptr, handles_len, timeout_ms, ready_idx_out)
FASTLY_EXPORT("fastly_async_io#select")
std::uint32_t fastly_async_io_select(const std::uint32_t* handles, std::uint32_t count, std::uint32_t timeout_ms,
                                     std::uint32_t* ready_out) {
  const std::span<const std::uint32_t> list{handles, count};
  if (count > max_select_handles) {
    return code(status::inval);
  }
  component_host host;
  nybble::inline_scratch<max_select_handles, kinds> scratch;
  const auto outcome =
      nybble::lower_select<kinds>(list, nybble::timeout::from_guest(timeout_ms), host, scratch, open_handles());
  if (!outcome) {
    return status_of(outcome.error());
  }
  *ready_out = outcome->to_guest();
  return code(status::ok);
}

// fastly_async_io::is_ready(handle, is_done_out)
FASTLY_EXPORT("fastly_async_io#is_ready")
std::uint32_t fastly_async_io_is_ready(std::uint32_t handle, std::uint32_t* done_out) {
  component_host host;
  const auto ready = nybble::lower_is_ready<kinds>(handle, host, open_handles());
  if (!ready) {
    return status_of(ready.error());
  }
  *done_out = *ready ? 1U : 0U;
  return code(status::ok);
}

} // namespace fastly_adapter

#endif
