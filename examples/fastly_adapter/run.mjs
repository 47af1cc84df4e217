// Runs the fused guest + adapter component under Node, one fresh instance and
// one fresh host per scenario, and checks both the guest's answers and the
// host's record. Then measures what the README reports (printed, not asserted).
//   node run.mjs TRANSPILED_DIR ADAPTER.wasm
import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createHost } from './host/host.js';

const [dir, adapterPath] = process.argv.slice(2);
const { instantiate } = await import(pathToFileURL(resolve(dir, 'fused.js')).href);
const getCoreModule = async (path) => WebAssembly.compile(await readFile(join(dir, path)));

// fastly_status values (typenames.witx)
const OK = 0, INVAL = 2, BADF = 3, UNSUPPORTED = 5;
const TIMED_OUT = 0xffff_ffff;
const key = (text) => new TextEncoder().encode(text);
const tagOf = (word) => (word >>> 28) & 7;

async function session(script = {}) {
  const host = createHost(script);
  const guest = await instantiate(getCoreModule, host.imports);
  // Host calls made while fn runs.
  const hostCallsDuring = (fn) => {
    const before = host.totalCalls();
    const result = fn();
    return [result, host.totalCalls() - before];
  };
  return { host, guest, hostCallsDuring };
}
const nothingAlive = (host) => Object.values(host.live()).every((n) => n === 0);

const scenarios = [];
const scenario = (title, body) => scenarios.push([title, body]);

scenario('a. select over a body, a cache entry and a two-step HTTP cache entry wakes on the HTTP entry', async () => {
  const { host, guest, hostCallsDuring } = await session({ bodies: [100], cache: { c: [50] }, http: [[10, 25]] });
  const [, body] = guest.bodyNew();
  const [, request] = guest.reqNew();
  const [s1, entry] = guest.cacheLookup(key('c'), 0);
  const [s2, page] = guest.httpCacheTransactionLookup(request, 0);
  const [[status, ready], calls] = hostCallsDuring(() => guest.select(new Uint32Array([body, entry, page]), 0));
  const afterSelect = host.live();
  const closes = [guest.cacheClose(entry), guest.httpCacheClose(page), guest.bodyClose(body), guest.reqClose(request)];
  return {
    ok: s1 === OK && s2 === OK && tagOf(body) === 0 && tagOf(entry) === 1 && tagOf(page) === 3 && status === OK &&
      ready === 2 && host.now() === 25 && afterSelect.stepPollable === 0 && afterSelect.body === 1 &&
      closes.every((c) => c === OK) && nothingAlive(host) && host.misuse.length === 0,
    detail: `index ${ready} at ${host.now()} ms; ${calls} host calls; step pollables alive after select: ` +
      `${afterSelect.stepPollable}; alive after the closes: ${JSON.stringify(host.live())}`,
    selectCalls: calls,
  };
});

scenario('b. forged tags in select, is_ready and close are BADF, with no host call and no trap', async () => {
  const { host, guest, hostCallsDuring } = await session({ cache: { c: [5] } });
  const [, entry] = guest.cacheLookup(key('c'), 0); // index 1 is alive: a forged word would alias it
  const answers = [];
  let calls = 0;
  for (const forged of [0x4000_0001, 0x7000_0001, 0x5000_0000 | (entry & 0x0fff_ffff)]) {
    const [got, n] = hostCallsDuring(() => [guest.select(new Uint32Array([forged]), 0)[0],
      guest.select(new Uint32Array([entry, forged]), 10)[0], guest.isReady(forged)[0], guest.cacheClose(forged),
      guest.httpCacheClose(forged), guest.bodyClose(forged)]);
    answers.push(...got);
    calls += n;
  }
  guest.cacheClose(entry);
  return {
    ok: answers.every((a) => a === BADF) && calls === 0 && host.misuse.length === 0 && nothingAlive(host),
    detail: `${answers.length} calls answered ${[...new Set(answers)].join(', ')}; ${calls} host calls`,
    selectCalls: 0,
  };
});

scenario('c. steps at 60, 120 and 180 ms against a 100 ms timeout time out at 100 ms (one deadline)', async () => {
  const { host, guest, hostCallsDuring } = await session({ cache: { slow: [60, 120, 180] } });
  const [, entry] = guest.cacheLookup(key('slow'), 0);
  const [[status, ready], calls] = hostCallsDuring(() => guest.select(new Uint32Array([entry]), 100));
  const live = host.live();
  guest.cacheClose(entry);
  return {
    ok: status === OK && ready === TIMED_OUT && host.now() === 100 && live.stepPollable === 0 &&
      host.misuse.length === 0 && nothingAlive(host),
    detail: `${ready === TIMED_OUT ? 'timed out' : `index ${ready}`} at ${host.now()} ms; ${calls} host calls`,
    selectCalls: calls,
  };
});

