// Context `doctest`: a block of constexpr tests and doctest cases over the
// documents' test host; the cases run.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <nybble.hpp>
#include <nybble/testing.hpp>

#include "doc_layout.hpp"

#include <array>

struct cache_entry : nybble::kind<1> {};
struct http_cache_entry : nybble::kind<3> {};
using kinds = nybble::kind_set<doc_layout, cache_entry, http_cache_entry>;
using test_host = nybble::testing::typed_host<kinds, nybble::testing::subscribes<cache_entry>,
                                              nybble::testing::steps<http_cache_entry>>;
using nybble::testing::readiness;

//@BLOCK@
