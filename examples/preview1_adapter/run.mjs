// Runs the wasi-libc guest through the preview1 adapters, every scenario of
// scenarios.mjs on a fresh scripted host, and checks:
//  * this example's adapter answers as the preview1 specification says, and
//    wasmtime's as it is known to (its deviations are listed in the scenarios);
//  * no trap, no host misuse, nothing left alive (pollables and errors on
//    WASI 0.2; sets, subtasks, stream and future ends in jco's tables on 0.3);
//  * host calls per poll_oneoff: never more than wasmtime's adapter, fewer
//    with several clocks; the trimmed adapter at most half its bytes;
//  * with --p3, the same exports on WASI 0.3 (run on Node 24): the same
//    answers (but where a 0.3 stream says more: scenarios.mjs), no more waiting
//    calls (async calls and waits) per poll_oneoff than the 0.2 adapter makes
//    host calls, at most 1.25x its bytes;
//  * the guest runs under jco's own hosts too (smoke.mjs: preview2-shim, and
//    with --p3 preview3-shim).
// Then prints the README's table, with microseconds per poll_oneoff measured
// in this run, the adapters alternating (printed, not asserted).
//   node run.mjs BUILD_DIR [--p3] [--repeat N]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { judge, loadAdapter, runGuest, scenarios, timedScenarios, trimmedBytes } from './scenarios.mjs';

const args = process.argv.slice(2);
const dir = args[0];
const withP3 = args.includes('--p3');
const repeat = args.includes('--repeat') ? Number(args[args.indexOf('--repeat') + 1]) : 2000;
const here = dirname(fileURLToPath(import.meta.url));
const ours = await loadAdapter(join(dir, 'nybble'), 'nybble');
const reference = await loadAdapter(join(dir, 'reference'), 'wasmtime');
const p3 = withP3 ? await loadAdapter(join(dir, 'nybble-p3'), 'nybble-p3', { p3: true }) : null;
let passed = 0;
let failed = 0;
const check = (ok, title, detail = '') => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${title}${detail ? `\n       ${detail}` : ''}`);
  if (ok) passed += 1;
  else failed += 1;
};
const lastPoll = (run) => (run.polls.length ? run.polls[run.polls.length - 1] : undefined);
const mean = (list) => (list.length ? (list.reduce((a, b) => a + b, 0) / list.length).toFixed(1) : '-');

const rows = [];
for (const s of scenarios) {
  const mine = await runGuest(ours, s);
  const theirs = await runGuest(reference, s);
  const problems = judge(s, mine);
  check(problems.length === 0, `${s.id}. ${s.title}`, problems.join('; '));
  let theirAnswer;
  if (s.fuzz) {
    const wrong = Number(/(\d+) wrong/.exec(theirs.stdout.split('\n').at(-2) ?? '')?.[1] ?? NaN);
    theirAnswer = `${wrong} of ${s.args[2]} lists answered against the specification`;
    check(!theirs.trap && theirs.host.misuse.length === 0, `${s.id}. wasmtime's adapter runs the same lists`,
          theirs.trap ?? '');
  } else {
    const theirProblems = judge(s, theirs, { reference: true });
    check(theirProblems.length === 0, `${s.id}. wasmtime's adapter answers as recorded`, theirProblems.join('; '));
    theirAnswer = s.deviation ? `deviates: ${s.deviation}` : 'the same';
  }
  const calls = [lastPoll(mine), lastPoll(theirs)];
  if (!s.fuzz && calls[0] !== undefined) {
    const fewer = s.id === 'g';
    const ok = fewer ? calls[0] < calls[1] : calls[0] <= calls[1];
    check(ok, `${s.id}. host calls per poll_oneoff: ${calls[0]}, wasmtime's ${calls[1]}${fewer ? ' (fewer)' : ''}`);
  }
  const row = { s, theirAnswer, calls: s.fuzz ? [mean(mine.polls), mean(theirs.polls)] : calls };
  if (p3) {
    const onP3 = await runGuest(p3, s);
    const p3Problems = judge(s, onP3, { p3: true });
    check(p3Problems.length === 0, `${s.id}. on WASI 0.3`, p3Problems.join('; '));
    const waits = s.fuzz ? onP3.waiting : onP3.waiting.slice(-1);
    const hostCalls = s.fuzz ? mine.polls : mine.polls.slice(-1);
    if (waits.length) {
      const most = waits.reduce((a, w, i) => Math.max(a, w - hostCalls[i]), -Infinity);
      check(most <= 0, `${s.id}. on WASI 0.3, waiting calls per poll_oneoff: ${s.fuzz ? mean(waits) : waits[0]}, ` +
            `the 0.2 adapter's host calls ${s.fuzz ? mean(hostCalls) : hostCalls[0]} (never more, call by call)`);
    }
    row.p3 = { answer: s.p3Difference ? `differs: ${s.p3Difference}` : 'the same',
               calls: s.fuzz ? mean(onP3.polls) : lastPoll(onP3), waiting: s.fuzz ? mean(onP3.waiting) : waits[0] };
  }
  rows.push(row);
}

