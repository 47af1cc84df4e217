// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// nybble: typed handles for adapters between an untyped handle ABI (every
// handle a plain u32) and a typed one (the WebAssembly Component Model).
//
// This umbrella includes the core: layouts, kinds, results, handles and the
// select lowering. The range-v3 views live in <nybble/ext/range_v3.hpp> and the
// test host in <nybble/testing.hpp>; include those where you need them.
#ifndef NYBBLE_HPP
#define NYBBLE_HPP

// In dependency order: each header includes the ones above it that it needs.
// clang-format off
#include <nybble/config.hpp>
#include <nybble/layout.hpp>
#include <nybble/result.hpp>
#include <nybble/kind.hpp>
#include <nybble/handle.hpp>
#include <nybble/host.hpp>
#include <nybble/wait.hpp>
#include <nybble/select.hpp>
// clang-format on

#endif // NYBBLE_HPP
