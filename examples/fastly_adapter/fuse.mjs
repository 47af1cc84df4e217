// Shared by the adapter examples' build scripts: embeds each module's world (as
// wit-component expects of a core module: what `jco embed` does) and fuses the
// guest with the adapter module (`jco new GUEST --adapt
// wasi_snapshot_preview1=ADAPTER`). jco is the one installed from
// examples/wasm_component/package-lock.json; its `embed` command panics reading
// a WIT path (see that example's README), so embedding goes through its library
// with the WIT as text.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join, resolve } from 'node:path';

export const jcoModules = join(dirname(fileURLToPath(import.meta.url)), '..', 'wasm_component', 'node_modules');

// Runs the jco command line with these arguments.
export function jco(...args) {
  const jcoDir = join(jcoModules, '@bytecodealliance', 'jco');
  const bin = JSON.parse(execFileSync(process.execPath, ['-e',
    `process.stdout.write(JSON.stringify(require(${JSON.stringify(join(jcoDir, 'package.json'))}).bin.jco))`]));
  execFileSync(process.execPath, [resolve(jcoDir, bin), ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
}

// Embeds guestPath under witDir/guest.wit (world guest; or under the WIT text
// guestWit, when given) and adapterPath under witDir/adapter.wit (world
// adapter), fuses them, and answers the component's path.
export async function fuse({ witDir, guestPath, adapterPath, outDir, adapterName, guestWit }) {
  const { componentEmbed } = await import(
    pathToFileURL(join(jcoModules, '@bytecodealliance', 'jco-transpile', 'dist', 'wasm-tools.js')).href);
  await mkdir(outDir, { recursive: true });
  const embed = async (corePath, witFile, world, outName, witText) => {
    const witSource = witText ?? await readFile(join(witDir, witFile), 'utf8');
    const binary = new Uint8Array(await readFile(corePath));
    const out = join(outDir, outName);
    await writeFile(out, await componentEmbed({ binary, witSource, world }));
    return out;
  };
  const guest = await embed(guestPath, 'guest.wit', 'guest', 'guest.embedded.wasm', guestWit);
  const adapter = await embed(adapterPath, 'adapter.wit', 'adapter', `${adapterName}.embedded.wasm`);
  const componentPath = join(outDir, 'fused.component.wasm');
  jco('new', guest, '--adapt', `wasi_snapshot_preview1=${adapter}`, '-o', componentPath);
  return componentPath;
}
