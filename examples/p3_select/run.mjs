// Runs the WASI 0.3 scenarios against the fused component, under Node 24:
//   node24 run.mjs OUT_DIR
// Each scenario calls the guest's exports, which call the adapter's module-ABI
// functions, which nybble lowers onto waitable sets over host/host.js. Times are
// reported, never asserted: what is checked is which index wins, and the
// orders are those of the timers' due times.
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const outDir = resolve(process.argv[2] ?? 'out');
const guest = await import(pathToFileURL(join(outDir, 'fused.js')).href);
// The same module the component imports (build.mjs maps the interface to it): its counts are the host's.
const host = await import(new URL('./host/host.js', import.meta.url).href);

const OK = 0, INVAL = 2, BADF = 3, TIMED_OUT = 0xffffffff;
let failures = 0;
const check = (name, ok, detail) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `\n       ${detail}` : ''}`);
  if (!ok) failures++;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const timed = async (f) => {
  const t = Date.now();
  const r = await f();
  return [r, Date.now() - t];
};
const calls = () => host.counts.callsStarted;
const settle = async () => {
  for (let i = 0; i < 50 && host.counts.callsStarted !== host.counts.callsSettled; i++) await sleep(10);
  return host.counts.callsStarted - host.counts.callsSettled;
};
const newEntry = (first, second = 0) => {
  const [s, h] = guest.entryNew(first, second);
  if (s !== OK) throw new Error(`entry-new: status ${s}`);
  return h;
};
const newBody = (ms) => {
  const [s, h] = guest.bodyNew(ms);
  if (s !== OK) throw new Error(`body-new: status ${s}`);
  return h;
};

// a. A body, an entry and an entry of two steps: the two-step entry wins.
{
  const list = new Uint32Array([newBody(100), newEntry(40), newEntry(10, 15)]);
  const [[s, index], ms] = await timed(() => guest.select(list, 0));
  check('a. select over a body, an entry and a two-step entry', s === OK && index === 2,
    `status ${s}, index ${index} at ${ms} ms`);
  for (const h of list) guest.close(h);
}

// b, f. Forged tags and sentinels: BADF, with no call to the typed side.
{
  const live = newEntry(5);
  const before = calls();
  const forged = [0x40000001, 0x70000001, (5 << 28) | (live & 0x0fffffff), 0x80000001, 0xffffffff, 0xfffffffe];
  const answers = [];
  for (const w of forged) {
    answers.push((await guest.select(new Uint32Array([live, w]), 10))[0], (await guest.isReady(w))[0], guest.close(w));
  }
  check('b/f. forged tags and sentinels in select, is_ready and close are BADF, no host call',
    answers.every((a) => a === BADF) && calls() === before, `${answers.length} answers, ${calls() - before} host calls`);
  guest.close(live);
}

// c. Steps at 60 and 120 ms against a 100 ms timeout: one clock wait, one deadline.
{
  const list = new Uint32Array([newEntry(60, 60)]);
  const [[s, index], ms] = await timed(() => guest.select(list, 100));
  check('c. a two-step entry (steps due at 60 and 120 ms) against a 100 ms timeout times out',
    s === OK && index === TIMED_OUT, `status ${s}, ${index === TIMED_OUT ? 'timed out' : `index ${index}`} at ${ms} ms`);
  await sleep(40);
  guest.close(list[0]);
}

// d. is_ready looks past a step that is done.
{
  const h = newEntry(1, 80);
  await sleep(20);
  const [s, ready] = await guest.isReady(h);
  await sleep(80);
  const [s2, ready2] = await guest.isReady(h);
  check('d. is_ready on an entry whose first step is done and second not: 0; then 1',
    s === OK && ready === 0 && s2 === OK && ready2 === 1, `${ready} then ${ready2}`);
  guest.close(h);
}

// e. The empty select.
{
  const [s] = await guest.select(new Uint32Array([]), 0);
  const [[s2, index], ms] = await timed(() => guest.select(new Uint32Array([]), 30));
  check('e. empty select: INVAL without a timeout; timed out with one', s === INVAL && s2 === OK &&
    index === TIMED_OUT, `${s}; ${s2}, ${index === TIMED_OUT ? 'timed out' : index} at ${ms} ms`);
}

// g. Close each kind, and a closed handle.
{
  const e = newEntry(1), b = newBody(1);
  const first = [guest.close(e), guest.close(b)];
  const again = [guest.close(e), guest.close(b), (await guest.select(new Uint32Array([e]), 5))[0],
    (await guest.isReady(b))[0]];
  check('g. close of each kind OK; a closed handle in close, select and is_ready is BADF',
    first.every((a) => a === OK) && again.every((a) => a === BADF), `${first} / ${again}`);
}

// i. A handle whose wait completed while another index won is ready at the next select and is_ready.
{
  const first = newBody(10), second = newBody(10);
  const [s, index] = await guest.select(new Uint32Array([first, second]), 0);
  const [[s2, index2], ms] = await timed(() => guest.select(new Uint32Array([second]), 1));
  const [s3, ready] = await guest.isReady(second);
  check('i. a handle that lost a select is ready at the next select and is_ready',
    s === OK && index === 0 && s2 === OK && index2 === 0 && s3 === OK && ready === 1,
    `first select: index ${index}; then index ${index2} in ${ms} ms; is_ready ${ready}`);
  guest.close(first);
  guest.close(second);
}

// j. 1,000 selects in a loop, each starting a wait on a slow entry that loses to a ready body
// and is cancelled: each select starts exactly one call of the typed side, and the component
// runs them all without a trap. (That every wait started is ended and every set dropped is
// proven against the test host: tests/unit/select_waitable_sets.cpp and the property test.)
{
  const ready = newBody(0), slow = newEntry(100000);
  await guest.isReady(ready); // once ready, the adapter keeps it: no more calls for the body
  const list = new Uint32Array([slow, ready]);
  const before = calls();
  const [[s, index], ms] = await timed(() => guest.selectRepeatedly(list, 0, 1000));
  const started = calls() - before;
  check('j. 1,000 selects in a loop: each ready at the body, each starting (and ending) one wait',
    s === OK && index === 1 && started === 1000,
    `status ${s}, index ${index}; ${started} waits started; ${(ms * 1000 / 1000).toFixed(1)} µs per select`);
  for (const h of list) guest.close(h);
}

// Timing: selects that wait on a set for one step each.
{
  const list = new Uint32Array([newEntry(100000), newBody(100000)]);
  const [[s, index], ms] = await timed(() => guest.selectRepeatedly(list, 1, 50));
  check('timing: 50 selects that time out after 1 ms on a set of two waits and a clock wait',
    s === OK && index === TIMED_OUT, `${(ms / 50).toFixed(2)} ms per select`);
  for (const h of list) guest.close(h);
}

console.log(`${failures === 0 ? 'all as expected' : `${failures} FAILED`} (node ${process.version})`);
process.exit(failures === 0 ? 0 : 1);
