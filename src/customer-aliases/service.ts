// /customer-aliases: aliases as their own resource, the same ones customers' `customerAliases` make
// and /customers/by-alias finds. An alias value belongs to one customer per partition. Decisions where
// the docs are silent: a PUT without `label` keeps the label; DELETE answers the alias with `deletedAt`
// and frees its value (by-alias then 404s, and the value may be used again).
import { RULES } from '../customers/rules.js';
import { RuleViolation } from '../rules/violation.js';
import type { ServiceDeps } from '../customers/service.js';
import type { components } from '../generated/openapi.js';
import type { AliasRecord, CustomerRecord, Partition } from '../store/types.js';

type Schemas = components['schemas'];
export type CreateAliasRequest = Schemas['CreateCustomerAliasRequestModel'];
export type UpdateAliasRequest = Schemas['UpdateCustomerAliasRequestModel'];

export interface AliasOf {
  alias: AliasRecord;
  customer: CustomerRecord;
}

export function createAlias(partition: Partition, request: CreateAliasRequest, deps: ServiceDeps): AliasOf {
  const customer = partition.getCustomer(request.customerId);
  if (!customer) throw new RuleViolation([{ path: '/body/customerId', message: RULES.aliasCustomerUnknown }]);
  const holder = partition.customerByAlias(request.value);
  if (holder) {
    const message = holder.id === customer.id ? RULES.aliasOwned(request.value) : RULES.aliasTaken(request.value);
    throw new RuleViolation([{ path: '/body/value', message }]);
  }
  const now = deps.now().toISOString();
  const alias: AliasRecord = {
    id: deps.newId(),
    value: request.value,
    createdAt: now,
    ...(request.label !== undefined && { label: request.label }),
  };
  partition.putCustomer({ ...customer, aliases: [...customer.aliases, alias], updatedAt: now });
  return { alias, customer };
}

export function getAlias(partition: Partition, id: string): AliasOf | undefined {
  const customer = partition.customerByAliasId(id);
  const alias = customer?.aliases.find((a) => a.id === id);
  return customer && alias && { alias, customer };
}

export function updateAlias(partition: Partition, id: string, request: UpdateAliasRequest, deps: ServiceDeps): AliasOf | undefined {
  const found = getAlias(partition, id);
  if (!found || request.label === undefined) return found;
  const alias = { ...found.alias, label: request.label };
  const customer = {
    ...found.customer,
    aliases: found.customer.aliases.map((a) => (a.id === id ? alias : a)),
    updatedAt: deps.now().toISOString(),
  };
  partition.putCustomer(customer);
  return { alias, customer };
}

/** Removes the alias; answers it with the time it was deleted. */
export function deleteAlias(partition: Partition, id: string, deps: ServiceDeps): (AliasOf & { deletedAt: string }) | undefined {
  const found = getAlias(partition, id);
  if (!found) return undefined;
  const deletedAt = deps.now().toISOString();
  partition.putCustomer({ ...found.customer, aliases: found.customer.aliases.filter((a) => a.id !== id), updatedAt: deletedAt });
  return { ...found, deletedAt };
}
