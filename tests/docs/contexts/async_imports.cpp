// Context `async_imports`: a host class over the Component Model's async
// built-ins and async-lowered imports, declared as an adapter declares them
// (bodies come from the runtime; nothing here runs). The class must model what
// the lowering needs for the async ABI.
#include <nybble.hpp>

#include <array>
#include <cstdint>
#include <optional>

struct cache_entry : nybble::kind<1> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry>;

std::uint32_t waitable_set_new();
void waitable_join(std::uint32_t waitable, std::uint32_t set);
std::uint32_t waitable_set_wait(std::uint32_t set, std::uint32_t* event);
std::uint32_t waitable_set_poll(std::uint32_t set, std::uint32_t* event);
void waitable_set_drop(std::uint32_t set);
std::uint32_t wait_for_ns(std::uint64_t nanoseconds);
std::uint32_t body_await(std::uint32_t body);
std::uint32_t entry_await_step(std::uint32_t entry);
bool end_subtask(std::uint32_t subtask);
bool remembered_done(std::uint32_t handle);

//@BLOCK@

static_assert(nybble::select_host<async_host, kinds> && nybble::is_ready_host<async_host, kinds>);
static_assert(nybble::wait_model_of<async_host, nybble::untagged, kinds::layout_type> == nybble::wait_model::start);
static_assert(nybble::wait_model_of<async_host, cache_entry, kinds::layout_type> == nybble::wait_model::start);

// And the lowering instantiates over it.
[[maybe_unused]] nybble::result<nybble::select_outcome>
doc_select(async_host& host, std::span<const std::uint32_t> list, std::span<std::uint32_t> scratch) {
  return nybble::lower_select<kinds>(list, nybble::timeout::ms(10), host, scratch);
}
