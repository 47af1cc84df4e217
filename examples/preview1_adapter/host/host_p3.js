// A scripted WASI 0.3.0 host (wasi:cli, wasi:clocks, wasi:random), scripted
// as the 0.2 host (host.js) is: the same script gives the same arguments,
// environment, stdin bytes and times in either world.
//
// Every wait is a call or a stream here: `wait-for`, and stdin's stream, whose
// bytes arrive at their scripted time. A call that can answer now answers at
// once; one that cannot is a pending Promise, due at a virtual time. The
// virtual clock moves only when the component is blocked waiting with nothing
// ready to run (its instance's probe says so: ../../p3_adapter/probe.mjs): it then jumps to
// the earliest due call and settles it. So runs are deterministic and instant;
// a component that waits on nothing that can ever complete is recorded as a
// misuse (it would block forever).
//
// jco gives a host no word when the component cancels a call: a cancelled
// `wait-for` stays pending here and settles at its due time, unseen. What the
// component holds (subtasks, sets, stream and future ends) is counted by the
// probe, not by this host. The calls the adapter makes, built-ins included,
// are counted by the runner (scenarios.mjs) at the core module's imports, and
// given to countCall(); as in host.js, the program marks each measured wait
// with clock_getres(CLOCK_REALTIME) (system-clock.get-resolution here), and
// the calls in between make one entry of `waits`.
import { commandImports, Exit, HostMisuse, textOf, wallClockAt } from './host.js';

export { Exit, HostMisuse };

const msToNs = (ms) => BigInt(Math.round(ms * 1e6));

export function createHost(script = {}) {
  let now = 0n;
  let probe = null;
  const calls = {};
  const misuse = [];
  const output = [];
  const pending = []; // calls not settled yet: { due (null: never), settle }
  let writing = 0; // writes whose stream is being read
  let phase = null;
  const waits = [];
  const marker = 'system-clock.get-resolution';
  const count = (name) => {
    calls[name] = (calls[name] ?? 0) + 1;
    if (name === marker) {
      if (phase === null) {
        phase = { calls: 0, waiting: 0, start: process.hrtime.bigint() };
      } else {
        waits.push({ calls: phase.calls, waiting: phase.waiting, ns: process.hrtime.bigint() - phase.start });
        phase = null;
      }
    }
  };
  const fail = (message) => {
    misuse.push(message);
    throw new HostMisuse(message);
  };

  let pumpScheduled = false;
  const schedulePump = () => {
    if (pumpScheduled) return;
    pumpScheduled = true;
    const timer = setTimeout(pump, 0);
    timer.unref?.(); // a cancelled call left pending must not keep Node alive
  };
  // Idle with nothing due: the component may still be about to hear of a
  // write the host finished (jco delivers it through its own queue), so this
  // is a block only when it lasts, pump after pump.
  let stuck = 0;
  function pump() {
    pumpScheduled = false;
    if (pending.length === 0) return;
    if (probe === null || !probe.idle()) {
      stuck = 0;
      schedulePump();
      return;
    }
    const dues = pending.map((p) => p.due).filter((d) => d !== null);
    if (dues.length === 0) {
      if (writing > 0 || ++stuck < 20) {
        schedulePump();
        return;
      }
      misuse.push('the component waits on calls none of which can ever complete (it would block forever)');
      return;
    }
    stuck = 0;
    const due = dues.reduce((a, b) => (b < a ? b : a));
    if (due > now) now = due;
    const settling = pending.filter((p) => p.due !== null && p.due <= now);
    for (const p of settling) pending.splice(pending.indexOf(p), 1);
    for (const p of settling) p.settle();
    schedulePump();
  }
  const later = (due, answer) =>
    new Promise((resolve) => {
      pending.push({ due, settle: () => resolve(answer()) });
      schedulePump();
    });
  const at = (due, answer) => (due !== null && due <= now ? answer() : later(due, answer));

  // stdin's script: its bytes at their time, then its end (the stream's
  // future resolves then); or nothing ever ('empty').
  let stdinEnded;
  const stdinEnd = new Promise((resolve) => {
    stdinEnded = () => resolve({ tag: 'ok', val: undefined });
  });
  async function* stdinChunks() {
    const s = script.stdin;
    if (s === 'empty') {
      await later(null, () => undefined);
      return;
    }
    if (s) {
      await at(msToNs(s.at ?? 0), () => undefined);
      yield new TextEncoder().encode(s.bytes);
    }
    stdinEnded();
  }

  // A write's stream, read to its end: the write's future resolves once every byte is taken.
  const writer = (name) => async (stream) => {
    count(`${name}.write-via-stream`);
    writing += 1;
    try {
      return await take(name, stream);
    } finally {
      writing -= 1;
    }
  };
  const take = async (name, stream) => {
    const decoder = new TextDecoder();
    let text = '';
    for (;;) {
      const r = await stream.read({ count: 4096 });
      const done = r === null || r === undefined || (typeof r === 'object' && r.done === true);
      const value = r && typeof r === 'object' && 'done' in r ? r.value : r;
      if (value && value.length) text += decoder.decode(Uint8Array.from(value), { stream: true });
      if (done) break;
    }
    stream[Symbol.dispose]?.(); // done with it: its end leaves jco's table
    output.push([name, text + decoder.decode()]);
    return { tag: 'ok', val: undefined };
  };

  const command = commandImports(script, count);
  const imports = {
    'wasi:cli/environment': { ...command.environment, getInitialCwd: () => (count('get-initial-cwd'), undefined) },
    'wasi:cli/exit': command.exit,
    'wasi:cli/stdin': {
      readViaStream() {
        count('stdin.read-via-stream');
        return [stdinChunks(), stdinEnd];
      },
    },
    'wasi:cli/stdout': { writeViaStream: writer('stdout') },
    'wasi:cli/stderr': { writeViaStream: writer('stderr') },
    'wasi:clocks/monotonic-clock': {
      now: () => (count('monotonic-clock.now'), now),
      getResolution: () => (count('monotonic-clock.get-resolution'), 1n),
      waitFor(ns) {
        count('monotonic-clock.wait-for');
        if (ns <= 0n) fail('wait-for: no time at all (the adapter polls instead)');
        return later(now + ns, () => undefined);
      },
      waitUntil(t) {
        count('monotonic-clock.wait-until');
        return at(t, () => undefined);
      },
    },
    'wasi:clocks/system-clock': {
      now: () => (count('system-clock.now'), wallClockAt(now)),
      getResolution: () => (count('system-clock.get-resolution'), 1n),
    },
    'wasi:random/random': command.random,
  };

  return {
    imports,
    calls,
    misuse,
    output,
    // The instance's probe (its exports' $probe): the clock moves only when it says the component is idle.
    attach(instanceProbe) {
      probe = instanceProbe;
    },
    waits,
    // One call of the adapter to an import (label: module#name); `waiting`: an
    // async call or a wait. The marker's own call is not counted.
    countCall(label, waiting) {
      if (phase === null || label.endsWith('system-clock@0.3.0#get-resolution')) return;
      phase.calls += 1;
      if (waiting) phase.waiting += 1;
    },
    now: () => now,
    // The run is over: what is still pending (a read jco never told this host was cancelled) is let go.
    dispose() {
      pending.length = 0;
    },
    live: () => ({ pollables: 0, errors: 0, ...(probe ? probe.live() : {}) }),
    text: (name) => textOf(output, name),
  };
}
