// The scenarios a Fastly module-ABI adapter must pass, written once for every
// world it runs on: the fastly:compute world with pollables (WASI 0.2, this
// folder) and its WASI 0.3 mirror with waitable sets (../p3_adapter). Each
// scenario runs in a fresh instance over a fresh strict host and checks the
// guest's answers and the host's record; the guest module is the same in both.
//
// A world is { name, instantiate(host) -> guest exports, createHost(script),
// madeAlive(host, guest) -> how many things the lowering made are still alive
// (0.2: step pollables; 0.3: subtasks and waitable sets, from the instance's
// probe), timeoutCall: the one host call of an empty select with a timeout,
// keepsCompletions: whether a wait that lost is answered later without asking
// the host (0.3: the adapter kept its completion; 0.2 has none to keep) }.
// Guest calls are awaited: a 0.3 guest's select and is-ready are async.
import { performance } from 'node:perf_hooks';

// fastly_status values (typenames.witx)
export const OK = 0, INVAL = 2, BADF = 3, UNSUPPORTED = 5;
export const TIMED_OUT = 0xffff_ffff;
const key = (text) => new TextEncoder().encode(text);
const tagOf = (word) => (word >>> 28) & 7;

async function session(world, script = {}) {
  const host = world.createHost(script);
  const guest = await world.instantiate(host);
  return {
    host,
    guest,
    // [what fn answered, host calls made while it ran]
    async hostCallsDuring(fn) {
      const before = host.totalCalls();
      const result = await fn();
      return [result, host.totalCalls() - before];
    },
    madeAlive: () => world.madeAlive(host, guest),
    // No resource open, nothing the lowering made alive, no misuse.
    clean: () => Object.values(host.live()).every((n) => n === 0) && world.madeAlive(host, guest) === 0 &&
      host.misuse.length === 0,
  };
}

const scenarios = [];
const scenario = (title, body) => scenarios.push({ id: title.slice(0, 1), title, body });

// [every answer, host calls made] of run(word) for each word: the guest calls
// it makes are each expected to be refused before the adapter calls the host.
async function answersFor(hostCallsDuring, words, run) {
  const answers = [];
  let calls = 0;
  for (const word of words) {
    const [got, n] = await hostCallsDuring(() => run(word));
    answers.push(...got);
    calls += n;
  }
  return [answers, calls];
}

// The outcome of a scenario whose calls must all answer `expected` with no host
// call; `ok` is what else the scenario checks.
function refusedWithoutHostCalls(answers, calls, expected, ok) {
  const seen = [...new Set(answers)].join(', ');
  return {
    ok: answers.every((a) => a === expected) && calls === 0 && ok,
    result: `${answers.length} x ${seen}`,
    detail: `${answers.length} calls answered ${seen}; ${calls} host calls`,
  };
}

scenario('a. select over a body, a cache entry and a two-step HTTP cache entry wakes on the HTTP entry', async (w) => {
  const { host, guest, hostCallsDuring, madeAlive, clean } =
    await session(w, { bodies: [100], cache: { c: [50] }, http: [[10, 25]] });
  const [, body] = guest.bodyNew();
  const [, request] = guest.reqNew();
  const [s1, entry] = guest.cacheLookup(key('c'), 0);
  const [s2, page] = guest.httpCacheTransactionLookup(request, 0);
  const [[status, ready], calls] = await hostCallsDuring(() => guest.select(new Uint32Array([body, entry, page]), 0));
  const made = madeAlive();
  const bodies = host.live().body;
  const closes = [guest.cacheClose(entry), guest.httpCacheClose(page), guest.bodyClose(body), guest.reqClose(request)];
  return {
    ok: s1 === OK && s2 === OK && tagOf(body) === 0 && tagOf(entry) === 1 && tagOf(page) === 3 && status === OK &&
      ready === 2 && host.now() === 25 && made === 0 && bodies === 1 && closes.every((c) => c === OK) && clean(),
    result: `index ${ready} at ${host.now()} ms`,
    detail: `${calls} host calls; made by the lowering and alive after the select: ${made}; ` +
      `after the closes: ${JSON.stringify(host.live())}`,
    selectCalls: calls,
  };
});

