// The scenarios of the preview1 example: one run of the wasi-libc guest
// (guest/guest.c) each, with what the preview1 specification makes it print.
// A scenario where wasmtime's adapter answers otherwise says how (`reference`).
import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createHost, Exit, HostMisuse } from './host/host.js';
import { createHost as createP3Host } from './host/host_p3.js';

const fuzzRounds = 1000;

export const scenarios = [
  { id: 'a', args: ['stdout'], title: 'poll() on stdout, which has room',
    stdout: 'poll -> 1 | fd 1: OUT | after 0 ms\n' },
  { id: 'b', args: ['stdin-data'], stdin: { bytes: 'hello', at: 5 }, title: 'poll() on stdin, data after 5 ms',
    stdout: 'poll -> 1 | fd 0: IN | after 5 ms\nread -> 5 "hello"\n' },
  { id: 'c', args: ['stdin-empty'], stdin: 'empty', title: 'poll() on stdin with no data, timeout 50 ms',
    stdout: 'poll -> 0 | fd 0: - | after 50 ms\n' },
  { id: 'd', args: ['stdin-stdout'], stdin: 'empty', title: 'poll() on stdin (no data) and stdout',
    stdout: 'poll -> 1 | fd 0: - | fd 1: OUT | after 0 ms\n' },
  { id: 'e', args: ['closed-fd'], title: 'poll() on stdout and a descriptor that is not open',
    stdout: 'poll -> 2 | fd 1: OUT | fd 7: NVAL | after 0 ms\n',
    reference: 'poll -> -1 Bad file descriptor | after 0 ms\n',
    deviation: 'the whole call fails EBADF: poll() answers -1, not POLLNVAL on fd 7' },
  { id: 'f', args: ['nanosleep'], title: 'nanosleep 20 ms', stdout: 'nanosleep -> 0 | after 20 ms\n' },
  { id: 'g', args: ['clocks'], title: 'poll_oneoff: three clocks (30 ms, 10 ms realtime, monotonic instant +20 ms)',
    stdout: 'poll_oneoff -> ok | userdata 2: ok | after 10 ms\n' },
  { id: 'h', args: ['past'], title: 'poll_oneoff: a realtime instant already past, and 40 ms',
    stdout: 'poll_oneoff -> ok | userdata 1: ok | after 0 ms\n',
    reference: 'poll_oneoff -> Value too large for data type | after 0 ms\n',
    deviation: 'the past realtime instant fails the call with EOVERFLOW instead of firing' },
  { id: 'i', args: ['past-monotonic'], title: 'poll_oneoff: a monotonic instant already past',
    stdout: 'poll_oneoff -> ok | userdata 1: ok | after 0 ms\n' },
  { id: 'j', args: ['bad-fd-and-clock'], title: 'poll_oneoff: read on a bad descriptor, and a 10 ms clock',
    stdout: 'poll_oneoff -> ok | userdata 1: Bad file descriptor | after 0 ms\n',
    reference: 'poll_oneoff -> Bad file descriptor | after 0 ms\n',
    deviation: 'the whole call fails EBADF instead of that event' },
  { id: 'k', args: ['stdin-bytes'], stdin: { bytes: 'hello\n', at: 0 },
    title: 'poll_oneoff: read on stdin (data) and write on stdout',
    stdout: 'poll_oneoff -> ok | userdata 1: ok read 1 bytes | userdata 2: ok write 4096 bytes | after 0 ms\n',
    reference: 'poll_oneoff -> ok | userdata 1: ok read 1 bytes | userdata 2: ok write 1 bytes | after 0 ms\n',
    p3: 'poll_oneoff -> ok | userdata 1: ok read 6 bytes | userdata 2: ok write 4096 bytes | after 0 ms\n',
    p3Difference: 'a WASI 0.3 read says how many bytes came (6); a 0.2 input stream does not (1, at least a byte)',
    deviation: 'none by the specification: it reports 1 byte of room where check-write says 4096' },
  { id: 'l', args: ['zero'], title: 'poll_oneoff: no subscription', stdout: 'poll_oneoff -> Invalid argument | after 0 ms\n' },
  { id: 'm', args: ['clock-read'], title: 'clock_gettime and clock_getres',
    stdout: 'monotonic 0 ns, realtime 1700000000 s, resolution 1 ns\n' },
  { id: 'n', args: ['output'], env: [['NYBBLE_GREETING', 'hello']], title: 'stdout and stderr, arguments, environment, exit(3)',
    stdout: 'to stdout\nargc 2, NYBBLE_GREETING hello\n', stderr: 'to stderr\n',
    order: ['stdout', 'stderr', 'stdout'], exit: 1, p3Exit: 3,
    p3Difference: 'exit status 3 (exit-with-code); WASI 0.2 has no stable exit code, so 1 there' },
  { id: 'o', args: ['random'], title: 'getentropy and sched_yield',
    stdout: 'getentropy -> 0: 0b 30 55 7a 9f c4 e9 0e, sched_yield -> 0\n' },
  { id: 'p', args: ['fuzz', '7', String(fuzzRounds)], stdin: 'empty', fuzz: true,
    title: `poll_oneoff fuzz: ${fuzzRounds} random lists (bad descriptors, clocks past and future, stdin without data)`,
    stdout: `fuzz: ${fuzzRounds} rounds, 0 wrong\n` },
  { id: 'q', args: ['fuzz', '9', String(fuzzRounds), 'stdin-has-data'], stdin: { bytes: 'x', at: 0 }, fuzz: true,
    title: `poll_oneoff fuzz: ${fuzzRounds} random lists, stdin with data`,
    stdout: `fuzz: ${fuzzRounds} rounds, 0 wrong\n` },
];

