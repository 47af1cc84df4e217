// Turns a core wasm module into a component and transpiles it for Node:
//   node componentize.mjs CORE.wasm OUT_DIR NAME
// embed (WIT metadata) -> new (a component) -> transpile (ES modules + core wasm).
// The WIT goes in as source text: jco's CLI embed runs in a WASI sandbox with no
// preopened directories and cannot read a WIT path.
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { componentEmbed, componentNew } from '@bytecodealliance/jco-transpile/wasm-tools';
import { transpileBytes, writeFiles } from '@bytecodealliance/jco-transpile';

const [corePath, outDir, name] = process.argv.slice(2);
if (!corePath || !outDir || !name) {
  console.error('usage: node componentize.mjs CORE.wasm OUT_DIR NAME');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const witSource = await readFile(join(here, 'wit', 'world.wit'), 'utf8');

const core = new Uint8Array(await readFile(corePath));
const embedded = await componentEmbed({ binary: core, witSource, world: 'adapter-test' });
const component = await componentNew(embedded);
const { files } = await transpileBytes(component, {
  name,
  instantiation: { tag: 'async' },
  outDir,
  wasiShim: false,
});
await mkdir(outDir, { recursive: true });
await writeFiles(files, false);
// The generated bindings are ES modules.
await writeFile(join(outDir, 'package.json'), '{ "type": "module" }\n');
console.log(`${name}: component of ${component.length} bytes, transpiled to ${outDir}`);
