// The fastly:compute world (WASI 0.2: pollables) as scenarios.mjs runs it: the
// transpiled component in DIR (build.mjs), a fresh instance over each host.
import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createHost } from './host/host.js';

// The compiled core modules of a transpiled component, compiled once.
export function coreModules(dir) {
  const compiled = new Map();
  return (path) => {
    if (!compiled.has(path)) compiled.set(path, readFile(join(dir, path)).then((b) => WebAssembly.compile(b)));
    return compiled.get(path);
  };
}

// The size of the adapter module, and of its trimmed copy in the component
// (the core module that exports the module-ABI select).
export async function adapterSizes(dir, adapterPath) {
  const module = (await readFile(adapterPath)).length;
  let trimmed = 0;
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.wasm') && f.startsWith('fused.core'))) {
    const bytes = await readFile(join(dir, file));
    const exports = WebAssembly.Module.exports(new WebAssembly.Module(bytes));
    if (exports.some((e) => e.name === 'fastly_async_io#select')) trimmed = bytes.length;
  }
  return { module, trimmed };
}

export async function pollableWorld(dir) {
  const { instantiate } = await import(pathToFileURL(resolve(dir, 'fused.js')).href);
  const getCoreModule = coreModules(dir);
  return {
    name: '0.2',
    createHost,
    instantiate: (host) => instantiate(getCoreModule, host.imports),
    madeAlive: (host) => host.live().stepPollable,
    timeoutCall: 'select-with-timeout',
    keepsCompletions: false,
  };
}
