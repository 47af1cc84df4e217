// Fuses the Fastly guest module (the very module examples/fastly_adapter
// builds) with the WASI 0.3 adapter module, and transpiles the component:
//   node build.mjs GUEST.wasm ADAPTER.wasm OUT_DIR
// 1. The guest's world is the Fastly example's wit/guest.wit with select,
//    select-repeatedly and is-ready made `async func`: under the Component
//    Model's async ABI only an async-typed export may block in a waitable set
//    (a sync-typed one fails with "cannot block a synchronous task before
//    returning"). Lifted synchronously, an async func has the same core
//    signature, so the guest module is unchanged.
// 2. Embeds and fuses as the 0.2 example does (`jco new --adapt`, fuse.mjs).
// 3. `jco transpile --instantiation async`: a fresh instance per scenario, with
//    every import (the clock included) given by the test's host.
// 4. Gives each instance a probe of jco's own tables (probe.mjs): jco shows a host
//    neither the subtasks nor the waitable sets a component holds.
// Building and transpiling run on Node 20; the result needs Node 24.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { fuse, jco } from '../fastly_adapter/fuse.mjs';
import { addProbe } from './probe.mjs';

const [guestPath, adapterPath, outDir] = process.argv.slice(2);
if (!guestPath || !adapterPath || !outDir) {
  console.error('usage: node build.mjs GUEST.wasm ADAPTER.wasm OUT_DIR');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));

const blocking = ['select', 'select-repeatedly', 'is-ready'];
let guestWit = await readFile(join(here, '..', 'fastly_adapter', 'wit', 'guest.wit'), 'utf8');
for (const name of blocking) {
  const sync = `export ${name}: func(`;
  if (!guestWit.includes(sync)) throw new Error(`the Fastly guest's world has no "${sync}"`);
  guestWit = guestWit.replace(sync, `export ${name}: async func(`);
}

const componentPath = await fuse({ witDir: join(here, 'wit'), guestPath, adapterPath, outDir, guestWit,
  adapterName: 'p3_adapter' });
jco('transpile', componentPath, '-o', outDir, '--name', 'fused', '--instantiation', 'async', '--no-wasi-shim',
  '--quiet');

// The probe of jco's tables (probe.mjs): every waitable the component holds counts.
await addProbe(join(outDir, 'fused.js'), { exportName: 'select', countDropped: true });
await writeFile(join(outDir, 'package.json'), '{ "type": "module" }\n');

const size = (await readFile(componentPath)).length;
console.log(`fused: component of ${size} bytes, transpiled to ${outDir}`);
