// The programmatic API, for test runners that start a fake in-process, and the admin client for
// one that runs elsewhere (a container).
export { createServer, start, startServer, type MockServer, type RunningServer, type ServerOptions } from './server.js';
export { AdminClient, type AdminClientOptions } from './client.js';
export { createApp, type AppDeps } from './app.js';
export { DEFAULTS, configFromEnv, type Config } from './config.js';
export { loadSpec, BASE_PATHS, type OpenApiDocument } from './engine/contract/spec.js';
export { MemoryStore } from './engine/store/memory.js';
export { loadFixtures } from './tools/admin/fixtures.js';
export type { Store, Partition, PartitionSnapshot, CollectionSpec, StoredRecord } from './engine/store/types.js';
export type { CustomerRecord } from './engine/records.js';
export type { Plugin, Call, Answer, CollectionRules } from './engine/plugin.js';
export type { Customer } from './resources/customers/present.js';
export type { CustomerRequest } from './resources/customers/rules.js';
export type { ErrorEnvelope } from './http/errors.js';
export type { JournalEntry, JournalFilter } from './tools/admin/journal.js';
export type { FaultRule, FaultRuleRequest } from './http/faults.js';
export { MESSAGES } from './http/errors.js';
export { RULES, PLUGINS } from './resources/registry.js';
export { PREFER_CODES, MAX_DELAY_MS } from './http/mock-controls.js';
export { verify, formatReport, isProduction, type VerifyOptions, type VerifyReport } from './tools/verify/run.js';
export type { Difference } from './tools/verify/compare.js';
export type { DivergenceSummary, Divergence } from './tools/proxy/divergences.js';
export { createWebhookReceiver, verifySignature, type WebhookReceiver, type ReceivedWebhook } from './tools/webhooks/receiver.js';
export type { DeliveryRecord, WebhookOptions } from './tools/webhooks/deliveries.js';
