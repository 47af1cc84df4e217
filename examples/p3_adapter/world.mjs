// The WASI 0.3 mirror of fastly:compute (waitable sets) as
// ../fastly_adapter/scenarios.mjs runs it: the transpiled component in DIR
// (build.mjs), a fresh instance over each host, whose virtual clock follows the
// instance's probe. What the lowering made and left alive is what the probe
// finds in jco's tables: subtasks, waitable sets, future ends.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { coreModules } from '../fastly_adapter/world.mjs';
import { createHost } from './host/host.js';

export async function waitableSetWorld(dir) {
  const { instantiate } = await import(pathToFileURL(resolve(dir, 'fused.js')).href);
  const getCoreModule = coreModules(dir);
  return {
    name: '0.3',
    createHost,
    async instantiate(host) {
      const guest = await instantiate(getCoreModule, host.imports);
      host.attach(guest.$probe);
      return guest;
    },
    madeAlive: (host, guest) => Object.values(guest.$probe.live()).reduce((a, b) => a + b, 0),
    timeoutCall: 'monotonic-clock.wait-for',
    keepsCompletions: true,
  };
}
