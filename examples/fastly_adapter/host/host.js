// A host of the fastly:compute@0.1.0 interfaces the adapter imports
// (wit/adapter.wit), strict where jco is not.
//
// jco keeps one handle table per resource type and does not check the type of a
// borrowed handle: a word that names no live resource of the expected type
// becomes a bare object of that class, or silently another live resource that
// shares the index. wasmtime would trap. So this host:
//  * brands every resource it makes with a private field and checks the brand,
//    and that the resource is still alive, on every handle it is given;
//  * throws on misuse (jco turns the exception into a trap of the guest) and
//    records it, so a test sees every misuse even when the guest cannot;
//  * keeps virtual time: a select that finds nothing ready moves the clock to the
//    next readiness, so runs are deterministic and instant; the monotonic clock
//    reads that time;
//  * counts every call it serves, and what is alive.
//
// What is scripted, per host:
//  * cache entries by key: `cache: { KEY: [t1, t2, ...] }`, the times (ms) at
//    which each step of the entry completes; step() passes completed steps and
//    answers a pollable for the first one that is not, or none;
//  * HTTP cache entries in the order they are looked up: `http: [[t1, ...], ...]`;
//  * bodies in the order they are made: `bodies: [t, ...]`, when each is ready;
//  * `cycling: true`: every entry alternates forever between one pending step
//    (ready at once) and done, so that each select over it needs one wait (for timing).

import { addLookups, brandedResource, createRecord, requestResource, resourceImports, withVersions } from './resources.js';

export { HostMisuse } from './resources.js';

const symbolDispose = Symbol.dispose || Symbol.for('dispose');

export function createHost(script = {}) {
  let now = 0;
  const record = createRecord();
  const { count, fail } = record;
  const live = { body: new Set(), stepPollable: new Set(), request: new Set(), cacheEntry: new Set(),
                 replaceEntry: new Set(), httpEntry: new Set() };
  let bodiesMade = 0;

  class Pollable {
    #readyAt;
    #table;
    constructor(readyAt, table) {
      this.#readyAt = readyAt;
      this.#table = table;
      table.add(this);
    }
    static check(value, where) {
      if (!(typeof value === 'object' && value !== null && #readyAt in value)) {
        fail(`${where}: the handle is not a pollable`);
      }
      if (!value.#table.has(value)) {
        fail(`${where}: the pollable was already dropped or closed`);
      }
      return value;
    }
    static readyAt(p) {
      return p.#readyAt;
    }
    static isBody(p) {
      return p.#table === live.body;
    }
    static release(p) {
      p.#table.delete(p);
    }
    isReady() {
      count('pollable.is-ready');
      Pollable.check(this, 'pollable.is-ready');
      return now >= this.#readyAt;
    }
    [symbolDispose]() {
      count('pollable drop');
      Pollable.check(this, 'pollable drop');
      Pollable.release(this);
    }
  }

  // An entry waits step by step; each kind of entry is its own resource type.
  const steppingEntry = (table, name) =>
    class extends brandedResource(table, name, record) {
      #steps;
      #current = 0;
      #cycle = false;
      constructor(steps) {
        super();
        this.#steps = steps;
      }
      step() {
        count(`${name}.step`);
        this.constructor.check(this, `${name}.step`);
        if (script.cycling) {
          this.#cycle = !this.#cycle;
          return this.#cycle ? new Pollable(now, live.stepPollable) : undefined;
        }
        while (this.#current < this.#steps.length && now >= this.#steps[this.#current]) {
          this.#current++;
        }
        return this.#current < this.#steps.length ? new Pollable(this.#steps[this.#current], live.stepPollable)
                                                   : undefined;
      }
    };
  const CacheEntry = steppingEntry(live.cacheEntry, 'cache entry');
  const ReplaceEntry = steppingEntry(live.replaceEntry, 'replace entry');
  const HttpEntry = steppingEntry(live.httpEntry, 'http cache entry');

  const Request = requestResource(live, record);

  addLookups({ CacheEntry, ReplaceEntry, HttpEntry, Request, record, script });

  const checkedList = (handles, where) => handles.map((p) => Pollable.check(p, where));
  const firstReady = (list) => list.findIndex((p) => now >= Pollable.readyAt(p));
  const earliest = (list) => Math.min(...list.map((p) => Pollable.readyAt(p)));

  const asyncIo = {
    Pollable,
    select(handles) {
      count('select');
      const list = checkedList(handles, 'select');
      if (list.length === 0) fail('select: an empty list (the host traps on it)');
      let ready = firstReady(list);
      if (ready < 0) {
        const wake = earliest(list);
        if (wake === Infinity) fail('select: nothing in the list can ever become ready');
        now = wake;
        ready = firstReady(list);
      }
      return ready;
    },
    selectWithTimeout(handles, timeoutMs) {
      count('select-with-timeout');
      const list = checkedList(handles, 'select-with-timeout');
      let ready = firstReady(list);
      if (ready >= 0) return ready;
      const deadline = now + timeoutMs;
      const wake = list.length === 0 ? Infinity : earliest(list);
      if (wake > deadline) {
        now = deadline;
        return undefined;
      }
      now = wake;
      return firstReady(list);
    },
  };

  const imports = {
    ...resourceImports({ Request, CacheEntry, ReplaceEntry, HttpEntry, live, record }),
    'fastly:compute/async-io': asyncIo,
    'fastly:compute/http-body': {
      new() {
        count('http-body.new');
        return new Pollable(script.bodies?.[bodiesMade++] ?? 0, live.body);
      },
      close(body) {
        count('http-body.close');
        Pollable.check(body, 'http-body.close');
        if (!Pollable.isBody(body)) fail('http-body.close: the pollable is not a body');
        Pollable.release(body);
      },
    },
    'wasi:clocks/monotonic-clock': {
      now() {
        count('monotonic-clock.now');
        return BigInt(now) * 1_000_000n;
      },
    },
  };
  withVersions(imports, { fastly: '0.1.0', wasi: '0.2.6' });

  return {
    imports,
    misuse: record.misuse,
    now: () => now,
    calls: () => ({ ...record.calls }),
    totalCalls: record.totalCalls,
    live: () => Object.fromEntries(Object.entries(live).map(([k, v]) => [k, v.size])),
  };
}
