// Context `generations`: a block that is the body of an adapter's life of one
// handle (open, use, close, open again), over a layout with a generation
// field and the test host, which reuses freed indices as a runtime does. It
// answers a status; main() runs it and it must answer status::ok with no trap.
#include <nybble.hpp>
#include <nybble/testing.hpp>

#include <array>
#include <cstdint>

struct cache_entry : nybble::kind<1> {};
using kinds = nybble::kind_set<nybble::generational_abi_layout, cache_entry>;
using word = kinds::word_type;
using typed_host = nybble::testing::typed_host<kinds, nybble::testing::subscribes<cache_entry>>;

enum class status : std::uint32_t { ok = 0, badf = 3, limit_exceeded = 11 };

[[nodiscard]] status doc_block(typed_host& host) {
  //@BLOCK@
  return status::ok;
}

int main() {
  typed_host host;
  return doc_block(host) == status::ok && host.trap_count() == 0 ? 0 : 1;
}
