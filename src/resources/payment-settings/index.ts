// Payment settings (docs/resources/payment-settings.md): /payments/settings/customers, a customer's
// payment provider. Decisions where the docs are silent: at most one settings record per customer (a
// second create is a 400 naming the first, since an invoice can only use one); the customer must
// exist; DELETE answers the settings it removed.
import { accountIdOf } from '../../engine/account.js';
import { found, notFound, RuleViolation } from '../../engine/errors.js';
import type { Call, Plugin } from '../../engine/plugin.js';
import { CUSTOMERS, PAYMENT_SETTINGS, type PaymentSettingsRecord } from '../../engine/records.js';
import type { components } from '../../generated/openapi.js';

type Schemas = components['schemas'];
type CreateSettingsRequest = Schemas['CreateCustomerSettingsEndpointCreateCustomerSettingsRequestModel'];
type UpdateSettingsRequest = Schemas['UpdateCustomerSettingsEndpointUpdateCustomerSettingsRequestModel'];

export const MESSAGES = {
  settingsCustomerUnknown: 'must be the id of an existing customer',
  settingsExist: (id: string) => `already has payment settings ${id}; change them with PUT /payments/settings/customers/${id}`,
} as const;

const present = ({ clientId }: Call, settings: PaymentSettingsRecord) => ({
  id: settings.id,
  sequenceAccountId: accountIdOf(clientId),
  customerId: settings.customerId,
  paymentProvider: settings.paymentProvider,
});

const settingsOf = ({ partition, params }: Call): PaymentSettingsRecord =>
  found(partition.get(PAYMENT_SETTINGS, params.id!), () => notFound('customer payment settings', '/path/id', params.id!));

export const paymentSettings: Plugin = {
  name: 'payment-settings',
  // The operations are tagged Customers in the document; their types come with that tag.
  tags: [],
  page: 'docs/resources/payment-settings.md',
  handlers: {
    postPaymentsSettingsCustomers: (call) => {
      const { customerId, paymentProvider } = call.body as CreateSettingsRequest;
      if (!call.partition.get(CUSTOMERS, customerId))
        throw new RuleViolation([{ path: '/body/customerId', message: MESSAGES.settingsCustomerUnknown }]);
      const existing = call.partition.find(PAYMENT_SETTINGS, 'customer', customerId)[0];
      if (existing) throw new RuleViolation([{ path: '/body/customerId', message: MESSAGES.settingsExist(existing.id) }]);
      const settings = { id: call.clock.newId(), customerId, paymentProvider };
      call.partition.put(PAYMENT_SETTINGS, settings);
      return { body: present(call, settings), changed: true };
    },
    getPaymentsSettingsCustomersById: (call) => ({ body: present(call, settingsOf(call)) }),
    putPaymentsSettingsCustomersById: (call) => {
      const settings = { ...settingsOf(call), paymentProvider: (call.body as UpdateSettingsRequest).paymentProvider };
      call.partition.put(PAYMENT_SETTINGS, settings);
      return { body: present(call, settings), changed: true };
    },
    deletePaymentsSettingsCustomersById: (call) => {
      const settings = settingsOf(call);
      call.partition.delete(PAYMENT_SETTINGS, settings.id);
      return { body: present(call, settings), changed: true };
    },
  },
};
