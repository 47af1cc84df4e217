// Fuses the guest and the adapter module into one component and transpiles it:
//   node build.mjs GUEST.wasm ADAPTER.wasm OUT_DIR
// 1. embeds each module's world (wit/guest.wit, wit/adapter.wit) and
//    `jco new GUEST --adapt wasi_snapshot_preview1=ADAPTER` (fuse.mjs):
//    wit-component satisfies the guest's wasi_snapshot_preview1 imports with the
//    adapter's exports, keeping only the adapter functions the guest uses;
// 2. `jco transpile`: ES modules and core wasm that Node runs, with the
//    component's imports given at instantiation (a fresh host per scenario).
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { fuse, jco } from './fuse.mjs';

const [guestPath, adapterPath, outDir] = process.argv.slice(2);
if (!guestPath || !adapterPath || !outDir) {
  console.error('usage: node build.mjs GUEST.wasm ADAPTER.wasm OUT_DIR');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const componentPath = await fuse({ witDir: join(here, 'wit'), guestPath, adapterPath, outDir,
  adapterName: 'fastly_adapter' });
jco('transpile', componentPath, '-o', outDir, '--name', 'fused', '--instantiation', 'async', '--no-wasi-shim',
  '--quiet');
await writeFile(join(outDir, 'package.json'), '{ "type": "module" }\n');

const size = (await readFile(componentPath)).length;
console.log(`fused: component of ${size} bytes, transpiled to ${outDir}`);