scenario('b. forged tags in select, is_ready and close are BADF, with no host call and no trap', async (w) => {
  const { guest, hostCallsDuring, clean } = await session(w, { cache: { c: [5] } });
  const [, entry] = guest.cacheLookup(key('c'), 0); // index 1 is alive: a forged word would alias it
  const [answers, calls] = await answersFor(hostCallsDuring, [0x4000_0001, 0x7000_0001,
    0x5000_0000 | (entry & 0x0fff_ffff)], async (forged) => [(await guest.select(new Uint32Array([forged]), 0))[0],
    (await guest.select(new Uint32Array([entry, forged]), 10))[0], (await guest.isReady(forged))[0],
    guest.cacheClose(forged), guest.httpCacheClose(forged), guest.bodyClose(forged)]);
  guest.cacheClose(entry);
  return { ...refusedWithoutHostCalls(answers, calls, BADF, clean()), selectCalls: 0 };
});

scenario('c. steps at 60, 120 and 180 ms against a 100 ms timeout time out at 100 ms (one deadline)', async (w) => {
  const { host, guest, hostCallsDuring, madeAlive, clean } = await session(w, { cache: { slow: [60, 120, 180] } });
  const [, entry] = guest.cacheLookup(key('slow'), 0);
  const [[status, ready], calls] = await hostCallsDuring(() => guest.select(new Uint32Array([entry]), 100));
  const made = madeAlive();
  guest.cacheClose(entry);
  return {
    ok: status === OK && ready === TIMED_OUT && host.now() === 100 && made === 0 && clean(),
    result: `${ready === TIMED_OUT ? 'timed out' : `index ${ready}`} at ${host.now()} ms`,
    detail: `${calls} host calls`,
    selectCalls: calls,
  };
});

scenario('d. is_ready on an entry whose first step is done and second is not is 0', async (w) => {
  const { host, guest, madeAlive, clean } = await session(w, { http: [[0, Infinity]], cache: { done: [] } });
  const [, request] = guest.reqNew();
  const [, page] = guest.httpCacheTransactionLookup(request, 0);
  const [, entry] = guest.cacheLookup(key('done'), 0);
  const half = await guest.isReady(page);
  const done = await guest.isReady(entry);
  const made = madeAlive();
  guest.httpCacheClose(page);
  guest.cacheClose(entry);
  guest.reqClose(request);
  return {
    ok: half[0] === OK && half[1] === 0 && done[0] === OK && done[1] === 1 && made === 0 && host.now() === 0 && clean(),
    result: `${half[1]} (a finished entry: ${done[1]})`,
    detail: `half-done HTTP entry: ${half[1]}; finished cache entry: ${done[1]}`,
  };
});

scenario('e. an empty select is INVAL without a timeout (no host call) and times out with one', async (w) => {
  const { host, guest, hostCallsDuring, clean } = await session(w);
  const [[refused], none] = await hostCallsDuring(() => guest.select(new Uint32Array([]), 0));
  const [[status, ready], timed] = await hostCallsDuring(() => guest.select(new Uint32Array([]), 30));
  return {
    ok: refused === INVAL && none === 0 && status === OK && ready === TIMED_OUT && timed === 1 &&
      host.calls()[w.timeoutCall] === 1 && host.now() === 30 && clean(),
    result: `INVAL; timed out at ${host.now()} ms`,
    detail: `no timeout: status ${refused}, ${none} host calls; 30 ms: timed out at ${host.now()} ms, ${timed} ` +
      `host call (${w.timeoutCall})`,
    selectCalls: timed,
  };
});

scenario('f. invalid sentinels in select and is_ready are BADF, with no host call', async (w) => {
  const { guest, hostCallsDuring, clean } = await session(w);
  const [, body] = guest.bodyNew(); // index 1: 0x8000_0001 would alias it
  const [answers, calls] = await answersFor(hostCallsDuring, [0x8000_0001, 0xffff_ffff, 0xffff_fffe],
    async (sentinel) => [(await guest.select(new Uint32Array([sentinel]), 0))[0],
      (await guest.select(new Uint32Array([body, sentinel]), 5))[0], (await guest.isReady(sentinel))[0]]);
  guest.bodyClose(body);
  return refusedWithoutHostCalls(answers, calls, BADF, clean());
});

