// Preloaded into the server under test (`node --import ./bench/gc-monitor.mjs dist/cli.js`): keeps
// every GC pause V8 reports (wall-clock start in epoch ms, duration, kind), so a bench can say which
// answers a pause fell in. On SIGUSR2 it writes what it kept to GC_MONITOR_OUT as JSON and starts
// afresh. The clock is the one the load generator reads (epoch ms), so the two can be lined up.
import { writeFileSync } from 'node:fs';
import { constants, performance, PerformanceObserver } from 'node:perf_hooks';

const KINDS = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};
let pauses = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries())
    pauses.push([performance.timeOrigin + e.startTime, e.duration, KINDS[e.detail.kind] ?? String(e.detail.kind)]);
}).observe({ entryTypes: ['gc'] });
process.on('SIGUSR2', () => {
  writeFileSync(process.env.GC_MONITOR_OUT, JSON.stringify(pauses));
  pauses = [];
});
