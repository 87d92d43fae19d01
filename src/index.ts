// The programmatic API, for test runners that start a fake in-process.
export { createApp, type AppDeps } from './app.js';
export { DEFAULTS, configFromEnv, type Config } from './config.js';
export { startServer, type RunningServer, type StartOptions } from './server.js';
export { loadSpec, BASE_PATHS, type OpenApiDocument } from './spec.js';
export { MemoryStore } from './store/memory.js';
export { loadFixtures } from './fixtures/documented.js';
export type { Store, Partition, CustomerRecord, PartitionSnapshot } from './store/types.js';
export type { Customer } from './customers/present.js';
export type { CustomerRequest } from './customers/rules.js';
export type { ErrorEnvelope } from './http/errors.js';
export { MESSAGES } from './http/errors.js';
export { RULES } from './customers/rules.js';
export { PREFER_CODES, MAX_DELAY_MS } from './http/mock-controls.js';
