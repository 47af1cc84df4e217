# The WASI 0.3 adapter's state beyond the 0.2 adapter's (its table of open
# handles, ../../fastly_adapter/adapter/state.s), in wasm globals, since an
# adapter module may have no data section: the address of the table of wait
# state (wait_state.hpp), and the waitable whose event the last wait or poll
# took (component_host.hpp).
.globaltype p3_adapter_wait_state, i32
p3_adapter_wait_state:
.globaltype p3_adapter_last_event, i32
p3_adapter_last_event:

.globl p3_adapter_wait_state_address
p3_adapter_wait_state_address:
  .functype p3_adapter_wait_state_address () -> (i32)
  global.get p3_adapter_wait_state
  end_function

.globl p3_adapter_set_wait_state_address
p3_adapter_set_wait_state_address:
  .functype p3_adapter_set_wait_state_address (i32) -> ()
  local.get 0
  global.set p3_adapter_wait_state
  end_function

.globl p3_adapter_last_event_waitable
p3_adapter_last_event_waitable:
  .functype p3_adapter_last_event_waitable () -> (i32)
  global.get p3_adapter_last_event
  end_function

.globl p3_adapter_set_last_event_waitable
p3_adapter_set_last_event_waitable:
  .functype p3_adapter_set_last_event_waitable (i32) -> ()
  local.get 0
  global.set p3_adapter_last_event
  end_function
