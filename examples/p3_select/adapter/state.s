# The adapter's state, in wasm globals (an adapter module may have no data
# section): the address of its table of handles, and the waitable whose event
# the last wait or poll took.
.globaltype p3_adapter_table, i32
p3_adapter_table:
.globaltype p3_adapter_last_event, i32
p3_adapter_last_event:

.globl p3_adapter_table_address
p3_adapter_table_address:
  .functype p3_adapter_table_address () -> (i32)
  global.get p3_adapter_table
  end_function

.globl p3_adapter_set_table_address
p3_adapter_set_table_address:
  .functype p3_adapter_set_table_address (i32) -> ()
  local.get 0
  global.set p3_adapter_table
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
