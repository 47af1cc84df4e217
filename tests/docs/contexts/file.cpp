// Context `file`: a block that stands alone at namespace scope, with the core,
// the test host and the standard headers the documents use.
#include <nybble.hpp>
#include <nybble/testing.hpp>

#include "doc_layout.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <span>

//@BLOCK@
