// Billing schedules (docs/resources/billing-schedules.md), over the generic collection they are
// stored in: what the schema cannot say.
//   - customerId must name a customer of this account (the generic reference rule: a 400 naming
//     /body/customerId otherwise).
//   - A schedule made with `isDraft: true` is DRAFT until `PUT /billing-schedules/{id}/activate`
//     ("Activate an existing draft"); one made without is ACTIVE at once. Activating an ACTIVE one
//     changes nothing.
//   - The list filters by customerId and label (the generic field filters), billingScheduleStatus,
//     and hides archived schedules unless includeArchivedSchedules=true.
import { isTrue } from '../../engine/paging.js';
import type { CollectionRules, Plugin } from '../../engine/plugin.js';
import type { StoredRecord } from '../../engine/store/types.js';

const rules: CollectionRules = {
  generated(body) {
    return { status: body.isDraft === true ? 'DRAFT' : 'ACTIVE' };
  },
  actions: {
    '/activate': (record: StoredRecord) => (record.status === 'DRAFT' ? { status: 'ACTIVE' } : {}),
  },
  matches(record: StoredRecord, query) {
    if (typeof query.billingScheduleStatus === 'string' && record.status !== query.billingScheduleStatus) return false;
    if (record.archivedAt !== undefined && !isTrue(query.includeArchivedSchedules)) return false;
    return true;
  },
};

export const billingSchedules: Plugin = {
  name: 'billing-schedules',
  tags: ['Billing Schedules'],
  page: 'docs/resources/billing-schedules.md',
  rules: { '/billing-schedules': rules },
};
