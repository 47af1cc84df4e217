// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A WASI preview1 command adapter module on WASI 0.2, built on nybble's
// lower_poll. wit-component fuses it with a wasi-libc program compiled on
// its own:
//
//   jco new GUEST.wasm --adapt wasi_snapshot_preview1=preview1_adapter.wasm
//
// The exports are preview1_exports.hpp's; this world's calls, and the host
// nybble waits on (pollables), are component_host.hpp's.
#include "component_host.hpp"
// The exports come after the world they call into.
#include "preview1_exports.hpp"