// The scenarios whose poll_oneoff is timed, and how many times it runs.
export const timedScenarios = ['a', 'b', 'c', 'd', 'f', 'g', 'i', 'k'];

// A transpiled component in DIR (build.mjs), its core modules compiled once.
// p3: a WASI 0.3 component (its host is host_p3.js; it runs on Node 24).
export async function loadAdapter(dir, name, { p3 = false } = {}) {
  const { instantiate } = await import(pathToFileURL(resolve(dir, 'fused.js')).href);
  const compiled = new Map();
  const getCoreModule = (path) => {
    if (!compiled.has(path)) compiled.set(path, readFile(join(dir, path)).then((b) => WebAssembly.compile(b)));
    return compiled.get(path);
  };
  return { name, dir, instantiate, getCoreModule, p3 };
}

// An async call or a wait, among the adapter's imports on WASI 0.3.
const waiting = (label) => /#\[async-lower\]|#\[waitable-set-wait\]|#\[waitable-set-poll\]/.test(label);

// Counts every call the adapter core module of a WASI 0.3 component makes to
// its imports (WASI calls and the Component Model's built-ins alike), by
// module#name, into host.countCall. jco hands a core instance JS functions,
// WebAssembly.Suspending wrappers of them (for calls that may block), and
// other instances' exports (a shim's, for imports that need the adapter's
// memory, filled in later by index); only the first two are wrapped (a JS
// frame between wasm frames would stop a suspension), so a Suspending made
// while the component is instantiated is given a label once its name is known.
async function instantiateCounting(adapter, host) {
  const Suspending = WebAssembly.Suspending;
  const boxes = new WeakMap();
  WebAssembly.Suspending = class extends Suspending {
    constructor(fn) {
      const box = { label: null };
      super(function counted(...args) {
        if (box.label) host.countCall(box.label, waiting(box.label));
        return fn.apply(this, args);
      });
      boxes.set(this, box);
    }
  };
  const labelOfShimSlot = new Map(); // a shim instance's export key -> the import it stands for
  const instances = [];
  const label = (module, name, value) => {
    if (boxes.has(value)) {
      boxes.get(value).label = `${module}#${name}`;
      return value;
    }
    if (typeof value !== 'function' || /\[native code\]/.test(Function.prototype.toString.call(value))) return value;
    const wrapped = function counted(...args) {
      host.countCall(`${module}#${name}`, waiting(`${module}#${name}`));
      return value.apply(this, args);
    };
    return Object.assign(wrapped, value);
  };
  const instantiateCore = async (module, imports = {}) => {
    const names = WebAssembly.Module.imports(module);
    const isAdapter = names.some((i) => i.module === '$root');
    const isFixup = names.length > 0 && names.every((i) => i.module === '' || i.module === '$imports');
    const given = {};
    for (const [mod, values] of Object.entries(imports)) {
      given[mod] = { ...values };
      for (const [name, value] of Object.entries(values)) {
        if (isAdapter && mod !== 'env' && mod !== '__main_module__') {
          const slot = instances.flatMap((e) => Object.entries(e)).find(([, v]) => v === value);
          if (slot) labelOfShimSlot.set(slot[0], `${mod}#${name}`);
          else given[mod][name] = label(mod, name, value);
        } else if (isFixup && labelOfShimSlot.has(name)) {
          const [m, ...rest] = labelOfShimSlot.get(name).split('#');
          given[mod][name] = label(m, rest.join('#'), value);
        }
      }
    }
    const instance = await WebAssembly.instantiate(module, given);
    instances.push(instance.exports);
    return instance;
  };
  try {
    return await adapter.instantiate(adapter.getCoreModule, host.imports, instantiateCore);
  } finally {
    WebAssembly.Suspending = Suspending;
  }
}

