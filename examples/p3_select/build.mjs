// Fuses the guest and the adapter module into one component and transpiles it:
//   node build.mjs GUEST.wasm ADAPTER.wasm OUT_DIR
// as examples/fastly_adapter/build.mjs does (fuse.mjs), over the WASI 0.3 world,
// then `jco transpile` with the typed side mapped to host/host.js and the clock
// to jco's preview3 shim. Building and transpiling run on Node 20; the result
// needs Node 24 (WebAssembly.Suspending).
import { readFile, writeFile, rm, symlink } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join, relative } from 'node:path';
import { fuse, jco, jcoModules } from '../fastly_adapter/fuse.mjs';

const [guestPath, adapterPath, outDir] = process.argv.slice(2);
if (!guestPath || !adapterPath || !outDir) {
  console.error('usage: node build.mjs GUEST.wasm ADAPTER.wasm OUT_DIR');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const componentPath = await fuse({ witDir: join(here, 'wit'), guestPath, adapterPath, outDir,
  adapterName: 'p3_adapter' });
const hostModule = relative(outDir, join(here, 'host', 'host.js')).split('\\').join('/');
jco('transpile', componentPath, '-o', outDir, '--name', 'fused', '--quiet',
  '-M', `nybble:p3-select/resources@0.1.0=${hostModule.startsWith('.') ? hostModule : './' + hostModule}`);
await writeFile(join(outDir, 'package.json'), '{ "type": "module" }\n');
// The transpiled code imports jco's preview3 shim by package name: resolve it from jco's install.
await rm(join(outDir, 'node_modules'), { force: true, recursive: true });
await symlink(jcoModules, join(outDir, 'node_modules'), 'dir');
const size = (await readFile(componentPath)).length;
console.log(`fused: component of ${size} bytes, transpiled to ${outDir}`);