scenario('d. is_ready on an entry whose first step is done and second is not is 0', async () => {
  const { host, guest } = await session({ http: [[0, Infinity]], cache: { done: [] } });
  const [, request] = guest.reqNew();
  const [, page] = guest.httpCacheTransactionLookup(request, 0);
  const [, entry] = guest.cacheLookup(key('done'), 0);
  const half = guest.isReady(page);
  const done = guest.isReady(entry);
  const live = host.live();
  guest.httpCacheClose(page);
  guest.cacheClose(entry);
  guest.reqClose(request);
  return {
    ok: half[0] === OK && half[1] === 0 && done[0] === OK && done[1] === 1 && live.stepPollable === 0 &&
      host.misuse.length === 0 && nothingAlive(host),
    detail: `half-done HTTP entry: ${half[1]}; finished cache entry: ${done[1]}`,
  };
});

scenario('e. an empty select is INVAL without a timeout (no host call) and times out with one', async () => {
  const { host, guest, hostCallsDuring } = await session();
  const [[refused], none] = hostCallsDuring(() => guest.select(new Uint32Array([]), 0));
  const [[status, ready], timed] = hostCallsDuring(() => guest.select(new Uint32Array([]), 30));
  return {
    ok: refused === INVAL && none === 0 && status === OK && ready === TIMED_OUT && timed === 1 &&
      host.calls()['select-with-timeout'] === 1 && host.now() === 30 && host.misuse.length === 0,
    detail: `no timeout: status ${refused}, ${none} host calls; 30 ms: timed out at ${host.now()} ms, ${timed} host call`,
    selectCalls: timed,
  };
});

scenario('f. invalid sentinels in select and is_ready are BADF, with no host call', async () => {
  const { host, guest, hostCallsDuring } = await session();
  const [, body] = guest.bodyNew(); // index 1: 0x8000_0001 would alias it
  const answers = [];
  let calls = 0;
  for (const sentinel of [0x8000_0001, 0xffff_ffff, 0xffff_fffe]) {
    const [got, n] = hostCallsDuring(() => [guest.select(new Uint32Array([sentinel]), 0)[0],
      guest.select(new Uint32Array([body, sentinel]), 5)[0], guest.isReady(sentinel)[0]]);
    answers.push(...got);
    calls += n;
  }
  guest.bodyClose(body);
  return {
    ok: answers.every((a) => a === BADF) && calls === 0 && host.misuse.length === 0 && nothingAlive(host),
    detail: `${answers.length} calls answered ${[...new Set(answers)].join(', ')}; ${calls} host calls`,
  };
});

scenario('g. close of each kind, of a word of the wrong kind and of a closed handle', async () => {
  const { host, guest, hostCallsDuring } = await session();
  // Bodies and requests are both untagged, and jco numbers each resource type on
  // its own: body 1 and request 1 are the same word. So the untagged wrong-kind
  // closes are tried while no handle of the other type has that index.
  const [, request] = guest.reqNew();
  const [untaggedWrong, untaggedCalls] = hostCallsDuring(() => [guest.bodyClose(request)]);
  const [, entry] = guest.cacheLookup(key('e'), 0);
  const [, replace] = guest.cacheReplace(key('r'), 0);
  const [, page] = guest.httpCacheTransactionLookup(request, 0);
  const [, spare] = guest.bodyNew();
  const [, body] = guest.bodyNew(); // index 2: no request 2
  const [wrong, wrongCalls] = hostCallsDuring(() => [guest.cacheClose(page), guest.cacheClose(body),
    guest.httpCacheClose(entry), guest.httpCacheClose(replace), guest.bodyClose(entry), guest.reqClose(body),
    guest.reqClose(page), guest.bodyClose(page)]);
  const right = [guest.cacheClose(entry), guest.cacheClose(replace), guest.httpCacheClose(page),
    guest.bodyClose(body), guest.bodyClose(spare), guest.reqClose(request)];
  const [again, againCalls] = hostCallsDuring(() => [guest.cacheClose(entry), guest.cacheClose(replace),
    guest.httpCacheClose(page), guest.bodyClose(body), guest.reqClose(request)]);
  const [stale, staleCalls] = hostCallsDuring(() => [guest.select(new Uint32Array([body]), 0)[0],
    guest.isReady(entry)[0], guest.select(new Uint32Array([request]), 0)[0]]);
  const refused = [...untaggedWrong, ...wrong];
  return {
    ok: refused.every((s) => s === BADF) && untaggedCalls + wrongCalls === 0 && right.every((s) => s === OK) &&
      again.every((s) => s === BADF) && againCalls === 0 && stale.every((s) => s === BADF) && staleCalls === 0 &&
      host.misuse.length === 0 && nothingAlive(host),
    detail: `each kind: ${right.join(' ')}; wrong kind: ${[...new Set(refused)].join(' ')}; closed: ` +
      `${[...new Set(again)].join(' ')}; closed handle or request in select/is_ready: ${[...new Set(stale)].join(' ')}`,
  };
});

