// Runs the fused guest in DIR once under jco's own WASI 0.2 host
// (@bytecodealliance/preview2-shim, as jco installs it), with real clocks and
// the process's own stdio: a smoke test that the component runs on a host
// this example did not write.
//   node smoke.mjs DIR SCENARIO [ARGS...]
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { jcoModules } from '../fastly_adapter/fuse.mjs';

const [dir, ...args] = process.argv.slice(2);
const shimDir = join(jcoModules, '@bytecodealliance', 'jco', 'node_modules', '@bytecodealliance', 'preview2-shim');
const shim = await import(pathToFileURL(join(shimDir, 'dist', 'nodejs', 'index.js')).href);
const cli = await import(pathToFileURL(join(shimDir, 'dist', 'nodejs', 'cli.js')).href);
cli._setArgs(['guest', ...args]);
cli._setEnv({ NYBBLE_GREETING: 'from the shim' });

const imports = {};
for (const [pkg, namespace] of Object.entries({ cli: shim.cli, clocks: shim.clocks, filesystem: shim.filesystem,
                                                 io: shim.io, random: shim.random, sockets: shim.sockets })) {
  for (const [name, value] of Object.entries(namespace)) {
    const kebab = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    imports[`wasi:${pkg}/${kebab}`] = value;
  }
}
const { instantiate } = await import(pathToFileURL(resolve(dir, 'fused.js')).href);
const instance = await instantiate((p) => readFile(join(dir, p)).then((b) => WebAssembly.compile(b)), imports);
instance.run.run();
