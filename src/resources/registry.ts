// Every resource plug-in, once. The app's wiring, the recorder (--record), the generated types' tags,
// the README's table of what is served and the lint rule that keeps resources apart all read this
// list; adding a resource is a folder beside this file and a line here (docs/development.md).
import { PAGING_MESSAGES } from '../engine/paging.js';
import type { Plugin } from '../engine/plugin.js';
import { RELATION_MESSAGES } from '../engine/relations.js';
import { billingSchedules } from './billing-schedules/index.js';
import { contacts } from './contacts/index.js';
import { customerAliases, MESSAGES as ALIAS_MESSAGES } from './customer-aliases/index.js';
import { customers } from './customers/index.js';
import { invoices } from './invoices/index.js';
import { MESSAGES as CUSTOMER_MESSAGES } from './customers/rules.js';
import { notificationPolicies, MESSAGES as POLICY_MESSAGES } from './notification-policies/index.js';
import { MESSAGES as ORGANIZATION_MESSAGES, organizations } from './organizations/index.js';
import { MESSAGES as SETTINGS_MESSAGES, paymentSettings } from './payment-settings/index.js';
import { credits } from './credits/index.js';
import { products } from './products/index.js';
import { seats } from './seats/index.js';
import { usageEvents } from './usage-events/index.js';
import { usageMetrics } from './usage-metrics/index.js';

export const PLUGINS: readonly Plugin[] = [
  customers,
  contacts,
  customerAliases,
  organizations,
  paymentSettings,
  billingSchedules,
  usageEvents,
  notificationPolicies,
  invoices,
  usageMetrics,
  products,
  seats,
  credits,
];

/** The document's tags whose types src/generated/openapi.ts holds: the plug-ins' own. */
export const TYPED_TAGS: readonly string[] = [...new Set(PLUGINS.flatMap((plugin) => plugin.tags))];

/** Every rule's message, by name, as the 400s say them (tests assert on these). */
export const RULES = {
  ...PAGING_MESSAGES,
  ...RELATION_MESSAGES,
  ...CUSTOMER_MESSAGES,
  ...ALIAS_MESSAGES,
  ...ORGANIZATION_MESSAGES,
  ...SETTINGS_MESSAGES,
  ...POLICY_MESSAGES,
} as const;
