// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// The documents' kinds and test host (docs/testing.md, "Setting up"), for the
// contexts of blocks that use them.
#ifndef NYBBLE_DOC_TEST_HOST_HPP
#define NYBBLE_DOC_TEST_HOST_HPP
#include <nybble.hpp>
#include <nybble/testing.hpp>

#include "doc_layout.hpp"

struct cache_entry : nybble::kind<1> {};
struct http_cache_entry : nybble::kind<3> {};
using kinds = nybble::kind_set<doc_layout, cache_entry, http_cache_entry>;
using test_host = nybble::testing::typed_host<kinds, nybble::testing::subscribes<cache_entry>,
                                              nybble::testing::steps<http_cache_entry>>;
using nybble::testing::readiness;
#endif
