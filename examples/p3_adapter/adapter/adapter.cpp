// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// An adapter module: Fastly's module ABI (WITX: every handle a u32) on top of
// the WASI 0.3 mirror of the fastly:compute world (wit/adapter.wit), where
// nothing is a pollable and every wait is an async call. wit-component fuses it
// with the same guest module as the 0.2 adapter:
//
//   jco new GUEST.wasm --adapt wasi_snapshot_preview1=p3_adapter.wasm
//
// The exports are the 0.2 adapter's, the same source
// (../../fastly_adapter/adapter/module_abi.hpp): only the host behind
// nybble::lower_select and lower_is_ready differs (component_host.hpp).
#include "component_host.hpp"
// The exports come after the world they call into.
#include "../../fastly_adapter/adapter/module_abi.hpp"
