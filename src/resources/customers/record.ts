// --record: a Customer the upstream answered, laid over what is known of it. A list's item has no
// contacts or status, so those stay as last seen until the customer is read.
import { isObject } from '../../engine/contract/conform.js';
import type { Recorder } from '../../engine/plugin.js';
import { CONTACTS, CUSTOMERS, type ContactRecord, type CustomerRecord } from '../../engine/records.js';
import { contactsOf, recordOrganization } from '../../engine/relations.js';
import type { Partition } from '../../engine/store/types.js';

function customer(partition: Partition, body: unknown, whole: boolean): void {
  if (!isObject(body) || typeof body.id !== 'string' || typeof body.createdAt !== 'string') return;
  const id = body.id;
  const known = partition.get(CUSTOMERS, id);
  const organizations = Array.isArray(body.organizations) ? body.organizations : [];
  const memberOf = organizations.find((o) => isObject(o) && isObject(o.owner) && o.owner.id !== id) as
    { owner: { id: string } } | undefined;
  const optional = (key: 'url' | 'label' | 'archivedAt') => (typeof body[key] === 'string' ? { [key]: body[key] } : {});
  const parentId = memberOf?.owner.id ?? known?.parentId;
  const record: CustomerRecord = {
    id,
    createdAt: body.createdAt,
    updatedAt: typeof body.updatedAt === 'string' ? body.updatedAt : (known?.updatedAt ?? body.createdAt),
    legalName: typeof body.legalName === 'string' ? body.legalName : (known?.legalName ?? ''),
    address: (body.address ?? known?.address) as CustomerRecord['address'],
    customProperties: (body.customProperties ?? known?.customProperties ?? {}) as Record<string, string>,
    ...optional('url'),
    ...optional('label'),
    ...optional('archivedAt'),
    taxStatus: (body.taxStatus ?? known?.taxStatus ?? 'TAXED') as CustomerRecord['taxStatus'],
    status: (body.status ?? known?.status ?? 'ACTIVE') as CustomerRecord['status'],
    ...(parentId !== undefined && { parentId }),
    integrationIds: (body.integrationIds ?? known?.integrationIds ?? []) as CustomerRecord['integrationIds'],
  };
  partition.put(CUSTOMERS, record);
  if (whole && Array.isArray(body.contacts)) {
    for (const contact of contactsOf(partition, id)) partition.delete(CONTACTS, contact.id);
    for (const contact of body.contacts)
      if (isObject(contact) && typeof contact.id === 'string') partition.put(CONTACTS, { ...(contact as ContactRecord), customerId: id });
  }
  for (const organization of organizations) recordOrganization(partition, organization);
}

export const recordCustomer: Recorder = (partition, _params, body) => customer(partition, body, true);

export const recordCustomerList: Recorder = (partition, _params, body) => {
  for (const item of isObject(body) && Array.isArray(body.items) ? body.items : []) customer(partition, item, false);
};
