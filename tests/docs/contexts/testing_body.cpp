// Context `testing_body`: a block that is the body of a test over the
// documents' test host.
#include <nybble.hpp>
#include <nybble/testing.hpp>

#include "doc_layout.hpp"

struct cache_entry : nybble::kind<1> {};
struct http_cache_entry : nybble::kind<3> {};
using kinds = nybble::kind_set<doc_layout, cache_entry, http_cache_entry>;
using test_host = nybble::testing::typed_host<kinds, nybble::testing::subscribes<cache_entry>,
                                              nybble::testing::steps<http_cache_entry>>;
using nybble::testing::readiness;

constexpr bool doc_block() {
  //@BLOCK@
  return true;
}
static_assert(doc_block());

int main() { return doc_block() ? 0 : 1; }