scenario('g. close of each kind, of a word of the wrong kind and of a closed handle', async (w) => {
  const { guest, hostCallsDuring, clean } = await session(w);
  // Bodies and requests are both untagged, and jco numbers each resource type on
  // its own: body 1 and request 1 are the same word. So the untagged wrong-kind
  // closes are tried while no handle of the other type has that index.
  const [, request] = guest.reqNew();
  const [untaggedWrong, untaggedCalls] = await hostCallsDuring(() => [guest.bodyClose(request)]);
  const [, entry] = guest.cacheLookup(key('e'), 0);
  const [, replace] = guest.cacheReplace(key('r'), 0);
  const [, page] = guest.httpCacheTransactionLookup(request, 0);
  const [, spare] = guest.bodyNew();
  const [, body] = guest.bodyNew(); // index 2: no request 2
  const [wrong, wrongCalls] = await hostCallsDuring(() => [guest.cacheClose(page), guest.cacheClose(body),
    guest.httpCacheClose(entry), guest.httpCacheClose(replace), guest.bodyClose(entry), guest.reqClose(body),
    guest.reqClose(page), guest.bodyClose(page)]);
  const right = [guest.cacheClose(entry), guest.cacheClose(replace), guest.httpCacheClose(page),
    guest.bodyClose(body), guest.bodyClose(spare), guest.reqClose(request)];
  const [again, againCalls] = await hostCallsDuring(() => [guest.cacheClose(entry), guest.cacheClose(replace),
    guest.httpCacheClose(page), guest.bodyClose(body), guest.reqClose(request)]);
  const [stale, staleCalls] = await hostCallsDuring(async () => [(await guest.select(new Uint32Array([body]), 0))[0],
    (await guest.isReady(entry))[0], (await guest.select(new Uint32Array([request]), 0))[0]]);
  const refused = [...untaggedWrong, ...wrong];
  return {
    ok: refused.every((s) => s === BADF) && untaggedCalls + wrongCalls === 0 && right.every((s) => s === OK) &&
      again.every((s) => s === BADF) && againCalls === 0 && stale.every((s) => s === BADF) && staleCalls === 0 &&
      clean(),
    result: `OK; BADF x ${refused.length + again.length + stale.length}`,
    detail: `each kind: ${right.join(' ')}; wrong kind: ${[...new Set(refused)].join(' ')}; closed: ` +
      `${[...new Set(again)].join(' ')}; closed handle or request in select/is_ready: ${[...new Set(stale)].join(' ')}`,
  };
});

scenario('h. options the adapter does not support are UNSUPPORTED, with no host call', async (w) => {
  const { guest, hostCallsDuring, clean } = await session(w);
  const [, request] = guest.reqNew();
  const [answers, calls] = await hostCallsDuring(() => [guest.cacheLookup(key('k'), 2)[0],
    guest.cacheTransactionLookup(key('k'), 1)[0], guest.cacheReplace(key('k'), 4)[0],
    guest.httpCacheLookup(request, 2)[0], guest.httpCacheTransactionLookup(request, 0x8000_0000)[0]]);
  const [, entry] = guest.cacheTransactionLookup(key('k'), 0);
  const [, page] = guest.httpCacheLookup(request, 0);
  const closed = [guest.cacheClose(entry), guest.httpCacheClose(page), guest.reqClose(request)];
  return refusedWithoutHostCalls(answers, calls, UNSUPPORTED,
    closed.every((c) => c === OK) && tagOf(entry) === 1 && tagOf(page) === 3 && clean());
});

scenario('i. handles that lost a select (ready at the same time as the winner) are ready at the next select and ' +
  'is_ready', async (w) => {
  const { host, guest, hostCallsDuring, madeAlive, clean } = await session(w, { bodies: [10, 10], cache: { c: [10] } });
  const [, first] = guest.bodyNew();
  const [, second] = guest.bodyNew();
  const [, entry] = guest.cacheLookup(key('c'), 0);
  const list = [first, second, entry];
  const [status, index] = await guest.select(new Uint32Array(list), 0);
  const made = madeAlive();
  const at = host.now();
  // Each loser alone: ready at once. A world that keeps completions (0.3: the
  // losers' waits completed and were cancelled) answers without asking the host.
  const losers = list.filter((_, i) => i !== index);
  const again = [];
  for (const loser of losers) {
    const [[s, i], calls] = await hostCallsDuring(() => guest.select(new Uint32Array([loser]), 0));
    const [s2, ready] = await guest.isReady(loser);
    again.push({ ready: s === OK && i === 0 && s2 === OK && ready === 1, calls });
  }
  const closes = list.map((h, i) => (i === 2 ? guest.cacheClose(h) : guest.bodyClose(h)));
  const kept = again.every((a) => a.calls === 0);
  return {
    ok: status === OK && index < 3 && at === 10 && made === 0 && losers.length === 2 && again.every((a) => a.ready) &&
      (!w.keepsCompletions || kept) && host.now() === 10 && closes.every((c) => c === OK) && clean(),
    result: `index ${index}; the losers ready at once${kept ? ', from kept completions' : ''}`,
    detail: `first select: index ${index} at ${at} ms; each loser then: select ready, is_ready 1 ` +
      `(${again.map((a) => `${a.ready ? 'yes' : 'NO'}, ${a.calls} host calls`).join('; ')}); no time passed`,
  };
});

