// --record: what the upstream answered during a proxied session, kept as the fake's own records, in
// the durable store's file, so `--data <file>` later serves the same customers, contacts, aliases,
// organizations and collection resources offline. Only what passed through is known: a customer
// seen only in a list has no contacts (lists do not carry them) until it is read.
import { isObject } from '../contract/conform.js';
import type { Collection } from '../contract/operations.js';
import { fillPath } from '../collections/service.js';
import { operationKey } from '../http/openapi.js';
import type { CustomerRecord, Partition, Store, StoredRecord } from '../store/types.js';

const itemsOf = (body: unknown): unknown[] => (isObject(body) && Array.isArray(body.items) ? body.items : []);

/** Operations answering one Customer (by-alias answers a Customer with a few more fields). */
const CUSTOMER = new Set([
  'post /customers',
  'get /customers/{id}',
  'put /customers/{id}',
  'post /customers/{id}/archive',
  'get /customers/by-alias/{alias}',
]);
const CONTACT = new Set([
  'post /customers/{customer}/contacts',
  'put /customers/{customer}/contacts/{id}',
  'post /customers/{customer}/contacts/{id}/archive',
]);
const ORGANIZATION = new Set([
  'post /customer-organizations',
  'post /customer-organizations/{id}/members',
  'put /customer-organizations/{id}/members',
]);

type Role = 'create' | 'read' | 'update' | 'patch' | 'list' | 'remove' | 'archive';

export class Recorder {
  private readonly collections = new Map<string, { collection: Collection; role: Role }>();

  constructor(
    private readonly store: Store,
    collections: readonly Collection[],
  ) {
    for (const collection of collections) {
      for (const role of ['create', 'read', 'update', 'patch', 'list', 'remove', 'archive'] as const) {
        const operation = collection[role];
        if (operation) this.collections.set(operationKey(operation.method, operation.path), { collection, role });
      }
    }
  }

  /** One successful answer; resolves once it is in the file. */
  async observe(clientId: string, operation: string, params: Record<string, string>, body: unknown): Promise<void> {
    const partition = this.store.partition(clientId);
    if (CUSTOMER.has(operation)) this.customer(partition, body, true);
    else if (operation === 'get /customers') for (const item of itemsOf(body)) this.customer(partition, item, false);
    else if (operation === 'get /customers/{customer}/contacts') this.contacts(partition, params.customer, itemsOf(body));
    else if (CONTACT.has(operation)) this.contacts(partition, params.customer, [body]);
    else if (operation === 'get /customers/{id}/aliases' || operation === 'get /customer-aliases')
      for (const a of itemsOf(body)) this.alias(partition, a);
    else if (operation === 'post /customer-aliases' || operation === 'put /customer-aliases/{id}') this.alias(partition, body);
    else if (operation === 'delete /customer-aliases/{id}') this.removeAlias(partition, params.id);
    else if (ORGANIZATION.has(operation)) this.organization(partition, body);
    else this.resource(partition, operation, params, body);
    await this.store.commit();
  }

  /** A Customer (or a list's item, which has no contacts or status) laid over what is known of it. */
  private customer(partition: Partition, body: unknown, whole: boolean): void {
    if (!isObject(body) || typeof body.id !== 'string' || typeof body.createdAt !== 'string') return;
    const known = partition.getCustomer(body.id);
    const organizations = Array.isArray(body.organizations) ? body.organizations : [];
    const memberOf = organizations.find((o) => isObject(o) && isObject(o.owner) && o.owner.id !== body.id) as
      { owner: { id: string } } | undefined;
    const optional = (key: 'url' | 'label' | 'archivedAt') => (typeof body[key] === 'string' ? { [key]: body[key] } : {});
    const record: CustomerRecord = {
      id: body.id,
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
      ...((memberOf?.owner.id ?? known?.parentId) !== undefined && { parentId: memberOf?.owner.id ?? known?.parentId }),
      aliases: known?.aliases ?? [],
      contacts: whole && Array.isArray(body.contacts) ? (body.contacts as CustomerRecord['contacts']) : (known?.contacts ?? []),
      integrationIds: (body.integrationIds ?? known?.integrationIds ?? []) as CustomerRecord['integrationIds'],
      ...(known?.paymentSettings && { paymentSettings: known.paymentSettings }),
    };
    partition.putCustomer(record);
    for (const organization of organizations) this.organization(partition, organization);
  }

  private contacts(partition: Partition, customerId: string | undefined, contacts: unknown[]): void {
    const customer = customerId === undefined ? undefined : partition.getCustomer(customerId);
    if (!customer) return;
    const merged = [...customer.contacts];
    for (const contact of contacts) {
      if (!isObject(contact) || typeof contact.id !== 'string') continue;
      const at = merged.findIndex((c) => c.id === contact.id);
      if (at >= 0) merged[at] = contact as CustomerRecord['contacts'][number];
      else merged.push(contact as CustomerRecord['contacts'][number]);
    }
    partition.putCustomer({ ...customer, contacts: merged });
  }

  private alias(partition: Partition, alias: unknown): void {
    if (!isObject(alias) || typeof alias.id !== 'string' || typeof alias.customerId !== 'string' || typeof alias.value !== 'string') return;
    const customer = partition.getCustomer(alias.customerId);
    if (!customer) return;
    const record = {
      id: alias.id,
      value: alias.value,
      createdAt: typeof alias.createdAt === 'string' ? alias.createdAt : customer.createdAt,
      ...(typeof alias.label === 'string' && { label: alias.label }),
    };
    const others = customer.aliases.filter((a) => a.id !== alias.id);
    const at = customer.aliases.findIndex((a) => a.id === alias.id);
    const aliases = at >= 0 ? customer.aliases.map((a) => (a.id === alias.id ? record : a)) : [...others, record];
    partition.putCustomer({ ...customer, aliases });
  }

  private removeAlias(partition: Partition, aliasId: string | undefined): void {
    const customer = aliasId === undefined ? undefined : partition.customerByAliasId(aliasId);
    if (customer) partition.putCustomer({ ...customer, aliases: customer.aliases.filter((a) => a.id !== aliasId) });
  }

  private organization(partition: Partition, organization: unknown): void {
    if (!isObject(organization) || typeof organization.id !== 'string' || !isObject(organization.owner)) return;
    const ownerId = organization.owner.id;
    if (typeof ownerId !== 'string') return;
    const members = Array.isArray(organization.members) ? organization.members : [];
    const memberIds = members.map((m) => (isObject(m) ? m.id : undefined)).filter((id): id is string => typeof id === 'string');
    partition.putOrganization({ id: organization.id, ownerId, memberIds });
  }

  /** A resource of the rest of the API, kept as the collection the fake serves it from. */
  private resource(partition: Partition, operation: string, params: Record<string, string>, body: unknown): void {
    const found = this.collections.get(operation);
    if (!found) return;
    const key = fillPath(found.collection.name, params);
    if (found.role === 'remove') {
      const id = found.collection.itemParam === undefined ? undefined : params[found.collection.itemParam];
      if (id !== undefined) partition.deleteRecord(key, id);
      return;
    }
    for (const item of found.role === 'list' ? itemsOf(body) : [body]) {
      if (isObject(item) && typeof item.id === 'string') partition.putRecord(key, item as StoredRecord);
    }
  }
}
