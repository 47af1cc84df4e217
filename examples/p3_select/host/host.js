// The typed side of the WASI 0.3 smoke example, in JavaScript: each wait is an
// async call (a Promise) that jco turns into a subtask. An entry's steps and a
// body's readiness are points in time from their creation, so a call that is
// cancelled loses nothing: the next call finds what is ready by the clock.
export const counts = { entries: 0, bodies: 0, callsStarted: 0, callsSettled: 0 };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class Entry {
  constructor(firstMs, secondMs) {
    const now = Date.now();
    this.steps = secondMs === 0 ? [now + firstMs] : [now + firstMs, now + firstMs + secondMs];
    counts.entries++;
  }
  // Completes when the first step that is not ready yet is, and answers
  // whether every step is done then.
  async nextStep() {
    counts.callsStarted++;
    const pending = this.steps.find((t) => t > Date.now());
    if (pending !== undefined) {
      await sleep(pending - Date.now());
    }
    counts.callsSettled++;
    return this.steps.every((t) => t <= Date.now());
  }
}

export class Body {
  constructor(readyMs) {
    this.readyAt = Date.now() + readyMs;
    counts.bodies++;
  }
  async ready() {
    counts.callsStarted++;
    const wait = this.readyAt - Date.now();
    if (wait > 0) {
      await sleep(wait);
    }
    counts.callsSettled++;
  }
}
