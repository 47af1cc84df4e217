// A scripted WASI 0.2 host (wasi:cli, wasi:io, wasi:clocks at 0.2.12, and the
// empty filesystem and terminal interfaces wasmtime's adapter also imports),
// strict where jco is not:
//  * every resource it makes is branded with a private field, and every handle
//    it is given is checked: a forged or dropped one throws (jco turns the
//    exception into a trap of the guest) and is recorded, so a test sees every
//    misuse even when the guest cannot;
//  * virtual time: a poll that finds nothing ready moves the clock to the next
//    readiness, so runs are deterministic and instant; a poll that nothing can
//    ever wake is a misuse (it would block forever); the monotonic clock reads
//    that time and the wall clock a fixed base plus it;
//  * every call it serves is counted, in total and per measured wait: the
//    program marks each wait's start and end with clock_getres(CLOCK_REALTIME)
//    (wall-clock.resolution, a call no wait makes), and the host records the
//    calls in between, and the time, as one entry of `waits`.
//
// What is scripted, per host:
//  * `args`, `env` (a list of [name, value]);
//  * `stdin`: `{ bytes, at }` (the bytes arrive at `at` ms and the stream ends
//    once they are read), `'empty'` (no byte ever, the stream never ends), or
//    nothing (the stream has ended).
const symbolDispose = Symbol.dispose || Symbol.for('dispose');
const msToNs = (ms) => BigInt(Math.round(ms * 1e6));
export const realtimeBaseSeconds = 1_700_000_000n;

export class HostMisuse extends Error {}
export class Exit extends Error {
  constructor(code) {
    super(`exit ${code}`);
    this.code = code;
  }
}

// What a host of either world scripts alike: wasi:cli's environment (but
// initial-cwd, which the worlds name apart) and exit, and wasi:random.
export function commandImports(script, count) {
  return {
    environment: {
      getArguments: () => (count('get-arguments'), script.args ?? ['guest']),
      getEnvironment: () => (count('get-environment'), script.env ?? []),
    },
    exit: {
      exit(status) {
        count('exit');
        throw new Exit(status.tag === 'ok' ? 0 : 1);
      },
      exitWithCode(code) {
        count('exit-with-code');
        throw new Exit(code);
      },
    },
    random: {
      // Not random at all: a test wants the same bytes every run.
      getRandomBytes: (len) => (count('get-random-bytes'),
                                Uint8Array.from({ length: Number(len) }, (_, i) => (i * 37 + 11) & 0xff)),
      getRandomU64: () => (count('get-random-u64'), 0x0123456789abcdefn),
    },
  };
}

// The wall clock at virtual time `now` (ns): a fixed base plus it.
export const wallClockAt = (now) =>
  ({ seconds: realtimeBaseSeconds + now / 1_000_000_000n, nanoseconds: Number(now % 1_000_000_000n) });

// What was written to one stream (or to all), in order.
export const textOf = (output, name) =>
  output.filter(([n]) => name === undefined || n === name).map(([, t]) => t).join('');

