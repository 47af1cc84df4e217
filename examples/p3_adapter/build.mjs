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
// 4. Gives each instance a probe of jco's own tables (below): jco shows a host
//    neither the subtasks nor the waitable sets a component holds.
// Building and transpiling run on Node 20; the result needs Node 24.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { fuse, jco } from '../fastly_adapter/fuse.mjs';

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

// The probe: each instance's exports gain $probe, which reads jco's tables of
// that instance (jco 1.35's names, pinned by the lockfile; the build fails if
// they are not found):
//   live()  the waitables the component holds, by class (AsyncSubtask, WaitableSet, ...);
//   idle()  whether the component is blocked waiting with nothing ready to run:
//           the test host's virtual clock moves only then.
const transpiled = join(outDir, 'fused.js');
let code = await readFile(transpiled, 'utf8');
const exportsReturn = /\n(\s*)return \{ ([\w, ]*select[\w, ]*) \};\n/g;
const returns = [...code.matchAll(exportsReturn)];
if (returns.length !== 1 || !code.includes('const ASYNC_STATE = new Map();') || !code.includes('suspendedTaskMetas()') ||
    !code.includes('hasPendingSchedulerWork()')) {
  throw new Error('jco\'s transpiled output is not what the probe expects (is jco the pinned version?)');
}
const [whole, indent, names] = returns[0];
const probe = `$probe: {
${indent}  live() {
${indent}    const counts = {};
${indent}    for (const state of ASYNC_STATE.values()) {
${indent}      const slots = state.handles.data();
${indent}      for (let i = 2; i < slots.length; i += 2) {
${indent}        const value = slots[i];
${indent}        if (value !== null && typeof value === 'object') counts[value.constructor.name] = (counts[value.constructor.name] ?? 0) + 1;
${indent}      }
${indent}    }
${indent}    return counts;
${indent}  },
${indent}  idle() {
${indent}    let waiting = false;
${indent}    for (const state of ASYNC_STATE.values()) {
${indent}      if (state.hasPendingSchedulerWork()) return false;
${indent}      if (!state.suspendedTaskMetas().next().done) waiting = true;
${indent}    }
${indent}    return waiting;
${indent}  },
${indent}}`;
code = code.replace(whole, `\n${indent}return { ${names.replace(/,\s*$/, '')}, ${probe} };\n`);
await writeFile(transpiled, code);
await writeFile(join(outDir, 'package.json'), '{ "type": "module" }\n');

const size = (await readFile(componentPath)).length;
console.log(`fused: component of ${size} bytes, transpiled to ${outDir}`);
