// Checks what wit-component requires of an adapter module, on the built file:
//   node check_module.mjs fastly_adapter.wasm
// * no data section and no element section: the adapter shares the guest's
//   memory and tables, so its own initialised data would land on the guest's
//   (`jco new` refuses such a module with "unsupported section");
// * a mutable global named __stack_pointer in the name section: wit-component
//   finds the adapter's stack pointer by that name and gives the adapter a stack
//   of its own; with the name stripped, `jco new` still succeeds and the adapter
//   then runs on the guest's stack, silently overwriting it;
// * memory imported (env.memory), none defined;
// * exactly the module-ABI functions below exported (or, with `--exports A,B`,
//   exactly those: another adapter's).
// With `--expect-problem TEXT` it checks itself instead: it succeeds only when
// the module is refused and TEXT is among the reasons (the test's negative twins).
import { readFile } from 'node:fs/promises';

const fastlyExports = [
  'fastly_http_body#new', 'fastly_http_req#new', 'fastly_cache#lookup', 'fastly_http_cache#transaction_lookup',
  'fastly_async_io#select', 'fastly_async_io#is_ready', 'fastly_cache#transaction_lookup', 'fastly_cache#replace',
  'fastly_cache#close', 'fastly_http_cache#lookup', 'fastly_http_cache#close', 'fastly_http_body#close',
  'fastly_http_req#close',
];

const [path, flag, flagValue] = process.argv.slice(2);
const expectedProblem = flag === '--expect-problem' ? flagValue : undefined;
const expectedExports = flag === '--exports' ? flagValue.split(',') : fastlyExports;
const bytes = new Uint8Array(await readFile(path));
let offset = 8;
const readU32 = () => {
  let result = 0, shift = 0, byte;
  do {
    byte = bytes[offset++];
    result |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  return result >>> 0;
};
const readName = () => {
  const length = readU32();
  const name = new TextDecoder().decode(bytes.subarray(offset, offset + length));
  offset += length;
  return name;
};

const sectionIds = [];
const globalNames = new Map();
while (offset < bytes.length) {
  const id = bytes[offset++];
  const size = readU32();
  const end = offset + size;
  sectionIds.push(id);
  if (id === 0 && readName() === 'name') {
    while (offset < end) {
      const subsection = bytes[offset++];
      const subsectionEnd = readU32() + offset;
      if (subsection === 7) { // global names
        for (let n = readU32(); n > 0; n--) {
          const index = readU32();
          globalNames.set(readName(), index);
        }
      }
      offset = subsectionEnd;
    }
  }
  offset = end;
}

const module = new WebAssembly.Module(bytes);
const exports = WebAssembly.Module.exports(module);
const imports = WebAssembly.Module.imports(module);
const problems = [];
if (sectionIds.includes(11)) problems.push('it has a data section');
if (sectionIds.includes(9)) problems.push('it has an element section');
if (sectionIds.includes(5)) problems.push('it defines a memory of its own');
if (!imports.some((i) => i.kind === 'memory' && i.module === 'env' && i.name === 'memory')) {
  problems.push('it does not import env.memory');
}
if (!globalNames.has('__stack_pointer')) problems.push('no global is named __stack_pointer in its name section');
const exported = exports.filter((e) => e.kind === 'function').map((e) => e.name).sort();
if (JSON.stringify(exported) !== JSON.stringify([...expectedExports].sort())) {
  problems.push(`its function exports are ${JSON.stringify(exported)}`);
}
if (flag === '--expect-problem') {
  const found = problems.some((p) => p.includes(expectedProblem));
  console.log(`${path}: ${found ? 'refused as expected' : 'NOT refused for'} "${expectedProblem}" ` +
    `(${problems.join('; ') || 'no problem found'})`);
  process.exit(found ? 0 : 1);
}
if (problems.length > 0) {
  console.error(`${path} is not a usable adapter module: ${problems.join('; ')}`);
  process.exit(1);
}
console.log(`${path}: ${bytes.length} bytes; no data or element section; __stack_pointer is global ` +
  `${globalNames.get('__stack_pointer')}; memory imported; ${exported.length} module-ABI functions exported`);
