// Fuses the wasi-libc guest with each preview1 adapter and transpiles both:
//   node build.mjs GUEST.wasm ADAPTER.wasm OUT_DIR [STAMP]
// OUT_DIR/nybble: the guest with this example's adapter (its world: wit/adapter.wit
// over jco's own WASI 0.2.12 packages); OUT_DIR/reference: the same guest with
// wasmtime's preview1 command adapter as jco bundles it. Each is
// `jco new GUEST --adapt wasi_snapshot_preview1=ADAPTER`, then `jco transpile`
// with the WASI imports left to the caller (a fresh host per run).
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { jco, jcoModules } from '../fastly_adapter/fuse.mjs';

const [guestPath, adapterPath, outDir, stampPath] = process.argv.slice(2);
if (!guestPath || !adapterPath || !outDir) {
  console.error('usage: node build.mjs GUEST.wasm ADAPTER.wasm OUT_DIR [STAMP]');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const jcoDir = join(jcoModules, '@bytecodealliance', 'jco');
const referenceAdapter = join(jcoDir, 'lib', 'wasi_snapshot_preview1.command.wasm');

// jco's WASI packages as nested packages of one WIT text, without their worlds
// (which include packages this world does not need).
async function wasiPackages() {
  const builtin = join(jcoDir, 'lib', 'wit', 'builtin', '0.2.12');
  let text = '';
  for (const name of ['wasi-io', 'wasi-clocks', 'wasi-random', 'wasi-cli']) {
    const source = await readFile(join(builtin, name, 'package.wit'), 'utf8');
    const withoutWorlds = source.replace(/^world [\s\S]*?^}\n?/gm, '');
    text += withoutWorlds.replace(/^package ([^;]+);/m, 'package $1 {') + '\n}\n';
  }
  return text;
}

const { componentEmbed } = await import(
  pathToFileURL(join(jcoModules, '@bytecodealliance', 'jco-transpile', 'dist', 'wasm-tools.js')).href);
const embed = async (corePath, witSource, world, out) => {
  const binary = new Uint8Array(await readFile(corePath));
  await writeFile(out, await componentEmbed({ binary, witSource, world }));
  return out;
};

for (const [name, adapter] of [['nybble', adapterPath], ['reference', referenceAdapter]]) {
  const dir = join(outDir, name);
  await mkdir(dir, { recursive: true });
  let adapt = adapter;
  if (name === 'nybble') {
    const wit = (await readFile(join(here, 'wit', 'adapter.wit'), 'utf8')) + '\n' + (await wasiPackages());
    adapt = await embed(adapter, wit, 'adapter', join(dir, 'adapter.embedded.wasm'));
  }
  const componentPath = join(dir, 'fused.component.wasm');
  jco('new', guestPath, '--adapt', `wasi_snapshot_preview1=${adapt}`, '-o', componentPath);
  jco('transpile', componentPath, '-o', dir, '--name', 'fused', '--instantiation', 'async', '--no-wasi-shim',
      '--quiet');
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  console.log(`${name}: component of ${(await readFile(componentPath)).length} bytes, transpiled to ${dir}`);
}
if (stampPath) await writeFile(stampPath, 'built\n');
