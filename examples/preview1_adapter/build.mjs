// Fuses the wasi-libc guest with preview1 adapters and transpiles each:
//   node build.mjs GUEST.wasm OUT_DIR STAMP NAME=ADAPTER.wasm...
// NAME is `nybble` (this example's adapter on WASI 0.2: its world is
// wit/adapter.wit over jco's own WASI 0.2.12 packages), `nybble-p3` (the same
// exports on WASI 0.3: wit/adapter_p3.wit over jco's WASI 0.3.0 packages), or
// `reference` (wasmtime's preview1 command adapter as jco bundles it; no file).
// OUT_DIR/NAME gets `jco new GUEST --adapt wasi_snapshot_preview1=ADAPTER`
// transpiled (`jco transpile`, the WASI imports left to the caller: a fresh
// host per run). A WASI 0.3 component also gets a probe of jco's own tables
// (../p3_adapter/probe.mjs): jco shows a host neither the waitables a component holds nor
// whether it is blocked. STAMP is written last.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { jco, jcoModules } from '../fastly_adapter/fuse.mjs';
import { addProbe } from '../p3_adapter/probe.mjs';

const [guestPath, outDir, stampPath, ...named] = process.argv.slice(2);
if (!guestPath || !outDir || !stampPath || named.length === 0) {
  console.error('usage: node build.mjs GUEST.wasm OUT_DIR STAMP NAME=ADAPTER.wasm...');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const jcoDir = join(jcoModules, '@bytecodealliance', 'jco');
const worlds = {
  nybble: { wit: 'adapter.wit', version: '0.2.12', packages: ['wasi-io', 'wasi-clocks', 'wasi-random', 'wasi-cli'] },
  'nybble-p3': { wit: 'adapter_p3.wit', version: '0.3.0', packages: ['wasi-clocks', 'wasi-random', 'wasi-cli'],
                 p3: true },
  reference: { adapter: join(jcoDir, 'lib', 'wasi_snapshot_preview1.command.wasm') },
};

// jco's WASI packages as nested packages of one WIT text, without their worlds
// (which include packages this world does not need).
async function wasiPackages(version, names) {
  const builtin = join(jcoDir, 'lib', 'wit', 'builtin', version);
  let text = '';
  for (const name of names) {
    const source = await readFile(join(builtin, name, 'package.wit'), 'utf8');
    const withoutWorlds = source.replace(/^world [\s\S]*?^}\n?/gm, '');
    text += withoutWorlds.replace(/^package ([^;]+);/m, 'package $1 {') + '\n}\n';
  }
  return text;
}

const { componentEmbed } = await import(
  pathToFileURL(join(jcoModules, '@bytecodealliance', 'jco-transpile', 'dist', 'wasm-tools.js')).href);

for (const entry of named) {
  const [name, adapterPath] = entry.split('=');
  const world = worlds[name];
  if (!world) throw new Error(`unknown adapter name ${name}`);
  const dir = join(outDir, name);
  await mkdir(dir, { recursive: true });
  let adapt = world.adapter;
  if (world.wit) {
    const witSource = (await readFile(join(here, 'wit', world.wit), 'utf8')) + '\n' +
      (await wasiPackages(world.version, world.packages));
    const binary = new Uint8Array(await readFile(adapterPath));
    adapt = join(dir, 'adapter.embedded.wasm');
    await writeFile(adapt, await componentEmbed({ binary, witSource, world: 'adapter' }));
  }
  const componentPath = join(dir, 'fused.component.wasm');
  jco('new', guestPath, '--adapt', `wasi_snapshot_preview1=${adapt}`, '-o', componentPath);
  jco('transpile', componentPath, '-o', dir, '--name', 'fused', '--instantiation', 'async', '--no-wasi-shim',
      '--quiet');
  // jco keeps a stream's ended ends in its table, marked dropped: those are not the adapter's.
  if (world.p3) await addProbe(join(dir, 'fused.js'), { exportName: 'run', countDropped: false });
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  console.log(`${name}: component of ${(await readFile(componentPath)).length} bytes, transpiled to ${dir}`);
}
await writeFile(stampPath, 'built\n');
