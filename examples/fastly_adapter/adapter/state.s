# The adapter's one piece of state: the address of its table of open handles,
# kept in a wasm global. An adapter module may have no data section (it shares
# the guest's memory and would overwrite the guest's own data), so no C++
# variable can hold it; wit-component keeps a module's globals as they are.
.globaltype fastly_adapter_open_table, i32
fastly_adapter_open_table:

.globl fastly_adapter_open_table_address
fastly_adapter_open_table_address:
  .functype fastly_adapter_open_table_address () -> (i32)
  global.get fastly_adapter_open_table
  end_function

.globl fastly_adapter_set_open_table_address
fastly_adapter_set_open_table_address:
  .functype fastly_adapter_set_open_table_address (i32) -> ()
  local.get 0
  global.set fastly_adapter_open_table
  end_function