scenario('j. 1,000 selects in a loop, each waiting on a slow entry that loses to a ready body, leave nothing alive',
  async (w) => {
  const { host, guest, madeAlive, clean } = await session(w, { bodies: [0], cache: { slow: [1e9] } });
  const [, slow] = guest.cacheLookup(key('slow'), 0);
  const [, body] = guest.bodyNew();
  const before = host.calls();
  const [status, index] = await guest.selectRepeatedly(new Uint32Array([slow, body]), 0, 1000);
  const made = madeAlive();
  const after = host.calls();
  const delta = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)])
    .filter(([, v]) => v !== 0));
  const closes = [guest.cacheClose(slow), guest.bodyClose(body)];
  return {
    ok: status === OK && index === 1 && made === 0 && closes.every((c) => c === OK) && clean(),
    result: `index ${index}; ${made} alive`,
    detail: `index ${index}; host calls ${JSON.stringify(delta)}; made by the lowering and alive after: ${made}`,
  };
});

scenario('k. a closed handle whose index the runtime gave to a new one: its word is BADF in every call, with no ' +
  'host call, and the new handle works', async (w) => {
  const { guest, hostCallsDuring, clean } = await session(w, { bodies: [0, 0], cache: { c: [0], d: [0] } });
  const indexOf = (word) => word & 0x000f_ffff; // the runtime's table index, below the generation
  // A cache entry's index coming back as a body, then as a cache entry again.
  const [, closedEntry] = guest.cacheLookup(key('c'), 0);
  const entryClosed = guest.cacheClose(closedEntry);
  const [, closedBody] = guest.bodyNew();
  const [, entry] = guest.cacheLookup(key('d'), 0);
  const bodyClosed = guest.bodyClose(closedBody);
  const [, body] = guest.bodyNew();
  const [, closedRequest] = guest.reqNew();
  const requestClosed = guest.reqClose(closedRequest);
  const [, request] = guest.reqNew();
  const reused = indexOf(closedBody) === indexOf(closedEntry) && indexOf(entry) === indexOf(closedEntry) &&
    indexOf(body) === indexOf(closedBody) && indexOf(request) === indexOf(closedRequest);
  const fresh = entry !== closedEntry && body !== closedBody && request !== closedRequest;
  const [answers, calls] = await hostCallsDuring(async () => [
    (await guest.select(new Uint32Array([closedEntry]), 0))[0], (await guest.select(new Uint32Array([closedBody]), 0))[0],
    (await guest.select(new Uint32Array([entry, closedEntry]), 5))[0],
    (await guest.select(new Uint32Array([body, closedBody]), 5))[0],
    (await guest.isReady(closedEntry))[0], (await guest.isReady(closedBody))[0],
    guest.cacheClose(closedEntry), guest.bodyClose(closedBody), guest.reqClose(closedRequest),
    guest.httpCacheLookup(closedRequest, 0)[0], guest.httpCacheTransactionLookup(closedRequest, 0)[0]]);
  const [entryStatus, entryIndex] = await guest.select(new Uint32Array([entry]), 0);
  const [bodyStatus, bodyIndex] = await guest.select(new Uint32Array([body]), 0);
  const [readyStatus, ready] = await guest.isReady(entry);
  const closes = [entryClosed, bodyClosed, requestClosed, guest.cacheClose(entry), guest.bodyClose(body),
    guest.reqClose(request)];
  const works = entryStatus === OK && entryIndex === 0 && bodyStatus === OK && bodyIndex === 0 && readyStatus === OK &&
    ready === 1 && closes.every((c) => c === OK);
  return {
    ...refusedWithoutHostCalls(answers, calls, BADF, reused && fresh && works && clean()),
    detail: `same index underneath: ${reused ? 'yes' : 'NO'} (${[closedEntry, closedBody, entry, body]
      .map((x) => `0x${x.toString(16)}`).join(', ')}); ${answers.length} calls on closed words answered ` +
      `${[...new Set(answers)].join(', ')} with ${calls} host calls; the new handles: ${works ? 'work' : 'FAIL'}`,
  };
});

