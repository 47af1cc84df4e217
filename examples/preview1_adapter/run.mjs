// Runs the wasi-libc guest through both preview1 adapters, every scenario of
// scenarios.mjs on a fresh scripted WASI 0.2 host, and checks:
//  * this example's adapter answers as the preview1 specification says, and
//    wasmtime's as it is known to (its deviations are listed in the scenarios);
//  * no trap, no host misuse, no pollable or error left alive;
//  * host calls per poll_oneoff: never more than wasmtime's adapter, fewer
//    with several clocks; the trimmed adapter at most half its bytes;
//  * the guest runs under jco's own preview2-shim too (smoke.mjs).
// Then prints the README's table, with microseconds per poll_oneoff measured
// in this run, both adapters alternating (printed, not asserted).
//   node run.mjs BUILD_DIR [--repeat N]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { judge, loadAdapter, runGuest, scenarios, timedScenarios, trimmedBytes } from './scenarios.mjs';

const [dir, flag, value] = process.argv.slice(2);
const repeat = flag === '--repeat' ? Number(value) : 2000;
const here = dirname(fileURLToPath(import.meta.url));
const ours = await loadAdapter(join(dir, 'nybble'), 'nybble');
const reference = await loadAdapter(join(dir, 'reference'), 'wasmtime');
let passed = 0;
let failed = 0;
const check = (ok, title, detail = '') => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${title}${detail ? `\n       ${detail}` : ''}`);
  if (ok) passed += 1;
  else failed += 1;
};
const lastPoll = (run) => (run.polls.length ? run.polls[run.polls.length - 1] : undefined);

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
  const perCall = (run) => run.polls.length ? (run.polls.reduce((a, b) => a + b, 0) / run.polls.length).toFixed(1) : '-';
  rows.push({ s, theirAnswer, calls: s.fuzz ? [perCall(mine), perCall(theirs)] : calls });
}

// Microseconds per poll_oneoff: each timed scenario's wait `repeat` times,
// the two adapters alternating, five rounds, the median of each.
const micros = {};
for (const id of timedScenarios) {
  const s = scenarios.find((x) => x.id === id);
  const args = [s.args[0], String(repeat)];
  const samples = { nybble: [], wasmtime: [] };
  for (let round = 0; round < 5; ++round) {
    for (const adapter of [ours, reference]) {
      const run = await runGuest(adapter, s, args);
      samples[adapter.name].push(Number(run.pollNs) / run.polls.length / 1000);
    }
  }
  const median = (a) => a.sort((x, y) => x - y)[2];
  micros[id] = [median(samples.nybble), median(samples.wasmtime)];
}

const bytes = [await trimmedBytes(ours.dir), await trimmedBytes(reference.dir)];
check(bytes[0] * 2 <= bytes[1], `trimmed adapter core: ${bytes[0]} bytes, wasmtime's ${bytes[1]} (at most half)`);

// The smoke test: the same component under jco's preview2-shim.
for (const [args, expected] of [[['closed-fd'], /^poll -> 2 \| fd 1: OUT \| fd 7: NVAL/],
                                [['past'], /^poll_oneoff -> ok \| userdata 1: ok/],
                                [['output'], /^to stdout\nargc 2, NYBBLE_GREETING from the shim\n$/]]) {
  let out = '';
  let status = 0;
  try {
    out = execFileSync(process.execPath, [join(here, 'smoke.mjs'), ours.dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
      .toString();
  } catch (e) {
    out = e.stdout?.toString() ?? '';
    status = e.status;
  }
  const expectedStatus = args[0] === 'output' ? 1 : 0;
  check(expected.test(out) && status === expectedStatus, `under jco's preview2-shim: ${args[0]}`,
        `printed ${JSON.stringify(out)}, exit ${status}`);
}

console.log('\n| scenario | answer (this adapter: the specification\'s) | wasmtime\'s adapter | host calls per poll_oneoff (this / wasmtime) | µs per poll_oneoff (this / wasmtime) |');
console.log('|---|---|---|---|---|');
for (const { s, theirAnswer, calls } of rows) {
  const cell = (text) => text.replaceAll('|', '\\|');
  const answer = s.stdout.trim().split('\n').map((l) => `\`${cell(l)}\``).join('<br>');
  const us = micros[s.id] ? `${micros[s.id][0].toFixed(1)} / ${micros[s.id][1].toFixed(1)}` : '';
  console.log(`| ${s.id}. ${s.title} | ${answer} | ${cell(theirAnswer)} | ${calls[0] ?? '-'} / ${calls[1] ?? '-'} | ${us} |`);
}
console.log(`\ntrimmed adapter core: ${bytes[0]} bytes (this) / ${bytes[1]} bytes (wasmtime's): ` +
            `${(bytes[0] / bytes[1]).toFixed(2)}x`);
const ratios = Object.values(micros).map(([a, b]) => a / b);
console.log(`µs per poll_oneoff, this / wasmtime's: ${ratios.map((r) => r.toFixed(2)).join(', ')} ` +
            `(${repeat} calls each, median of 5 alternating runs)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
