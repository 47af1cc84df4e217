// A host of the WASI 0.3 mirror of fastly:compute (wit/adapter.wit), strict
// where jco is not, and scripted as the 0.2 example's host is
// (../../fastly_adapter/host/host.js): the same script gives the same
// resources, readiness and times in either world.
//
// As that host does, it brands every resource and checks the brand and that the
// resource is alive on every handle it is given, throws on misuse (a trap of the
// guest) and records it, counts every call, and keeps virtual time. Each wait
// is an async call here: a body's ready(), an entry's nextStep(), the clock's
// waitFor(). A call that can answer now answers at once (jco then returns it to
// the guest as already returned); one that cannot is a pending Promise, due at a
// virtual time. The virtual clock moves only when the component is blocked
// waiting with nothing ready to run (the instance's probe says so, see
// build.mjs): it then jumps to the earliest due call and settles it. So runs are
// deterministic and instant, whatever the machine's load.
//
// jco gives a host no word when the component cancels a call (its own source:
// "there is currently no host-side cancellation hook"): a cancelled call stays
// pending here and settles at its due time, unseen. What the component still
// holds (subtasks, waitable sets) is counted by the probe, not by this host.
//
// What is scripted, per host: as the 0.2 host, `cache`, `http`, `bodies`, and
// `cycling: true` (every entry's next step is pending once, then done: each
// select over it waits once).

import {
  addLookups, brandedResource, createRecord, requestResource, resourceImports, withVersions,
} from '../../fastly_adapter/host/resources.js';

export { HostMisuse } from '../../fastly_adapter/host/resources.js';

export function createHost(script = {}) {
  let now = 0;
  let probe = null;
  const record = createRecord();
  const { count, fail, misuse } = record;
  const live = { body: new Set(), request: new Set(), cacheEntry: new Set(), replaceEntry: new Set(),
                 httpEntry: new Set() };
  const pending = []; // calls not settled yet: { due, settle }
  let bodiesMade = 0;

  // The virtual clock. A call due now answers at once; a later one is a Promise
  // settled by the pump, which runs while calls are pending and moves the clock
  // only when the component is idle (blocked in a wait, nothing ready).
  let pumpScheduled = false;
  const schedulePump = () => {
    if (pumpScheduled) return;
    pumpScheduled = true;
    const timer = setTimeout(pump, 0);
    timer.unref?.(); // a cancelled call left pending must not keep Node alive
  };
  function pump() {
    pumpScheduled = false;
    if (pending.length === 0) return;
    if (probe === null || !probe.idle()) {
      schedulePump();
      return;
    }
    const due = Math.min(...pending.map((p) => p.due));
    if (due === Infinity) {
      misuse.push('the component waits on calls none of which can ever complete');
      return;
    }
    now = Math.max(now, due);
    const settling = pending.filter((p) => p.due <= now);
    for (const p of settling) pending.splice(pending.indexOf(p), 1);
    for (const p of settling) p.settle();
    schedulePump();
  }
  // The answer of a call: answer() now if due has come, else a Promise of it at due.
  const at = (due, answer) => {
    if (due <= now) return answer();
    return later(due, answer);
  };
  const later = (due, answer) =>
    new Promise((resolve) => {
      pending.push({ due, settle: () => resolve(answer()) });
      schedulePump();
    });

  class Body extends brandedResource(live.body, 'body', record) {
    #readyAt;
    constructor(readyAt) {
      super();
      this.#readyAt = readyAt;
    }
    ready() {
      count('body.ready');
      Body.check(this, 'body.ready');
      return at(this.#readyAt, () => undefined);
    }
  }

  // An entry waits step by step; each kind of entry is its own resource type.
  const steppingEntry = (table, name) =>
    class extends brandedResource(table, name, record) {
      #steps;
      #current = 0;
      constructor(steps) {
        super();
        this.#steps = steps;
      }
      nextStep() {
        count(`${name}.next-step`);
        this.constructor.check(this, `${name}.next-step`);
        if (script.cycling) {
          return later(now, () => true);
        }
        while (this.#current < this.#steps.length && now >= this.#steps[this.#current]) {
          this.#current++;
        }
        if (this.#current === this.#steps.length) return true;
        return later(this.#steps[this.#current], () => this.#steps.every((t) => t <= now));
      }
    };
  const CacheEntry = steppingEntry(live.cacheEntry, 'cache entry');
  const ReplaceEntry = steppingEntry(live.replaceEntry, 'replace entry');
  const HttpEntry = steppingEntry(live.httpEntry, 'http cache entry');

  const Request = requestResource(live, record);

  addLookups({ CacheEntry, ReplaceEntry, HttpEntry, Request, record, script });

  const imports = {
    ...resourceImports({ Request, CacheEntry, ReplaceEntry, HttpEntry, live, record }),
    'fastly:compute/http-body': {
      Body,
      new() {
        count('http-body.new');
        return new Body(script.bodies?.[bodiesMade++] ?? 0);
      },
      close(body) {
        count('http-body.close');
        Body.check(body, 'http-body.close');
        live.body.delete(body);
      },
    },
    'wasi:clocks/monotonic-clock': {
      waitFor(nanoseconds) {
        count('monotonic-clock.wait-for');
        const ms = Number(nanoseconds / 1_000_000n);
        if (ms <= 0) fail('wait-for: a zero timeout (the adapter polls instead)');
        const due = now + ms;
        return later(due, () => undefined);
      },
    },
  };
  withVersions(imports, { fastly: '0.1.0-p3', wasi: '0.3.0' });

  return {
    imports,
    misuse,
    // The instance's probe (its exports' $probe): the clock moves only when it says the component is idle.
    attach(instanceProbe) {
      probe = instanceProbe;
    },
    now: () => now,
    calls: () => ({ ...record.calls }),
    totalCalls: record.totalCalls,
    live: () => Object.fromEntries(Object.entries(live).map(([k, v]) => [k, v.size])),
  };
}
