// /payments/settings/customers: a customer's payment provider. Decisions where the docs are silent:
// at most one settings record per customer (a second create is a 400 naming the first, since an
// invoice can only use one); the customer must exist; DELETE answers the settings it removed.
import { RULES } from '../customers/rules.js';
import { RuleViolation } from '../rules/violation.js';
import type { ServiceDeps } from '../customers/service.js';
import type { components } from '../generated/openapi.js';
import type { CustomerRecord, Partition, PaymentSettingsRecord } from '../store/types.js';

type Schemas = components['schemas'];
export type CreateSettingsRequest = Schemas['CreateCustomerSettingsEndpointCreateCustomerSettingsRequestModel'];
export type UpdateSettingsRequest = Schemas['UpdateCustomerSettingsEndpointUpdateCustomerSettingsRequestModel'];

export interface SettingsOf {
  settings: PaymentSettingsRecord;
  customer: CustomerRecord;
}

export function createSettings(partition: Partition, request: CreateSettingsRequest, deps: ServiceDeps): SettingsOf {
  const customer = partition.getCustomer(request.customerId);
  if (!customer) throw new RuleViolation([{ path: '/body/customerId', message: RULES.settingsCustomerUnknown }]);
  if (customer.paymentSettings)
    throw new RuleViolation([{ path: '/body/customerId', message: RULES.settingsExist(customer.paymentSettings.id) }]);
  const settings = { id: deps.newId(), paymentProvider: request.paymentProvider };
  partition.putCustomer({ ...customer, paymentSettings: settings, updatedAt: deps.now().toISOString() });
  return { settings, customer };
}

export function getSettings(partition: Partition, id: string): SettingsOf | undefined {
  const customer = partition.customerByPaymentSettingsId(id);
  return customer?.paymentSettings && { settings: customer.paymentSettings, customer };
}

export function updateSettings(
  partition: Partition,
  id: string,
  request: UpdateSettingsRequest,
  deps: ServiceDeps,
): SettingsOf | undefined {
  const found = getSettings(partition, id);
  if (!found) return undefined;
  const settings = { ...found.settings, paymentProvider: request.paymentProvider };
  partition.putCustomer({ ...found.customer, paymentSettings: settings, updatedAt: deps.now().toISOString() });
  return { ...found, settings };
}

export function deleteSettings(partition: Partition, id: string, deps: ServiceDeps): SettingsOf | undefined {
  const found = getSettings(partition, id);
  if (!found) return undefined;
  const { paymentSettings: _removed, ...customer } = found.customer;
  partition.putCustomer({ ...customer, updatedAt: deps.now().toISOString() });
  return found;
}
