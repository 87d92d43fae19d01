// Customers (docs/resources/customers.md): create, read, update, archive, list with filters and
// cursors, custom property keys, and the read by alias. Rules in rules.ts, changes in service.ts,
// lists in query.ts, the JSON in present.ts, --record in record.ts.
import { found, NotFound, notFound } from '../../engine/errors.js';
import { listParams } from '../../engine/paging.js';
import type { Plugin } from '../../engine/plugin.js';
import { ALIASES, CUSTOMERS } from '../../engine/records.js';
import { presentByAlias, presentCustomer, presentPage } from './present.js';
import { listCustomers, toCustomerQuery } from './query.js';
import { recordCustomer, recordCustomerList } from './record.js';
import type { CustomerRequest } from './rules.js';
import { archiveCustomer, createCustomer, updateCustomer } from './service.js';
import { CUSTOMER_VERSIONS } from './versions.js';

const missing = (id: string) => () => notFound('customer', '/path/id', id);

export const customers: Plugin = {
  name: 'customers',
  tags: ['Customers'],
  page: 'docs/resources/customers.md',
  handlers: {
    getCustomers: ({ partition, query }) => ({
      body: presentPage(listCustomers(partition, toCustomerQuery(listParams(query))), partition),
    }),
    getCustomerCustomPropertyKeys: ({ partition }) => ({ body: { items: partition.keys(CUSTOMERS, 'customPropertyKey').sort() } }),
    postCustomers: ({ partition, body, clock }) => ({
      body: presentCustomer(createCustomer(partition, body as CustomerRequest, clock), partition),
      changed: true,
    }),
    getCustomersById: ({ partition, params }) => ({
      body: presentCustomer(found(partition.get(CUSTOMERS, params.id!), missing(params.id!)), partition),
    }),
    putCustomersById: ({ partition, params, body, clock }) => ({
      body: presentCustomer(found(updateCustomer(partition, params.id!, body as CustomerRequest, clock), missing(params.id!)), partition),
      changed: true,
    }),
    postCustomersByIdArchive: ({ partition, params, clock }) => ({
      body: presentCustomer(found(archiveCustomer(partition, params.id!, clock), missing(params.id!)), partition),
      changed: true,
    }),
    // Tagged Customer Aliases in the document, but it answers a Customer.
    getCustomersByAliasByAlias: ({ partition, params }) => {
      const alias = params.alias!;
      const holder = partition.find(ALIASES, 'value', alias)[0];
      const customer = holder && partition.get(CUSTOMERS, holder.customerId);
      if (!customer) throw new NotFound({ path: '/path/alias', message: `no customer with alias ${alias}` });
      return { body: presentByAlias(customer, partition) };
    },
  },
  versions: CUSTOMER_VERSIONS,
  record: {
    postCustomers: recordCustomer,
    getCustomersById: recordCustomer,
    putCustomersById: recordCustomer,
    postCustomersByIdArchive: recordCustomer,
    getCustomersByAliasByAlias: recordCustomer,
    getCustomers: recordCustomerList,
  },
};
