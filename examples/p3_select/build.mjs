// Fuses the guest and the adapter module into one component and transpiles it:
//   node build.mjs GUEST.wasm ADAPTER.wasm OUT_DIR
// as examples/fastly_adapter/build.mjs does, over the WASI 0.3 world: embed each
// module's world (jco-transpile's componentEmbed), `jco new GUEST --adapt
// wasi_snapshot_preview1=ADAPTER`, `jco transpile` with the typed side mapped to
// host/host.js and the clock to jco's preview3 shim. Building and transpiling
// run on Node 20; the result needs Node 24 (WebAssembly.Suspending).
import { readFile, writeFile, mkdir, rm, symlink } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join, resolve, relative } from 'node:path';

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
const adapter = await embed(adapterPath, 'adapter.wit', 'adapter', 'p3_adapter.embedded.wasm');
const componentPath = join(outDir, 'fused.component.wasm');
jco('new', guest, '--adapt', `wasi_snapshot_preview1=${adapter}`, '-o', componentPath);
const hostModule = relative(outDir, join(here, 'host', 'host.js')).split('\\').join('/');
jco('transpile', componentPath, '-o', outDir, '--name', 'fused', '--quiet',
  '-M', `nybble:p3-select/resources@0.1.0=${hostModule.startsWith('.') ? hostModule : './' + hostModule}`);
await writeFile(join(outDir, 'package.json'), '{ "type": "module" }\n');
// The transpiled code imports jco's preview3 shim by package name: resolve it from jco's install.
await rm(join(outDir, 'node_modules'), { force: true, recursive: true });
await symlink(modules, join(outDir, 'node_modules'), 'dir');
const size = (await readFile(componentPath)).length;
console.log(`fused: component of ${size} bytes, transpiled to ${outDir}`);
