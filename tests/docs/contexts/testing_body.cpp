// Context `testing_body`: a block that is the body of a test over the
// documents' test host.
#include "doc_test_host.hpp"

constexpr bool doc_block() {
  //@BLOCK@
  return true;
}
static_assert(doc_block());

int main() { return doc_block() ? 0 : 1; }
