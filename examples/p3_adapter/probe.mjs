// Gives each instance of a transpiled WASI 0.3 component a probe of jco's
// tables (jco 1.35's names, pinned by the lockfile; the build fails if they are
// not found), as its export `$probe` (beside the export `exportName`, by which
// the instance's exports are found):
//   live()  the waitables the component holds, by class (AsyncSubtask,
//           WaitableSet, stream and future ends; with countDropped false, not
//           the ends marked dropped, which jco keeps in its table for a while);
//   idle()  whether the component is blocked waiting with nothing ready to run:
//           a test host's virtual clock moves only then.
// Used by this example's build.mjs and by ../preview1_adapter/build.mjs.
import { readFile, writeFile } from 'node:fs/promises';

export async function addProbe(transpiled, { exportName, countDropped }) {
  let code = await readFile(transpiled, 'utf8');
  const exportsReturn = new RegExp(`\\n(\\s*)return \\{ ([^}]*\\b${exportName}\\b[^}]*) \\};\\n`, 'g');
  const returns = [...code.matchAll(exportsReturn)];
  if (returns.length !== 1 || !code.includes('const ASYNC_STATE = new Map();') ||
      !code.includes('suspendedTaskMetas()') || !code.includes('hasPendingSchedulerWork()')) {
    throw new Error('jco\'s transpiled output is not what the probe expects (is jco the pinned version?)');
  }
  const [whole, indent, names] = returns[0];
  const probe = `$probe: {
${indent}  live() {
${indent}    const counts = {};
${indent}    for (const state of ASYNC_STATE.values()) {
${indent}      const slots = state.handles.data();
${indent}      for (let i = 2; i < slots.length; i += 2) {
${indent}        const value = slots[i];
${indent}        if (value === null || typeof value !== 'object') continue;
${countDropped ? '' : `${indent}        if (value.isDropped?.() === true) continue;\n`}${indent}        counts[value.constructor.name] = (counts[value.constructor.name] ?? 0) + 1;
${indent}      }
${indent}    }
${indent}    return counts;
${indent}  },
${indent}  idle() {
${indent}    let waiting = false;
${indent}    for (const state of ASYNC_STATE.values()) {
${indent}      if (state.hasPendingSchedulerWork()) return false;
${indent}      if (!state.suspendedTaskMetas().next().done) waiting = true;
${indent}    }
${indent}    return waiting;
${indent}  },
${indent}}`;
  code = code.replace(whole, `\n${indent}return { ${names.replace(/,\s*$/, '')}, ${probe} };\n`);
  await writeFile(transpiled, code);
}
