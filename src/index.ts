// The programmatic API, for test runners that start a fake in-process, and the admin client for
// one that runs elsewhere (a container).
export { createServer, start, startServer, type MockServer, type RunningServer, type ServerOptions } from './server.js';
export { AdminClient, type AdminClientOptions } from './client.js';
export { createApp, type AppDeps } from './app.js';
export { DEFAULTS, configFromEnv, type Config } from './config.js';
export { loadSpec, BASE_PATHS, type OpenApiDocument } from './spec.js';
export { MemoryStore } from './store/memory.js';
export { loadFixtures } from './fixtures/documented.js';
export type { Store, Partition, CustomerRecord, PartitionSnapshot } from './store/types.js';
export type { Customer } from './customers/present.js';
export type { CustomerRequest } from './customers/rules.js';
export type { ErrorEnvelope } from './http/errors.js';
export type { JournalEntry, JournalFilter } from './admin/journal.js';
export type { FaultRule, FaultRuleRequest } from './http/faults.js';
export { MESSAGES } from './http/errors.js';
export { RULES } from './customers/rules.js';
export { PREFER_CODES, MAX_DELAY_MS } from './http/mock-controls.js';
export { verify, formatReport, isProduction, type VerifyOptions, type VerifyReport } from './verify/run.js';
export type { Difference } from './verify/compare.js';
export type { DivergenceSummary, Violation as Divergence } from './proxy/divergences.js';
