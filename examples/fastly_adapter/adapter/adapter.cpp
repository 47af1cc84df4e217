// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// An adapter module: Fastly's module ABI (WITX: every handle a u32) on top of
// the fastly:compute component world (typed handles, where a cache entry is not
// a pollable). wit-component fuses it with a separately compiled guest:
//
//   jco new GUEST.wasm --adapt wasi_snapshot_preview1=fastly_adapter.wasm
//
// The exports are module_abi.hpp's; this world's host, which waits with
// pollables (WASI 0.2), is component_host.hpp's.
#include "component_host.hpp"
// The exports come after the world they call into.
#include "module_abi.hpp"
