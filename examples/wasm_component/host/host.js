// A JavaScript host for wit/world.wit that enforces handle types itself.
//
// jco's generated import bindings keep one handle table per resource type and
// do not check a borrowed handle's type: a guest word that names no pollable
// becomes a bare object made from Pollable.prototype, and one that a pollable
// happens to share with another resource silently becomes that pollable. A
// runtime such as wasmtime traps instead. So this host:
//  * brands every resource it creates with a private field and checks the brand
//    of every resource it is handed (an object jco made up has no brand);
//  * keeps its own tables of live resources, refuses a dropped one, and reports
//    what is still alive when the guest is done;
//  * throws on misuse, which jco turns into a trap of the guest.
// Time is virtual: a select that finds nothing ready moves the clock to the
// next readiness, so every run is deterministic and instant.

const symbolDispose = Symbol.dispose || Symbol.for('dispose');

export class HostError extends Error {}

export function createHost({ script = {} } = {}) {
  let now = 0;
  const misuse = [];
  const live = { pollable: new Set(), cacheEntry: new Set(), replaceEntry: new Set(), httpEntry: new Set() };
  const counts = { subscribe: 0, step: 0, select: 0, selectWithTimeout: 0, dropped: 0 };

  const fail = (message) => {
    misuse.push(message);
    throw new HostError(message);
  };

  class Pollable {
    #readyAt;
    constructor(readyAt) {
      this.#readyAt = readyAt;
      live.pollable.add(this);
    }
    static check(value, where) {
      if (!(typeof value === 'object' && value !== null && #readyAt in value)) {
        fail(`${where}: the handle is not a pollable (a handle of another resource type, or none)`);
      }
      if (!live.pollable.has(value)) {
        fail(`${where}: the pollable was already dropped`);
      }
      return value;
    }
    static readyAt(p) {
      return p.#readyAt;
    }
    isReady() {
      Pollable.check(this, 'pollable.is-ready');
      return now >= this.#readyAt;
    }
    [symbolDispose]() {
      Pollable.check(this, 'pollable drop');
      live.pollable.delete(this);
      counts.dropped++;
    }
  }

  // Readiness by key: when a cache entry is ready, or when each step of an HTTP entry is.
  const entryReadyAt = (key) => script[key] ?? ({ fresh: 0, slow: 40 }[key] ?? Infinity);
  const httpSteps = (key) =>
    script[key] ?? ({ '/index.html': [10, 25], '/slow': [40, 80, 120], '/half': [0, Infinity] }[key] ?? [Infinity]);

  // A subscribing resource: one readiness, one pollable per subscribe.
  const subscribing = (table, name) =>
    class {
      #readyAt;
      constructor(readyAt) {
        this.#readyAt = readyAt;
        table.add(this);
      }
      static check(value, where) {
        if (!(typeof value === 'object' && value !== null && #readyAt in value)) {
          fail(`${where}: the handle is not a ${name}`);
        }
        if (!table.has(value)) {
          fail(`${where}: the ${name} was already dropped`);
        }
        return value;
      }
      subscribe() {
        this.constructor.check(this, `${name}.subscribe`);
        counts.subscribe++;
        return new Pollable(this.#readyAt);
      }
      [symbolDispose]() {
        this.constructor.check(this, `${name} drop`);
        table.delete(this);
      }
    };
  const CacheEntry = subscribing(live.cacheEntry, 'cache entry');
  const ReplaceEntry = subscribing(live.replaceEntry, 'replace entry');

  // A stepping resource: step() answers a pollable for the first unfinished step, or none.
  class HttpEntry {
    #steps;
    #current = 0;
    constructor(steps) {
      this.#steps = steps;
      live.httpEntry.add(this);
    }
    static check(value, where) {
      if (!(typeof value === 'object' && value !== null && #steps in value)) {
        fail(`${where}: the handle is not an HTTP cache entry`);
      }
      if (!live.httpEntry.has(value)) {
        fail(`${where}: the HTTP cache entry was already dropped`);
      }
      return value;
    }
    step() {
      HttpEntry.check(this, 'http-cache entry.step');
      counts.step++;
      while (this.#current < this.#steps.length && now >= this.#steps[this.#current]) {
        this.#current++;
      }
      return this.#current < this.#steps.length ? new Pollable(this.#steps[this.#current]) : undefined;
    }
    [symbolDispose]() {
      HttpEntry.check(this, 'http-cache entry drop');
      live.httpEntry.delete(this);
    }
  }

  const firstReady = (list) => list.findIndex((p) => now >= Pollable.readyAt(p));
  const nextWake = (list) => Math.min(...list.map((p) => Pollable.readyAt(p)));

  const imports = {
    'nybble:demo/async-io': {
      Pollable,
      select(list) {
        counts.select++;
        list.forEach((p, i) => Pollable.check(p, `select, handle ${i}`));
        let ready = firstReady(list);
        if (ready < 0) {
          const wake = nextWake(list);
          if (wake === Infinity) {
            fail('select: nothing in the list can ever become ready');
          }
          now = wake;
          ready = firstReady(list);
        }
        return ready;
      },
      selectWithTimeout(list, timeoutMs) {
        counts.selectWithTimeout++;
        list.forEach((p, i) => Pollable.check(p, `select-with-timeout, handle ${i}`));
        const ready = firstReady(list);
        if (ready >= 0) {
          return ready;
        }
        const deadline = now + timeoutMs;
        const wake = list.length === 0 ? Infinity : nextWake(list);
        if (wake > deadline) {
          now = deadline;
          return undefined;
        }
        now = wake;
        return firstReady(list);
      },
      timer(ms) {
        return new Pollable(now + ms);
      },
      nowMs() {
        return BigInt(now);
      },
    },
    'nybble:demo/cache': {
      Entry: CacheEntry,
      ReplaceEntry,
      lookup(key) {
        return new CacheEntry(entryReadyAt(key));
      },
      replace(key) {
        return new ReplaceEntry(entryReadyAt(key));
      },
    },
    'nybble:demo/http-cache': {
      Entry: HttpEntry,
      lookup(key) {
        return new HttpEntry(httpSteps(key));
      },
    },
  };

  return {
    imports,
    now: () => now,
    misuse,
    counts,
    live: () => ({
      pollables: live.pollable.size,
      cacheEntries: live.cacheEntry.size,
      replaceEntries: live.replaceEntry.size,
      httpEntries: live.httpEntry.size,
    }),
  };
}