// Microseconds per poll_oneoff: each timed scenario's wait `repeat` times,
// the adapters alternating, five rounds, the median of each.
const micros = {};
const timed = [ours, reference, ...(p3 ? [p3] : [])];
for (const id of timedScenarios) {
  const s = scenarios.find((x) => x.id === id);
  const samples = new Map(timed.map((a) => [a.name, []]));
  for (let round = 0; round < 5; ++round) {
    for (const adapter of timed) {
      const run = await runGuest(adapter, s, [s.args[0], String(repeat)]);
      samples.get(adapter.name).push(Number(run.pollNs) / run.polls.length / 1000);
    }
  }
  micros[id] = timed.map((a) => samples.get(a.name).sort((x, y) => x - y)[2]);
}

const bytes = [await trimmedBytes(ours.dir), await trimmedBytes(reference.dir)];
check(bytes[0] * 2 <= bytes[1], `trimmed adapter core: ${bytes[0]} bytes, wasmtime's ${bytes[1]} (at most half)`);
if (p3) {
  bytes.push(await trimmedBytes(p3.dir));
  check(bytes[2] * 4 <= bytes[0] * 5, `trimmed WASI 0.3 adapter core: ${bytes[2]} bytes, the 0.2 one's ${bytes[0]} ` +
        '(at most 1.25x)');
}

// The smoke tests: the same components under jco's own hosts.
const smokes = [['nybble', ['closed-fd'], /^poll -> 2 \| fd 1: OUT \| fd 7: NVAL/, 0],
                ['nybble', ['past'], /^poll_oneoff -> ok \| userdata 1: ok/, 0],
                ['nybble', ['output'], /^to stdout\nargc 2, NYBBLE_GREETING from the shim\n$/, 1]];
if (p3) {
  smokes.push(['nybble-p3', ['closed-fd'], /^poll -> 2 \| fd 1: OUT \| fd 7: NVAL/, 0],
              ['nybble-p3', ['nanosleep'], /^nanosleep -> 0 \| after (2\d|[3-9]\d|\d{3,}) ms\n$/, 0],
              ['nybble-p3', ['output'], /^to stdout\nargc 2, NYBBLE_GREETING from the shim\n$/, 3]);
}
for (const [name, guestArgs, expected, expectedStatus] of smokes) {
  let out = '';
  let status = 0;
  try {
    out = execFileSync(process.execPath, [join(here, 'smoke.mjs'), join(dir, name), ...guestArgs],
                       { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  } catch (e) {
    out = e.stdout?.toString() ?? '';
    status = e.status;
  }
  const host = name === 'nybble-p3' ? 'preview3-shim' : 'preview2-shim';
  check(expected.test(out) && status === expectedStatus, `${name} under jco's ${host}: ${guestArgs[0]}`,
        `printed ${JSON.stringify(out)}, exit ${status}`);
}

const cell = (text) => String(text).replaceAll('|', '\\|');
const p3Head = p3 ? ' WASI 0.3 adapter | calls (waiting) on 0.3 |' : '';
console.log(`\n| scenario | answer (this adapter: the specification's) | wasmtime's adapter |${p3Head} host calls per ` +
            `poll_oneoff (this / wasmtime) | µs per poll_oneoff (${timed.map((a) => a.name).join(' / ')}) |`);
console.log(`|---|---|---|${p3 ? '---|---|' : ''}---|---|`);
for (const { s, theirAnswer, calls, p3: onP3 } of rows) {
  const answer = s.stdout.trim().split('\n').map((l) => `\`${cell(l)}\``).join('<br>');
  const us = micros[s.id] ? micros[s.id].map((m) => m.toFixed(1)).join(' / ') : '';
  const p3Cells = onP3 ? ` ${cell(onP3.answer)} | ${onP3.calls ?? '-'} (${onP3.waiting ?? '-'}) |` : '';
  console.log(`| ${s.id}. ${s.title} | ${answer} | ${cell(theirAnswer)} |${p3Cells} ${calls[0] ?? '-'} / ` +
              `${calls[1] ?? '-'} | ${us} |`);
}
console.log(`\ntrimmed adapter core: ${bytes[0]} bytes (this) / ${bytes[1]} bytes (wasmtime's): ` +
            `${(bytes[0] / bytes[1]).toFixed(2)}x` +
            (p3 ? `; on WASI 0.3: ${bytes[2]} bytes, ${(bytes[2] / bytes[0]).toFixed(2)}x the 0.2 one` : ''));
const ratios = Object.values(micros).map((m) => m[0] / m[1]);
console.log(`µs per poll_oneoff, this / wasmtime's: ${ratios.map((r) => r.toFixed(2)).join(', ')} ` +
            `(${repeat} calls each, median of 5 alternating runs)`);
if (p3) {
  console.log(`µs per poll_oneoff, WASI 0.3 / 0.2: ${Object.values(micros).map((m) => (m[2] / m[0]).toFixed(2))
    .join(', ')}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
