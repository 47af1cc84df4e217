// Fuses the guest and the adapter module into one component and transpiles it:
//   node build.mjs GUEST.wasm ADAPTER.wasm OUT_DIR
// 1. embeds each module's world (wit/guest.wit, wit/adapter.wit) as wit-component
//    expects of a core module (what `jco embed` does);
// 2. `jco new GUEST --adapt wasi_snapshot_preview1=ADAPTER`: wit-component
//    satisfies the guest's wasi_snapshot_preview1 imports with the adapter's
//    exports, keeping only the adapter functions the guest uses;
// 3. `jco transpile`: ES modules and core wasm that Node runs, with the
//    component's imports given at instantiation (a fresh host per scenario).
// jco is the one installed from examples/wasm_component/package-lock.json; its
// `embed` command panics reading a WIT path (see that example's README), so
// the embedding goes through its library with the WIT as text.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join, resolve } from 'node:path';

const [guestPath, adapterPath, outDir] = process.argv.slice(2);
if (!guestPath || !adapterPath || !outDir) {
  console.error('usage: node build.mjs GUEST.wasm ADAPTER.wasm OUT_DIR');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, '..', 'wasm_component', 'node_modules');
const { componentEmbed } = await import(
  pathToFileURL(join(modules, '@bytecodealliance', 'jco-transpile', 'dist', 'wasm-tools.js')).href);
const jcoDir = join(modules, '@bytecodealliance', 'jco');
const jcoBin = resolve(jcoDir, JSON.parse(await readFile(join(jcoDir, 'package.json'), 'utf8')).bin.jco);
const jco = (...args) => execFileSync(process.execPath, [jcoBin, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });

await mkdir(outDir, { recursive: true });
const embed = async (corePath, witFile, world, outName) => {
  const witSource = await readFile(join(here, 'wit', witFile), 'utf8');
  const binary = new Uint8Array(await readFile(corePath));
  const out = join(outDir, outName);
  await writeFile(out, await componentEmbed({ binary, witSource, world }));
  return out;
};
const guest = await embed(guestPath, 'guest.wit', 'guest', 'guest.embedded.wasm');
const adapter = await embed(adapterPath, 'adapter.wit', 'adapter', 'fastly_adapter.embedded.wasm');

const componentPath = join(outDir, 'fused.component.wasm');
jco('new', guest, '--adapt', `wasi_snapshot_preview1=${adapter}`, '-o', componentPath);
jco('transpile', componentPath, '-o', outDir, '--name', 'fused', '--instantiation', 'async', '--no-wasi-shim',
  '--quiet');
await writeFile(join(outDir, 'package.json'), '{ "type": "module" }\n');

const size = (await readFile(componentPath)).length;
console.log(`fused: component of ${size} bytes, transpiled to ${outDir}`);
