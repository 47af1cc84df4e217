// Context `imports`: a host class over canonical-ABI imports, declared as an
// adapter declares them (bodies come from the runtime; nothing here runs). The
// class must model what the lowering needs.
#include <nybble.hpp>

#include <cstdint>
#include <optional>
#include <span>

struct cache_entry : nybble::kind<1> {};
struct http_cache_entry : nybble::kind<3> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry, http_cache_entry>;

struct option_u32 {
  bool is_some;
  std::uint32_t value;
};
std::uint32_t async_io_select(const std::uint32_t* pollables, std::uint32_t count);
void async_io_select_with_timeout(const std::uint32_t* pollables, std::uint32_t count, std::uint32_t ms,
                                  option_u32* out);
void pollable_drop(std::uint32_t pollable);
std::uint64_t async_io_now_ms();
std::uint32_t cache_entry_subscribe(std::uint32_t entry);
void http_cache_entry_step(std::uint32_t entry, option_u32* out);

//@BLOCK@

static_assert(nybble::select_host<component_host, kinds>);
static_assert(nybble::wait_model_of<component_host, cache_entry, kinds::layout_type> == nybble::wait_model::subscribe);
static_assert(nybble::wait_model_of<component_host, http_cache_entry, kinds::layout_type> == nybble::wait_model::step);
