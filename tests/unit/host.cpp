// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// host.hpp: the host concepts and wait_model_of, over the test host and hosts
// of the test's own that lack a member.
#include <nybble/host.hpp>

#include "select_fixture.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <span>

using namespace nybble_tests::select_fixture;

namespace {

struct host_without_drop {
  std::uint32_t select(std::span<const word>) { return 0; }
  std::optional<std::uint32_t> select(std::span<const word>, std::uint32_t) { return 0U; }
};

static_assert(nybble::select_host<host, kinds>);
static_assert(nybble::is_ready_host<host, kinds>);
static_assert(!nybble::select_host<host_without_drop, kinds>);
static_assert(nybble::host_with_select<host_without_drop, word>);
static_assert(!nybble::host_with_drop_pollable<host_without_drop, word>);
static_assert(nybble::wait_model_of<host, cache_entry, nybble::canonical_abi_layout> == nybble::wait_model::subscribe);
static_assert(nybble::wait_model_of<host, http_cache_entry, nybble::canonical_abi_layout> == nybble::wait_model::step);
static_assert(nybble::wait_model_of<host, body, nybble::canonical_abi_layout> == nybble::wait_model::unwaitable);
static_assert(nybble::wait_model_of<host, nybble::untagged, nybble::canonical_abi_layout> ==
              nybble::wait_model::pass_through);

static_assert(nybble::host_with_pollables<host, word>);
static_assert(!nybble::host_with_pollables<host_without_drop, word>);
static_assert(!nybble::host_with_waitable_sets<host, word>);

// A host of waitable sets has no pollables: every waitable kind is started.
using set_host = nybble::testing::typed_host<kinds, nybble::testing::waitable_sets>;
static_assert(nybble::select_host<set_host, kinds> && !nybble::host_with_pollables<set_host, word>);
static_assert(nybble::wait_model_of<set_host, nybble::untagged, nybble::canonical_abi_layout> ==
              nybble::wait_model::start);
static_assert(nybble::wait_model_of<set_host, body, nybble::canonical_abi_layout> == nybble::wait_model::unwaitable);

} // namespace

TEST_CASE("the host concepts and wait models, read at run time") {
  CHECK(nybble::select_host<host, kinds>);
  CHECK(!nybble::select_host<host_without_drop, kinds>);
  CHECK(nybble::wait_model_of<host, http_cache_entry, nybble::canonical_abi_layout> == nybble::wait_model::step);
  CHECK(nybble::wait_model_of<set_host, cache_entry, nybble::canonical_abi_layout> == nybble::wait_model::start);
}
