// Customer aliases (docs/resources/customer-aliases.md): /customer-aliases as a resource of its own,
// the same aliases customers' `customerAliases` make and /customers/by-alias finds. An alias value
// belongs to one customer per partition. Decisions where the docs are silent: a PUT without `label`
// keeps the label; DELETE answers the alias with `deletedAt` and frees its value (by-alias then 404s,
// and the value may be used again).
import { accountIdOf } from '../../engine/account.js';
import { isObject } from '../../engine/contract/conform.js';
import { found, notFound, RuleViolation } from '../../engine/errors.js';
import { checkedPageRequest, listParams, pagination, walk } from '../../engine/paging.js';
import type { Call, Plugin } from '../../engine/plugin.js';
import { ALIASES, CUSTOMERS, type AliasRecord } from '../../engine/records.js';
import { RELATION_MESSAGES } from '../../engine/relations.js';
import { compareKeys } from '../../engine/store/memory.js';
import { sortedView, type Partition } from '../../engine/store/types.js';
import type { components } from '../../generated/openapi.js';

type Schemas = components['schemas'];
type CreateAliasRequest = Schemas['CreateCustomerAliasRequestModel'];
type UpdateAliasRequest = Schemas['UpdateCustomerAliasRequestModel'];

export const MESSAGES = {
  aliasCustomerUnknown: 'must be the id of an existing customer',
  aliasOwned: (alias: string) => `${alias} is already an alias of this customer`,
} as const;

function present({ clientId }: Call, alias: AliasRecord, deletedAt?: string): Schemas['CustomerAliasResponseModel'] {
  return {
    id: alias.id,
    sequenceAccountId: accountIdOf(clientId),
    customerId: alias.customerId,
    value: alias.value,
    createdAt: alias.createdAt,
    ...(alias.label !== undefined && { label: alias.label }),
    ...(deletedAt !== undefined && { deletedAt }),
  };
}

const keyOf = (alias: AliasRecord) => ({ createdAt: Date.parse(alias.createdAt), id: alias.id });

const aliasOf = ({ partition, params }: Call): AliasRecord =>
  found(partition.get(ALIASES, params.id!), () => notFound('customer alias', '/path/id', params.id!));

function create(partition: Partition, request: CreateAliasRequest, call: Call): AliasRecord {
  if (!partition.get(CUSTOMERS, request.customerId))
    throw new RuleViolation([{ path: '/body/customerId', message: MESSAGES.aliasCustomerUnknown }]);
  const holder = partition.find(ALIASES, 'value', request.value)[0];
  if (holder) {
    const message =
      holder.customerId === request.customerId ? MESSAGES.aliasOwned(request.value) : RELATION_MESSAGES.aliasTaken(request.value);
    throw new RuleViolation([{ path: '/body/value', message }]);
  }
  const createdAt = call.clock.now().toISOString();
  const alias: AliasRecord = {
    id: call.clock.newId(),
    customerId: request.customerId,
    value: request.value,
    createdAt,
    ...(request.label !== undefined && { label: request.label }),
  };
  partition.put(ALIASES, alias);
  return alias;
}

export const customerAliases: Plugin = {
  name: 'customer-aliases',
  tags: ['Customer Aliases'],
  page: 'docs/resources/customer-aliases.md',
  handlers: {
    getCustomerAliases: (call) => {
      const value = typeof call.query.value === 'string' ? call.query.value : undefined;
      const all = call.partition.ordered(ALIASES);
      const ofValue = call.partition.find(ALIASES, 'value', value ?? '').map((record) => ({ key: keyOf(record), record }));
      const candidates = value === undefined ? all : sortedView(ofValue.sort((a, b) => compareKeys(a.key, b.key)));
      const page = walk(candidates, checkedPageRequest(listParams(call.query), 'ASC'));
      return { body: { items: page.items.map((alias) => present(call, alias)), pagination: pagination(page) } };
    },
    postCustomerAliases: (call) => ({ body: present(call, create(call.partition, call.body as CreateAliasRequest, call)), changed: true }),
    putCustomerAliasesById: (call) => {
      const existing = aliasOf(call);
      const { label } = call.body as UpdateAliasRequest;
      if (label === undefined) return { body: present(call, existing) };
      const alias = { ...existing, label };
      call.partition.put(ALIASES, alias);
      return { body: present(call, alias), changed: true };
    },
    deleteCustomerAliasesById: (call) => {
      const alias = aliasOf(call);
      const deletedAt = call.clock.now().toISOString();
      call.partition.delete(ALIASES, alias.id);
      return { body: present(call, alias, deletedAt), changed: true };
    },
    getCustomersByIdAliases: (call) => {
      const id = call.params.id!;
      found(call.partition.get(CUSTOMERS, id), () => notFound('customer', '/path/id', id));
      const sequenceAccountId = accountIdOf(call.clientId);
      const items = call.partition.find(ALIASES, 'customer', id).map(({ id: aliasId, value, createdAt }) => ({
        id: aliasId,
        sequenceAccountId,
        customerId: id,
        value,
        createdAt,
      }));
      return { body: { items } };
    },
  },
  record: {
    getCustomerAliases: (partition, _params, body) => recordAliases(partition, itemsOf(body)),
    getCustomersByIdAliases: (partition, _params, body) => recordAliases(partition, itemsOf(body)),
    postCustomerAliases: (partition, _params, body) => recordAliases(partition, [body]),
    putCustomerAliasesById: (partition, _params, body) => recordAliases(partition, [body]),
    deleteCustomerAliasesById: (partition, params) => partition.delete(ALIASES, params.id ?? ''),
  },
};

const itemsOf = (body: unknown): unknown[] => (isObject(body) && Array.isArray(body.items) ? body.items : []);

/** --record: aliases the upstream answered, kept with their customer (a customer not seen yet is skipped). */
function recordAliases(partition: Partition, answered: unknown[]): void {
  for (const alias of answered) recordAlias(partition, alias);
}

function recordAlias(partition: Partition, alias: unknown): void {
  if (!isObject(alias) || typeof alias.id !== 'string' || typeof alias.customerId !== 'string' || typeof alias.value !== 'string') return;
  const customer = partition.get(CUSTOMERS, alias.customerId);
  if (!customer) return;
  partition.put(ALIASES, {
    id: alias.id,
    customerId: customer.id,
    value: alias.value,
    createdAt: typeof alias.createdAt === 'string' ? alias.createdAt : customer.createdAt,
    ...(typeof alias.label === 'string' && { label: alias.label }),
  });
}
