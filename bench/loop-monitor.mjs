// Preloaded into the server under test (`node --import ./bench/loop-monitor.mjs dist/cli.js`):
// on SIGUSR2 it prints the event loop's delay since the last SIGUSR2 as one JSON line on stderr,
// then starts counting afresh. The bench reads it to find stalls (a blocked event loop).
import { monitorEventLoopDelay } from 'node:perf_hooks';

const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
process.on('SIGUSR2', () => {
  process.stderr.write(`${JSON.stringify({ loopDelay: { maxMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6 } })}\n`);
  histogram.reset();
});
