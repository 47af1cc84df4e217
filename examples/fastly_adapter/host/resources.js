// What the hosts of both worlds share (host.js here, for fastly:compute with
// pollables; ../../p3_adapter/host/host.js, for its WASI 0.3 mirror): the
// record of calls and misuse, the scripted lookups that make entries, the
// check of the options the adapter passes, and the import names.

export class HostMisuse extends Error {}

const symbolDispose = Symbol.dispose || Symbol.for('dispose');

// Every call a host serves, counted by name, and every misuse it sees: recorded,
// then thrown (jco turns the exception into a trap of the guest), so that a test
// sees every misuse even when the guest cannot.
export function createRecord() {
  const calls = {};
  const misuse = [];
  return {
    calls,
    misuse,
    count(name) {
      calls[name] = (calls[name] ?? 0) + 1;
    },
    fail(message) {
      misuse.push(message);
      throw new HostMisuse(message);
    },
    totalCalls: () => Object.values(calls).reduce((a, b) => a + b, 0),
  };
}

// A resource type whose every handle the host checks: a value of the class
// (its brand), and still open (in `table`, which the class's constructor adds
// to and the interface's close deletes from). Dropping one is misuse: the
// adapter closes resources through their interface.
export const brandedResource = (table, name, record) =>
  class {
    #alive = true;
    constructor() {
      table.add(this);
    }
    static check(value, where) {
      if (!(typeof value === 'object' && value !== null && #alive in value)) {
        record.fail(`${where}: the handle is not a ${name}`);
      }
      if (!table.has(value)) {
        record.fail(`${where}: the ${name} was already closed`);
      }
      return value;
    }
    [symbolDispose]() {
      record.fail(`${name}: dropped without close (the adapter must close it through its interface)`);
    }
  };

// http-req's request, the same in both worlds.
export const requestResource = (live, record) =>
  class Request extends brandedResource(live.request, 'request', record) {
    static new() {
      record.count('request.new');
      return new Request();
    }
  };

// The static functions that make entries, as the script says: cache entries by
// key (`cache: { KEY: [t1, t2, ...] }`, the times at which each step
// completes), HTTP cache entries in the order they are looked up (`http: [[t1,
// ...], ...]`). The adapter passes no options: any option is misuse.
export function addLookups({ CacheEntry, ReplaceEntry, HttpEntry, Request, record, script }) {
  const { count, fail } = record;
  let httpLookups = 0;
  const stepsOf = (key) => script.cache?.[new TextDecoder().decode(key)] ?? [];
  const checkLookupOptions = (options) => {
    if (options.requestHeaders !== undefined || options.alwaysUseRequestedRange || options.extra !== undefined) {
      fail('cache lookup: unexpected options');
    }
  };
  Object.assign(CacheEntry, {
    lookup(key, options) {
      count('cache entry.lookup');
      checkLookupOptions(options);
      return new CacheEntry(stepsOf(key));
    },
    transactionLookup(key, options) {
      count('cache entry.transaction-lookup');
      checkLookupOptions(options);
      return new CacheEntry(stepsOf(key));
    },
  });
  Object.assign(ReplaceEntry, {
    replace(key, options) {
      count('replace entry.replace');
      if (options.requestHeaders !== undefined || options.replaceStrategy !== undefined || options.extra !== undefined) {
        fail('replace: unexpected options');
      }
      return new ReplaceEntry(stepsOf(key));
    },
  });
  Object.assign(HttpEntry, {
    transactionLookup(request, options) {
      count('http cache entry.transaction-lookup');
      Request.check(request, 'http cache entry.transaction-lookup');
      if (options.overrideKey !== undefined || options.backend !== undefined || options.extra !== undefined) {
        fail('http cache transaction-lookup: unexpected options');
      }
      return new HttpEntry(script.http?.[httpLookups++] ?? []);
    },
  });
}

// A resource type of the world that the adapter never makes.
export const unusedResource = (record) =>
  class Unused {
    constructor() {
      record.fail('a resource the adapter never makes was made');
    }
  };

// jco looks imports up by interface name; the versioned names are given too.
export function withVersions(imports, { fastly, wasi }) {
  for (const name of Object.keys(imports)) {
    imports[`${name}@${name.startsWith('wasi:') ? wasi : fastly}`] = imports[name];
  }
  return imports;
}

// The interfaces whose calls are the same in both worlds: requests, the backend,
// the caches' entries and their closes. `live` holds the open resources by type.
export function resourceImports({ Request, CacheEntry, ReplaceEntry, HttpEntry, live, record }) {
  const Unused = unusedResource(record);
  const closeWith = (Kind, table, name) => (handle) => {
    record.count(`${name} close`);
    Kind.check(handle, `${name} close`);
    table.delete(handle);
  };
  return {
    'fastly:compute/types': {},
    'fastly:compute/http-req': {
      Request,
      close: closeWith(Request, live.request, 'http-req'),
    },
    'fastly:compute/backend': { Backend: Unused },
    'fastly:compute/cache': {
      Entry: CacheEntry,
      ReplaceEntry,
      ExtraLookupOptions: Unused,
      ExtraReplaceOptions: Unused,
      closeEntry: closeWith(CacheEntry, live.cacheEntry, 'cache entry'),
      closeReplaceEntry: closeWith(ReplaceEntry, live.replaceEntry, 'replace entry'),
    },
    'fastly:compute/http-cache': {
      Entry: HttpEntry,
      ExtraLookupOptions: Unused,
      closeEntry: closeWith(HttpEntry, live.httpEntry, 'http cache entry'),
    },
  };
}