// One run of the guest: what it printed, its exit code, what the host saw,
// and each measured wait's host calls and nanoseconds.
export async function runGuest(adapter, scenario, args = scenario.args) {
  const options = { args: ['guest', ...args], env: scenario.env, stdin: scenario.stdin };
  const host = adapter.p3 ? createP3Host(options) : createHost(options);
  const instance = adapter.p3 ? await instantiateCounting(adapter, host)
                              : await adapter.instantiate(adapter.getCoreModule, host.imports);
  if (adapter.p3) host.attach(instance.$probe);
  let exit = 0;
  let trap = null;
  try {
    await instance.run.run();
  } catch (e) {
    if (e instanceof Exit) exit = e.code;
    else trap = e instanceof HostMisuse ? e.message : String(e);
  }
  host.dispose?.();
  const polls = host.waits.map((w) => w.calls);
  const pollNs = host.waits.reduce((a, w) => a + w.ns, 0n);
  return { host, exit, trap, polls, pollNs, waiting: host.waits.map((w) => w.waiting),
           stdout: host.text('stdout'), stderr: host.text('stderr'),
           order: host.output.map(([n]) => n).filter((n, i, a) => i === 0 || a[i - 1] !== n) };
}

// Judges one run against the scenario: the specification's answer (or, for
// the reference where it deviates, its known answer), no trap, no misuse,
// nothing left alive.
export function judge(scenario, run, { reference = false, p3 = false } = {}) {
  const expected = reference && scenario.reference ? scenario.reference : p3 && scenario.p3 ? scenario.p3 : scenario.stdout;
  const problems = [];
  if (run.trap) problems.push(`trapped: ${run.trap}`);
  if (run.host.misuse.length) problems.push(`host misuse: ${run.host.misuse.join('; ')}`);
  if (run.stdout !== expected) problems.push(`stdout ${JSON.stringify(run.stdout)}, expected ${JSON.stringify(expected)}`);
  if ((scenario.stderr ?? '') !== run.stderr) problems.push(`stderr ${JSON.stringify(run.stderr)}`);
  if (scenario.order && run.order.join() !== scenario.order.join()) problems.push(`order ${run.order.join()}`);
  if ((p3 && scenario.p3Exit !== undefined ? scenario.p3Exit : scenario.exit ?? 0) !== run.exit) {
    problems.push(`exit ${run.exit}`);
  }
  // What the adapter may hold: pollables and errors (0.2); sets, subtasks and
  // its ends of streams and futures (0.3: jco's tables, by the probe). The
  // instance that exit-with-code ended keeps jco's record of that call.
  const live = run.host.live();
  const held = ['pollables', 'errors', 'WaitableSet', 'AsyncSubtask', 'StreamReadableEnd', 'StreamWritableEnd',
                'FutureReadableEnd'].filter((k) => live[k] && !(k === 'AsyncSubtask' && run.exit !== 0 && live[k] === 1));
  if (held.length) problems.push(`left alive: ${JSON.stringify(live)}`);
  return problems;
}

// The size of the adapter's trimmed core module in the component (the one
// that exports poll_oneoff).
export async function trimmedBytes(dir) {
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.wasm') && f.startsWith('fused.core'))) {
    const bytes = await readFile(join(dir, file));
    if (WebAssembly.Module.exports(new WebAssembly.Module(bytes)).some((e) => e.name === 'poll_oneoff')) {
      return bytes.length;
    }
  }
  return 0;
}
