# The adapter's one piece of state in a wasm global: the address of its page
# (state.hpp), which it takes from the guest's allocator when wasi:cli/run
# starts. An adapter module may have no data section (it shares the guest's
# memory and would overwrite the guest's own data), so no C++ variable can
# hold it; wit-component keeps a module's globals as they are.
.globaltype preview1_adapter_state, i32
preview1_adapter_state:

.globl preview1_adapter_state_address
preview1_adapter_state_address:
  .functype preview1_adapter_state_address () -> (i32)
  global.get preview1_adapter_state
  end_function

.globl preview1_adapter_set_state_address
preview1_adapter_set_state_address:
  .functype preview1_adapter_set_state_address (i32) -> ()
  local.get 0
  global.set preview1_adapter_state
  end_function