scenario('h. options the adapter does not support are UNSUPPORTED, with no host call', async () => {
  const { host, guest, hostCallsDuring } = await session();
  const [, request] = guest.reqNew();
  const [answers, calls] = hostCallsDuring(() => [guest.cacheLookup(key('k'), 2)[0],
    guest.cacheTransactionLookup(key('k'), 1)[0], guest.cacheReplace(key('k'), 4)[0],
    guest.httpCacheLookup(request, 2)[0], guest.httpCacheTransactionLookup(request, 0x8000_0000)[0]]);
  const [, entry] = guest.cacheTransactionLookup(key('k'), 0);
  const [, page] = guest.httpCacheLookup(request, 0);
  const closed = [guest.cacheClose(entry), guest.httpCacheClose(page), guest.reqClose(request)];
  return {
    ok: answers.every((a) => a === UNSUPPORTED) && calls === 0 && closed.every((c) => c === OK) &&
      tagOf(entry) === 1 && tagOf(page) === 3 && host.misuse.length === 0 && nothingAlive(host),
    detail: `${answers.length} calls answered ${[...new Set(answers)].join(', ')}; ${calls} host calls`,
  };
});

let passed = 0;
let failed = 0;
const selectCalls = {};
for (const [title, body] of scenarios) {
  let outcome;
  try {
    outcome = await body();
  } catch (e) {
    outcome = { ok: false, detail: `trap: ${e.message}` };
  }
  outcome.ok ? passed++ : failed++;
  if (outcome.selectCalls !== undefined) selectCalls[title.slice(0, 1)] = outcome.selectCalls;
  console.log(`${outcome.ok ? 'ok  ' : 'FAIL'} ${title}\n       ${outcome.detail}`);
}

// --- Measurements (reported in README.md, not asserted) ---------------------------
const adapterSize = (await readFile(adapterPath)).length;
let trimmedSize = 0;
for (const file of (await readdir(dir)).filter((f) => f.endsWith('.wasm') && f.startsWith('fused.core'))) {
  const bytes = await readFile(join(dir, file));
  const module = new WebAssembly.Module(bytes);
  if (WebAssembly.Module.exports(module).some((e) => e.name === 'fastly_async_io#select')) trimmedSize = bytes.length;
}
const timeSelects = async (script, make) => {
  const { guest, hostCallsDuring } = await session(script);
  const list = new Uint32Array(make(guest));
  const times = 10_000;
  guest.selectRepeatedly(list, 0, 100); // warm up
  const [, calls] = hostCallsDuring(() => guest.select(list, 0));
  const start = performance.now();
  const [status] = guest.selectRepeatedly(list, 0, times);
  const micros = ((performance.now() - start) * 1000) / times;
  return { micros, calls, status };
};
const readyAtOnce = await timeSelects({ bodies: [0] }, (g) => [g.bodyNew()[1]]);
const needsAStep = await timeSelects({ cycling: true }, (g) => [g.cacheLookup(key('k'), 0)[1]]);
console.log('measured:');
console.log(`  adapter module: ${adapterSize} bytes; its trimmed copy in the component: ${trimmedSize} bytes`);
console.log(`  host calls per select: ${Object.entries(selectCalls).map(([k, v]) => `${k} ${v}`).join(', ')}; ` +
  `ready at once ${readyAtOnce.calls}, one step ${needsAStep.calls}`);
console.log(`  microseconds per select over 10,000 selects: ready at once ${readyAtOnce.micros.toFixed(2)}, ` +
  `needing a step ${needsAStep.micros.toFixed(2)} (status ${readyAtOnce.status}, ${needsAStep.status})`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && readyAtOnce.status === OK && needsAStep.status === OK ? 0 : 1);
