// Runs the fused guest + adapter component under Node, every scenario of
// scenarios.mjs in a fresh instance over a fresh host, and checks both the
// guest's answers and the host's record. Then measures what the README reports
// (printed, not asserted).
//   node run.mjs TRANSPILED_DIR ADAPTER.wasm
import { measure, runScenarios } from './scenarios.mjs';
import { adapterSizes, pollableWorld } from './world.mjs';

const [dir, adapterPath] = process.argv.slice(2);
const world = await pollableWorld(dir);
const outcomes = await runScenarios(world);
for (const o of outcomes) console.log(`${o.ok ? 'ok  ' : 'FAIL'} ${o.title}\n       ${o.detail}`);

const sizes = await adapterSizes(dir, adapterPath);
const m = await measure(world);
const selectCalls = outcomes.filter((o) => o.selectCalls !== undefined).map((o) => `${o.id} ${o.selectCalls}`);
console.log('measured:');
console.log(`  adapter module: ${sizes.module} bytes; its trimmed copy in the component: ${sizes.trimmed} bytes`);
console.log(`  host calls per select: ${selectCalls.join(', ')}; ready at once ${m.readyAtOnce.calls}, one step ` +
  `${m.needsAStep.calls}`);
console.log(`  microseconds per select over 10,000 selects: ready at once ${m.readyAtOnce.micros.toFixed(2)}, ` +
  `needing a step ${m.needsAStep.micros.toFixed(2)}`);
const failed = outcomes.filter((o) => !o.ok).length + (m.ok ? 0 : 1);
console.log(`${outcomes.length + 1 - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
