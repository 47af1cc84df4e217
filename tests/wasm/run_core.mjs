// Instantiates the no-libc core module and checks its exports against the
// canonical layout: the same answers as the native build.
import { readFileSync } from 'node:fs';

const { instance } = await WebAssembly.instantiate(readFileSync(process.argv[2]), {});
const { cache_entry_payload, tag_replace_entry, kind_tag } = instance.exports;
const unknownKind = 1, wrongKind = 2;
const cases = [
  ['cache entry payload', cache_entry_payload(0x1000_0007) >>> 0, 7],
  ['replace entry is the wrong kind', cache_entry_payload(0x2000_0007) >>> 0, (0x8000_0000 | wrongKind) >>> 0],
  ['forged tag is an unknown kind', cache_entry_payload(0x5000_0007) >>> 0, (0x8000_0000 | unknownKind) >>> 0],
  ['an invalid sentinel is no live handle', cache_entry_payload(0xFFFF_FFFF) >>> 0, 0x8000_0008],
  ['tagging a replace entry', tag_replace_entry(0x42) >>> 0, 0x2000_0042],
  ['payload overflow', tag_replace_entry(0x1000_0000) >>> 0, 0xFFFF_FFFF],
  ['visit reads tag 1', kind_tag(0x1000_0001) >>> 0, 1],
  ['visit reads untagged', kind_tag(0x0000_0001) >>> 0, 0],
  ['visit refuses a forged tag', kind_tag(0x7000_0001) >>> 0, 0xFF],
];
let failed = 0;
for (const [name, got, want] of cases) {
  if (got !== want) {
    failed++;
    console.log(`FAIL ${name}: got 0x${got.toString(16)}, want 0x${want.toString(16)}`);
  }
}
console.log(`${cases.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
