// Turns a core wasm module into a component and transpiles it for Node:
//   node componentize.mjs CORE.wasm OUT_DIR NAME
// jco embed (WIT metadata) -> jco new (a component) -> jco transpile (ES modules + core wasm).
//
// `jco new` and `jco transpile` run as jco's own command line. `jco embed` does
// not: with jco 1.35.0 it reads the WIT path inside a WASI sandbox that has no
// preopened directories and panics with NotFound. The same embedding is done
// here through jco's library (componentEmbed), with the WIT passed as source text.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { componentEmbed } from '@bytecodealliance/jco-transpile/wasm-tools';

const [corePath, outDir, name] = process.argv.slice(2);
if (!corePath || !outDir || !name) {
  console.error('usage: node componentize.mjs CORE.wasm OUT_DIR NAME');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
// jco's command line, as installed here from the lockfile (its package.json is not an export).
const jcoDir = join(here, 'node_modules', '@bytecodealliance', 'jco');
const jcoBin = resolve(jcoDir, JSON.parse(await readFile(join(jcoDir, 'package.json'), 'utf8')).bin.jco);
const jco = (...args) => execFileSync(process.execPath, [jcoBin, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });

await mkdir(outDir, { recursive: true });
const embeddedPath = join(outDir, `${name}.embedded.wasm`);
const componentPath = join(outDir, `${name}.component.wasm`);

// jco embed
const witSource = await readFile(join(here, 'wit', 'world.wit'), 'utf8');
const core = new Uint8Array(await readFile(corePath));
await writeFile(embeddedPath, await componentEmbed({ binary: core, witSource, world: 'adapter-test' }));
// jco new
jco('new', embeddedPath, '-o', componentPath);
// jco transpile: imports are given at instantiation, so each scenario gets a fresh host.
jco('transpile', componentPath, '-o', outDir, '--name', name, '--instantiation', 'async', '--no-wasi-shim', '--quiet');
// The generated bindings are ES modules.
await writeFile(join(outDir, 'package.json'), '{ "type": "module" }\n');

const size = (await readFile(componentPath)).length;
console.log(`${name}: component of ${size} bytes, transpiled to ${outDir}`);
