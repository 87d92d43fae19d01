// Worker-thread entry for background compaction (see compact.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { compact, type CompactJob } from './compact.js';

compact(workerData as CompactJob).then(
  () => parentPort!.postMessage({ ok: true }),
  (err: unknown) => parentPort!.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) }),
);
