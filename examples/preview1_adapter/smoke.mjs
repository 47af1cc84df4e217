// Runs the fused guest in DIR once under jco's own WASI host, with real clocks
// and the process's own stdio: a smoke test that the component runs on a host
// this example did not write. A WASI 0.2 component (DIR/nybble, DIR/reference)
// runs on @bytecodealliance/preview2-shim as jco installs it; the WASI 0.3 one
// (a DIR whose name ends in -p3) on @bytecodealliance/preview3-shim, under
// Node 24.
//   node smoke.mjs DIR SCENARIO [ARGS...]
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { jcoModules } from '../fastly_adapter/fuse.mjs';

const [dir, ...args] = process.argv.slice(2);
const p3 = basename(resolve(dir)).endsWith('-p3');
const shimDir = p3 ? join(jcoModules, '@bytecodealliance', 'preview3-shim')
                   : join(jcoModules, '@bytecodealliance', 'jco', 'node_modules', '@bytecodealliance', 'preview2-shim');
const shim = await import(pathToFileURL(join(shimDir, 'dist', 'nodejs', 'index.js')).href);
shim.cli._setArgs(['guest', ...args]);
shim.cli._setEnv({ NYBBLE_GREETING: 'from the shim' });

// The shim's namespaces, as the component's imports: wasi:cli/stdout from
// cli.stdout, wasi:clocks/monotonic-clock from clocks.monotonicClock, ...
const imports = {};
for (const pkg of ['cli', 'clocks', 'filesystem', 'io', 'random', 'sockets']) {
  for (const [name, value] of Object.entries(shim[pkg] ?? {})) {
    const kebab = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    imports[`wasi:${pkg}/${kebab}`] = value;
  }
}
const { instantiate } = await import(pathToFileURL(resolve(dir, 'fused.js')).href);
const instance = await instantiate((p) => readFile(join(dir, p)).then((b) => WebAssembly.compile(b)), imports);
await instance.run.run();
