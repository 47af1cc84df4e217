// Runs every scenario of the Fastly adapter (../fastly_adapter/scenarios.mjs)
// against both adapters, each fused with the same guest module: the 0.2 one
// over pollables and the 0.3 one over waitable sets, each scenario in a fresh
// instance over a fresh strict host. Prints one table, side by side, then the
// measurements (reported, not asserted). Needs Node 24 (the 0.3 component).
//   node run.mjs P2_DIR P2_ADAPTER.wasm P3_DIR P3_ADAPTER.wasm [--selects N]
// N is how many selects each time measurement runs (10,000 unless given).
import { measure, runScenarios } from '../fastly_adapter/scenarios.mjs';
import { adapterSizes, pollableWorld } from '../fastly_adapter/world.mjs';
import { waitableSetWorld } from './world.mjs';

const [p2Dir, p2Adapter, p3Dir, p3Adapter, flag, count] = process.argv.slice(2);
const selects = flag === '--selects' ? Number(count) : 10_000;
if (!p3Adapter) {
  console.error('usage: node run.mjs P2_DIR P2_ADAPTER.wasm P3_DIR P3_ADAPTER.wasm');
  process.exit(2);
}
const worlds = [await pollableWorld(p2Dir), await waitableSetWorld(p3Dir)];
const outcomes = [];
for (const world of worlds) outcomes.push(await runScenarios(world));

let failed = 0;
const cell = (o) => `${o.ok ? 'ok' : 'FAIL'}: ${o.result}${o.selectCalls !== undefined ? ` (${o.selectCalls} calls)` : ''}`;
console.log('| scenario | 0.2 adapter (pollables) | 0.3 adapter (waitable sets) |');
console.log('|---|---|---|');
outcomes[0].forEach((p2, i) => {
  const p3 = outcomes[1][i];
  console.log(`| ${p2.title} | ${cell(p2)} | ${cell(p3)} |`);
  failed += (p2.ok ? 0 : 1) + (p3.ok ? 0 : 1);
});
for (const [w, list] of outcomes.entries()) {
  for (const o of list) console.log(`${o.ok ? 'ok  ' : 'FAIL'} ${worlds[w].name} ${o.id}: ${o.detail}`);
}

const sizes = [await adapterSizes(p2Dir, p2Adapter), await adapterSizes(p3Dir, p3Adapter)];
const m = [];
for (const world of worlds) m.push(await measure(world, selects));
failed += m.filter((x) => !x.ok).length;
console.log('measured (the two adapters, same guest, same scripts):');
console.log('| what | 0.2 adapter | 0.3 adapter |');
console.log('|---|---|---|');
console.log(`| adapter module, bytes | ${sizes[0].module} | ${sizes[1].module} |`);
console.log(`| its trimmed copy in the component, bytes | ${sizes[0].trimmed} | ${sizes[1].trimmed} |`);
console.log(`| host calls per select, ready at once / one step | ${m[0].readyAtOnce.calls} / ${m[0].needsAStep.calls} | ` +
  `${m[1].readyAtOnce.calls} / ${m[1].needsAStep.calls} |`);
console.log(`| µs per select over ${selects} selects, ready at once | ${m[0].readyAtOnce.micros.toFixed(1)} | ` +
  `${m[1].readyAtOnce.micros.toFixed(1)} |`);
console.log(`| µs per select over ${selects} selects, one step | ${m[0].needsAStep.micros.toFixed(1)} | ` +
  `${m[1].needsAStep.micros.toFixed(1)} |`);
const total = outcomes[0].length * 2 + 2;
console.log(`${total - failed} passed, ${failed} failed (node ${process.version})`);
process.exit(failed === 0 ? 0 : 1);
