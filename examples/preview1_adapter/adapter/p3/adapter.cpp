// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The WASI preview1 command adapter module on WASI 0.3: the same exports as
// the 0.2 adapter (../preview1_exports.hpp), over this world's calls and the
// host nybble waits on (waitable sets), component_host.hpp's.
//
//   jco new GUEST.wasm --adapt wasi_snapshot_preview1=preview1_adapter_p3.wasm
#include "component_host.hpp"
// The exports come after the world they call into.
#include "../preview1_exports.hpp"