scenario('l. 300 random opens, closes and uses of the words a guest holds: a closed handle\'s word is BADF with no ' +
  'host call, an open one is answered', async (w) => {
  const { guest, hostCallsDuring, clean } = await session(w);
  let state = 20261203; // a fixed seed: the same sequence in both worlds, on every run
  const next = (n) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
  const kinds = {
    entry: { open: () => guest.cacheLookup(key('k'), 0), close: (h) => guest.cacheClose(h), waitable: true },
    body: { open: () => guest.bodyNew(), close: (h) => guest.bodyClose(h), waitable: true },
    request: { open: () => guest.reqNew(), close: (h) => guest.reqClose(h), waitable: false },
  };
  const held = []; // every word the guest was given: { word, kind, open }
  const wrong = [];
  let reused = 0, closedUses = 0, openUses = 0;
  for (let step = 0; step < 300; step++) {
    const op = next(10);
    if (op < 3 || held.length === 0) {
      const kind = ['entry', 'body', 'request'][next(3)];
      const [status, word] = kinds[kind].open();
      if (status !== OK) {
        wrong.push(`open ${kind}: ${status}`);
        continue;
      }
      reused += held.some((h) => !h.open && h.kind === kind && (h.word & 0xf_ffff) === (word & 0xf_ffff)) ? 1 : 0;
      held.push({ word, kind, open: true });
      continue;
    }
    const h = held[next(held.length)];
    if (op < 6) {
      const [status, calls] = await hostCallsDuring(() => kinds[h.kind].close(h.word));
      if (h.open ? status !== OK : status !== BADF || calls !== 0) {
        wrong.push(`close of ${h.open ? 'an open' : 'a closed'} ${h.kind}: ${status}, ${calls} host calls`);
      }
      closedUses += h.open ? 0 : 1;
      h.open = false;
    } else {
      const [[selected, index], selectCalls] = await hostCallsDuring(() => guest.select(new Uint32Array([h.word]), 0));
      const [[asked, ready], askCalls] = await hostCallsDuring(() => guest.isReady(h.word));
      const answered = h.open && kinds[h.kind].waitable;
      const right = answered ? selected === OK && index === 0 && asked === OK && ready === 1
        : selected === BADF && asked === BADF && selectCalls + askCalls === 0;
      if (!right) {
        wrong.push(`select/is_ready of ${h.open ? 'an open' : 'a closed'} ${h.kind}: ${selected} ${asked}`);
      }
      closedUses += h.open ? 0 : 1;
      openUses += answered ? 1 : 0;
    }
  }
  const closes = held.filter((h) => h.open).map((h) => kinds[h.kind].close(h.word));
  return {
    ok: wrong.length === 0 && reused >= 10 && closedUses >= 20 && openUses >= 20 && closes.every((c) => c === OK) &&
      clean(),
    result: `${wrong.length} wrong answers`,
    detail: `${held.length} handles opened (${reused} at an index a closed one had), ${closedUses} uses of closed ` +
      `words, ${openUses} selects of open ones; wrong: ${wrong.slice(0, 3).join('; ') || 'none'}`,
  };
});

export { scenarios };

// Runs every scenario against a world: [{ id, title, ok, result, detail, selectCalls }].
export async function runScenarios(world) {
  const outcomes = [];
  for (const { id, title, body } of scenarios) {
    let outcome;
    try {
      outcome = await body(world);
    } catch (e) {
      outcome = { ok: false, result: 'trap', detail: `trap: ${e.message}` };
    }
    outcomes.push({ id, title, ...outcome });
  }
  return outcomes;
}

// What the READMEs report (not asserted): host calls per select and time per
// select over `times` selects in the guest, for a body ready at once and for an
// entry that needs one step each time.
export async function measure(world, times = 10_000) {
  const timeSelects = async (script, make) => {
    const { guest, hostCallsDuring } = await session(world, script);
    const list = new Uint32Array(make(guest));
    await guest.selectRepeatedly(list, 0, 100); // warm up
    const [, calls] = await hostCallsDuring(() => guest.select(list, 0));
    const start = performance.now();
    const [status] = await guest.selectRepeatedly(list, 0, times);
    const micros = ((performance.now() - start) * 1000) / times;
    return { micros, calls, status };
  };
  const readyAtOnce = await timeSelects({ bodies: [0] }, (g) => [g.bodyNew()[1]]);
  const needsAStep = await timeSelects({ cycling: true }, (g) => [g.cacheLookup(key('k'), 0)[1]]);
  return { readyAtOnce, needsAStep, ok: readyAtOnce.status === OK && needsAStep.status === OK };
}
