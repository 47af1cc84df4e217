// Context `kinds`: a block at namespace scope that uses the documents' kind set.
#include <nybble.hpp>
#include <nybble/testing.hpp>

#include "doc_layout.hpp"

#include <array>
#include <cstdint>

struct cache_entry : nybble::kind<1> {};
struct http_cache_entry : nybble::kind<3> {};
using kinds = nybble::kind_set<doc_layout, cache_entry, http_cache_entry>;

//@BLOCK@