export function createHost(script = {}) {
  let now = 0n;
  const calls = {};
  let phase = null;
  const misuse = [];
  const output = []; // [stream name, text], in the order written
  const live = { pollable: new Set(), error: new Set(), stream: new Set() };

  const waits = [];
  const count = (name) => {
    calls[name] = (calls[name] ?? 0) + 1;
    if (name === 'wall-clock.resolution') {
      mark();
    } else if (phase) {
      phase.calls += 1;
    }
  };
  const mark = () => {
    if (phase === null) {
      phase = { calls: 0, start: process.hrtime.bigint() };
    } else {
      waits.push({ calls: phase.calls, ns: process.hrtime.bigint() - phase.start });
      phase = null;
    }
  };
  const fail = (message) => {
    misuse.push(message);
    throw new HostMisuse(message);
  };

  // stdin's script: when its bytes come, and what is left of them.
  const stdinScript = script.stdin;
  let stdinBytes = stdinScript && stdinScript !== 'empty' ? new TextEncoder().encode(stdinScript.bytes) : null;
  const stdinAt = stdinScript && stdinScript !== 'empty' ? msToNs(stdinScript.at ?? 0) : null;
  // When stdin can next answer a read (bytes or its end); null: never.
  const stdinReadyAt = () => (stdinScript === 'empty' ? null : stdinBytes && stdinBytes.length ? stdinAt : 0n);

  const branded = (table, name) =>
    class {
      #alive = true;
      constructor() {
        table.add(this);
      }
      static check(value, where) {
        if (!(typeof value === 'object' && value !== null && #alive in value)) {
          fail(`${where}: the handle is not a ${name}`);
        }
        if (!table.has(value)) {
          fail(`${where}: the ${name} was already dropped`);
        }
        return value;
      }
      [symbolDispose]() {
        count(`${name} drop`);
        this.constructor.check(this, `${name} drop`);
        table.delete(this);
      }
    };

  class Pollable extends branded(live.pollable, 'pollable') {
    #readyAt; // a function answering the time it is ready at, or null: never
    constructor(readyAt) {
      super();
      this.#readyAt = readyAt;
    }
    static readyAt(p) {
      return p.#readyAt();
    }
    ready() {
      count('pollable.ready');
      Pollable.check(this, 'pollable.ready');
      const at = this.#readyAt();
      return at !== null && at <= now;
    }
    block() {
      count('pollable.block');
      Pollable.check(this, 'pollable.block');
      poll([this]);
    }
  }
  const at = (t) => () => t;

  function poll(pollables) {
    if (pollables.length === 0) fail('poll: an empty list');
    const times = pollables.map((p) => Pollable.readyAt(Pollable.check(p, 'poll')));
    const ready = () => times.flatMap((t, i) => (t !== null && t <= now ? [i] : []));
    if (ready().length === 0) {
      const next = times.filter((t) => t !== null).reduce((a, b) => (a === null || b < a ? b : a), null);
      if (next === null) fail('poll: nothing in the list can ever be ready (it would block forever)');
      now = next;
    }
    return new Uint32Array(ready());
  }

  class IoError extends branded(live.error, 'error') {
    toDebugString() {
      count('error.to-debug-string');
      IoError.check(this, 'error.to-debug-string');
      return 'an error';
    }
  }

  class InputStream extends branded(live.stream, 'input-stream') {
    #take(len, where, blocking) {
      count(where);
      InputStream.check(this, where);
      const readyAt = stdinReadyAt();
      if (readyAt === null || readyAt > now) {
        if (!blocking) return new Uint8Array(0);
        if (readyAt === null) fail(`${where}: stdin never has a byte (it would block forever)`);
        now = readyAt;
      }
      if (!stdinBytes || stdinBytes.length === 0) return { tag: 'err', val: { tag: 'closed' } };
      const n = Math.min(Number(len), stdinBytes.length);
      const bytes = stdinBytes.slice(0, n);
      stdinBytes = stdinBytes.slice(n);
      return bytes;
    }
    read(len) {
      return this.#take(len, 'input-stream.read', false);
    }
    blockingRead(len) {
      return this.#take(len, 'input-stream.blocking-read', true);
    }
    subscribe() {
      count('input-stream.subscribe');
      InputStream.check(this, 'input-stream.subscribe');
      return new Pollable(stdinReadyAt);
    }
  }

  class OutputStream extends branded(live.stream, 'output-stream') {
    #name;
    constructor(name) {
      super();
      this.#name = name;
    }
    #write(contents, where) {
      count(where);
      OutputStream.check(this, where);
      if (contents.length > 4096) fail(`${where}: more than check-write allows (${contents.length} bytes)`);
      output.push([this.#name, new TextDecoder().decode(contents)]);
    }
    checkWrite() {
      count('output-stream.check-write');
      OutputStream.check(this, 'output-stream.check-write');
      return 4096n;
    }
    write(contents) {
      this.#write(contents, 'output-stream.write');
    }
    blockingWriteAndFlush(contents) {
      this.#write(contents, 'output-stream.blocking-write-and-flush');
    }
    flush() {
      count('output-stream.flush');
      OutputStream.check(this, 'output-stream.flush');
    }
    blockingFlush() {
      count('output-stream.blocking-flush');
      OutputStream.check(this, 'output-stream.blocking-flush');
    }
    subscribe() {
      count('output-stream.subscribe');
      OutputStream.check(this, 'output-stream.subscribe');
      return new Pollable(at(0n));
    }
  }

  const unsupported = (name) => () => fail(`${name}: not scripted`);
  class Descriptor {}
  class TerminalInput {}
  class TerminalOutput {}

  const command = commandImports(script, count);
  const imports = {
    'wasi:cli/environment': { ...command.environment, initialCwd: () => (count('initial-cwd'), undefined) },
    'wasi:cli/exit': command.exit,
    'wasi:cli/stdin': { getStdin: () => (count('get-stdin'), new InputStream()) },
    'wasi:cli/stdout': { getStdout: () => (count('get-stdout'), new OutputStream('stdout')) },
    'wasi:cli/stderr': { getStderr: () => (count('get-stderr'), new OutputStream('stderr')) },
    'wasi:cli/terminal-input': { TerminalInput },
    'wasi:cli/terminal-output': { TerminalOutput },
    'wasi:cli/terminal-stdin': { getTerminalStdin: () => (count('get-terminal-stdin'), undefined) },
    'wasi:cli/terminal-stdout': { getTerminalStdout: () => (count('get-terminal-stdout'), undefined) },
    'wasi:cli/terminal-stderr': { getTerminalStderr: () => (count('get-terminal-stderr'), undefined) },
    'wasi:clocks/monotonic-clock': {
      now: () => (count('monotonic-clock.now'), now),
      resolution: () => (count('monotonic-clock.resolution'), 1n),
      subscribeDuration: (d) => (count('subscribe-duration'), new Pollable(at(now + d))),
      subscribeInstant: (t) => (count('subscribe-instant'), new Pollable(at(t))),
    },
    'wasi:clocks/wall-clock': {
      now: () => (count('wall-clock.now'), wallClockAt(now)),
      resolution: () => (count('wall-clock.resolution'), { seconds: 0n, nanoseconds: 1 }),
    },
    'wasi:filesystem/preopens': { getDirectories: () => (count('get-directories'), []) },
    'wasi:filesystem/types': { Descriptor, filesystemErrorCode: unsupported('filesystem-error-code') },
    'wasi:random/random': command.random,
    'wasi:io/error': { Error: IoError },
    'wasi:io/poll': {
      Pollable,
      poll(list) {
        count('poll');
        return poll(list);
      },
    },
    'wasi:io/streams': { InputStream, OutputStream },
  };

  return {
    imports,
    calls,
    misuse,
    output,
    waits,
    now: () => now,
    live: () => ({ pollables: live.pollable.size, errors: live.error.size }),
    text: (name) => textOf(output, name),
  };
}
