// Runs every scenario of the guest in a fresh component instance over a fresh
// host, and checks the guest's answer and the host's own record of the run.
//   node run.mjs TRANSPILED_DIR NAME
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createHost } from './host/host.js';

const [dir, name] = process.argv.slice(2);
const { instantiate } = await import(pathToFileURL(resolve(dir, `${name}.js`)).href);
const getCoreModule = async (path) => WebAssembly.compile(await readFile(join(dir, path)));

const OK = 0, BADF = 8, INVAL = 28;
const TIMED_OUT = 0xff_ffff;
const pack = (status, value) => ((status << 24) | value) >>> 0;

async function play(exportName, scenario) {
  const host = createHost();
  const instance = await instantiate(getCoreModule, host.imports);
  let result, error;
  try {
    result = instance[exportName](scenario) >>> 0;
  } catch (e) {
    error = e;
  }
  return { result, error, host };
}

const noLeak = ({ host }) => {
  const live = host.live();
  return live.pollables === 0 && live.cacheEntries === 0 && live.replaceEntries === 0 && live.httpEntries === 0;
};
const clean = (run) => run.error === undefined && run.host.misuse.length === 0 && noLeak(run);

const scenarios = [
  ['nybble: select over a pollable, a cache entry and a two-step HTTP entry wakes on the HTTP entry', 'runNybble', 1,
    (r) => clean(r) && r.result === pack(OK, 2) && r.host.now() === 25 && r.host.counts.subscribe === 1 && r.host.counts.step === 3],
  ['nybble: a select with a 5 ms timeout times out at 5 ms', 'runNybble', 2,
    (r) => clean(r) && r.result === pack(OK, TIMED_OUT) && r.host.now() === 5],
  ['nybble: steps at 40, 80 and 120 ms against a 100 ms timeout stop at 100 ms (one deadline)', 'runNybble', 3,
    (r) => clean(r) && r.result === pack(OK, TIMED_OUT) && r.host.now() === 100],
  ['nybble: a forged tag is BADF from select and from close, without a trap or a host select', 'runNybble', 4,
    (r) => clean(r) && r.result === pack(BADF, BADF) && r.host.counts.select === 0],
  ['nybble: is_ready is false for a half-done HTTP entry and true for a fresh cache entry', 'runNybble', 5,
    (r) => clean(r) && r.result === pack(OK, 2)],
  ['nybble: a replace entry among pollables wakes at 40 ms', 'runNybble', 6,
    (r) => clean(r) && r.result === pack(OK, 1) && r.host.now() === 40],
  ['nybble: an empty select is INVAL without a timeout and times out with one', 'runNybble', 7,
    (r) => clean(r) && r.result === pack(INVAL, TIMED_OUT) && r.host.now() === 3],
  // The naive adapter, through the same pipeline: the reason for nybble, shown.
  ['naive: the same select waits on the wrong resource (the entries alias the timer) and answers index 0 at 100 ms', 'runNaive', 1,
    (r) => r.error === undefined && r.result === pack(OK, 0) && r.host.now() === 100 &&
      r.host.counts.subscribe === 0 && r.host.counts.step === 0],
  ['naive: a cache entry passed as a pollable is rejected by the host, and the guest traps', 'runNaive', 2,
    (r) => r.error !== undefined && r.host.misuse.some((m) => m.includes('not a pollable'))],
];

let passed = 0;
let failed = 0;
for (const [title, exportName, scenario, check] of scenarios) {
  const run = await play(exportName, scenario);
  const ok = check(run);
  ok ? passed++ : failed++;
  const detail = run.error ? `trap: ${run.host.misuse[0] ?? run.error.message}` :
    `result 0x${run.result.toString(16).padStart(8, '0')}, t=${run.host.now()}ms, live ${JSON.stringify(run.host.live())}`;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${title}\n       ${detail}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
