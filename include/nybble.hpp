// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// nybble: typed handles for adapters between an untyped handle ABI (every
// handle a plain u32) and a typed one (the WebAssembly Component Model).
//
// nybble.hpp: the umbrella of the core (layouts, results, kinds, handles, kind
// sets, generation tables, the host contract, the lowerings of select and poll). The range-v3 views are
// <nybble/ext/range_v3.hpp> and the test host <nybble/testing.hpp>; include
// those where you need them.
//
//   #include <nybble.hpp>
//   struct cache_entry : nybble::kind<1> {};
//   using kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry>;
#ifndef NYBBLE_HPP
#define NYBBLE_HPP

// In dependency order: each header includes only headers above it in this list.
// clang-format off
#include <nybble/config.hpp>
#include <nybble/layout.hpp>
#include <nybble/result.hpp>
#include <nybble/kind.hpp>
#include <nybble/handle.hpp>
#include <nybble/kind_set.hpp>
#include <nybble/generations.hpp>
#include <nybble/host.hpp>
#include <nybble/wait.hpp>
#include <nybble/select.hpp>
#include <nybble/poll.hpp>
// clang-format on

#endif // NYBBLE_HPP
