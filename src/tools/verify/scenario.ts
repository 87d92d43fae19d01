// The scenario `sequence-mock verify` plays against Sequence and against the fake, step by step, the
// same requests in the same order. It covers the Customers area end to end: the vendor's example, a
// parent and a child, the business rules' refusals, reads, filtered lists walked by cursor, updates,
// contacts, aliases, organizations, archiving, and the error cases. Every name, email and alias it
// makes carries the run's tag, so its lists see only what this run made, even in a sandbox that
// already holds customers.
export type Refs = ReadonlyMap<string, string>;

export interface Step {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The document's path for this request: names it in the report and finds its response schema. */
  operation: string;
  path: (ref: (name: string) => string) => string;
  body?: (ref: (name: string) => string) => unknown;
  /** Send a wrong secret instead of the credentials. */
  badCredentials?: true;
  /** Sequence-Version to send instead of the one served. */
  version?: string;
  /** Ids to remember from the answer, by name -> JSON pointer into the body. */
  save?: Record<string, string>;
}

/** An id no account has: what "unknown id" asks for. */
export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
/** Every customer the scenario creates is saved under one of these names, so the end can archive each. */
export const CUSTOMERS = ['parent', 'child', 'example', 'draft', 'owner'] as const;

const address = { line1: '1 Verify Street', town: 'London', postcode: 'EC1A 1BB', country: 'GB' };

export function scenario(run: string, vendorExample: Record<string, unknown>): Step[] {
  const name = (what: string) => `sequence-mock verify ${run} ${what}`;
  const email = (who: string) => `verify-${run}-${who}@example.com`;
  const shared = email('shared');
  const customer = (what: string, extra: Record<string, unknown> = {}) => ({
    legalName: name(what),
    address,
    taxStatus: 'TAXED',
    contacts: [{ name: 'Verify Primary', email: shared, billingPreference: 'PRIMARY' }],
    ...extra,
  });
  const list = (query: Record<string, string>) => `/customers?${new URLSearchParams(query).toString()}`;
  return [
    {
      name: 'create parent',
      method: 'POST',
      operation: '/customers',
      path: () => '/customers',
      body: () =>
        customer('parent', {
          contacts: [
            { name: 'Verify Primary', email: shared, billingPreference: 'PRIMARY' },
            { name: 'Verify Standard', email: email('standard'), billingPreference: 'STANDARD' },
          ],
          url: 'https://www.example.com/verify',
          label: name('label'),
          customProperties: { verify: run },
        }),
      save: { parent: '/id' },
    },
    { name: 'read parent', method: 'GET', operation: '/customers/{id}', path: (ref) => `/customers/${ref('parent')}` },
    {
      name: 'create child',
      method: 'POST',
      operation: '/customers',
      path: () => '/customers',
      body: (ref) => customer('child', { parentId: ref('parent') }),
      save: { child: '/id' },
    },
    { name: 'read parent with child', method: 'GET', operation: '/customers/{id}', path: (ref) => `/customers/${ref('parent')}` },
    { name: 'read child', method: 'GET', operation: '/customers/{id}', path: (ref) => `/customers/${ref('child')}` },
    {
      name: "create the vendor's example",
      method: 'POST',
      operation: '/customers',
      path: () => '/customers',
      // As documented, but under this run's parent and with this run's alias: the documented ones
      // belong to Sequence's own account.
      body: (ref) => ({ ...vendorExample, parentId: ref('parent'), customerAliases: [`verify-${run}-example`] }),
      save: { example: '/id' },
    },
    {
      name: 'read the example by alias',
      method: 'GET',
      operation: '/customers/by-alias/{alias}',
      path: () => `/customers/by-alias/verify-${run}-example`,
    },
    {
      name: 'create a draft',
      method: 'POST',
      operation: '/customers',
      path: () => '/customers',
      body: () => customer('draft', { status: 'DRAFT' }),
      save: { draft: '/id' },
    },
    {
      name: 'rule: a draft cannot be a parent',
      method: 'POST',
      operation: '/customers',
      path: () => '/customers',
      body: (ref) => customer('child of draft', { parentId: ref('draft') }),
    },
    {
      name: 'rule: the parent must exist',
      method: 'POST',
      operation: '/customers',
      path: () => '/customers',
      body: () => customer('child of nobody', { parentId: UNKNOWN_ID }),
    },
    {
      name: 'rule: a STANDARD contact needs a PRIMARY one',
      method: 'POST',
      operation: '/customers',
      path: () => '/customers',
      body: () => customer('no primary', { contacts: [{ name: 'Verify Standard', email: email('np'), billingPreference: 'STANDARD' }] }),
    },
    {
      name: 'rule: a US address needs a state',
      method: 'POST',
      operation: '/customers',
      path: () => '/customers',
      body: () => customer('no state', { address: { ...address, country: 'US', postcode: '10001' } }),
    },
    {
      name: 'bad body: no taxStatus',
      method: 'POST',
      operation: '/customers',
      path: () => '/customers',
      body: () => ({ legalName: name('no tax status'), address, contacts: [] }),
    },
    {
      name: 'list by legal name',
      method: 'GET',
      operation: '/customers',
      path: () => list({ legalName: name('parent') }),
    },
    {
      name: 'list by email, first page',
      method: 'GET',
      operation: '/customers',
      path: () => list({ email: shared, limit: '2' }),
      save: { after: '/pagination/after' },
    },
    {
      name: 'list by email, next page',
      method: 'GET',
      operation: '/customers',
      path: (ref) => list({ email: shared, limit: '2', after: ref('after') }),
    },
    {
      name: 'update child',
      method: 'PUT',
      operation: '/customers/{id}',
      path: (ref) => `/customers/${ref('child')}`,
      body: () => customer('child', { label: name('updated'), customProperties: { verify: run, step: 'update' } }),
    },
    { name: 'read child after update', method: 'GET', operation: '/customers/{id}', path: (ref) => `/customers/${ref('child')}` },
    {
      name: "list parent's contacts",
      method: 'GET',
      operation: '/customers/{customer}/contacts',
      path: (ref) => `/customers/${ref('parent')}/contacts`,
    },
    {
      name: 'add a contact',
      method: 'POST',
      operation: '/customers/{customer}/contacts',
      path: (ref) => `/customers/${ref('parent')}/contacts`,
      body: () => ({ name: 'Verify None', email: email('none'), billingPreference: 'NONE' }),
      save: { contact: '/id' },
    },
    {
      name: 'update the contact',
      method: 'PUT',
      operation: '/customers/{customer}/contacts/{id}',
      path: (ref) => `/customers/${ref('parent')}/contacts/${ref('contact')}`,
      body: () => ({ name: 'Verify None Renamed', email: email('none'), billingPreference: 'NONE' }),
    },
    {
      name: 'archive the contact',
      method: 'POST',
      operation: '/customers/{customer}/contacts/{id}/archive',
      path: (ref) => `/customers/${ref('parent')}/contacts/${ref('contact')}/archive`,
    },
    {
      name: 'add an alias',
      method: 'POST',
      operation: '/customer-aliases',
      path: () => '/customer-aliases',
      body: (ref) => ({ customerId: ref('child'), value: `verify-${run}-child`, label: 'CRM ID' }),
      save: { alias: '/id' },
    },
    {
      name: 'rule: an alias value is taken once',
      method: 'POST',
      operation: '/customer-aliases',
      path: () => '/customer-aliases',
      body: (ref) => ({ customerId: ref('parent'), value: `verify-${run}-child` }),
    },
    {
      name: "list child's aliases",
      method: 'GET',
      operation: '/customers/{id}/aliases',
      path: (ref) => `/customers/${ref('child')}/aliases`,
    },
    {
      name: 'list aliases by value',
      method: 'GET',
      operation: '/customer-aliases',
      path: () => `/customer-aliases?${new URLSearchParams({ value: `verify-${run}-child` }).toString()}`,
    },
    {
      name: 'create an owner',
      method: 'POST',
      operation: '/customers',
      path: () => '/customers',
      body: () => customer('owner'),
      save: { owner: '/id' },
    },
    {
      name: 'create an organization',
      method: 'POST',
      operation: '/customer-organizations',
      path: () => '/customer-organizations',
      body: (ref) => ({ ownerId: ref('owner'), memberIds: [] }),
      save: { organization: '/id' },
    },
    {
      name: 'add the child to it',
      method: 'POST',
      operation: '/customer-organizations/{id}/members',
      path: (ref) => `/customer-organizations/${ref('organization')}/members`,
      body: (ref) => ({ customerIds: [ref('child')] }),
    },
    { name: 'read child in two organizations', method: 'GET', operation: '/customers/{id}', path: (ref) => `/customers/${ref('child')}` },
    {
      name: 'archive the draft',
      method: 'POST',
      operation: '/customers/{id}/archive',
      path: (ref) => `/customers/${ref('draft')}/archive`,
    },
    { name: 'list hides the archived', method: 'GET', operation: '/customers', path: () => list({ legalName: name('draft') }) },
    {
      name: 'list with archived',
      method: 'GET',
      operation: '/customers',
      path: () => list({ legalName: name('draft'), includeArchived: 'true' }),
    },
    {
      name: 'remove the alias',
      method: 'DELETE',
      operation: '/customer-aliases/{id}',
      path: (ref) => `/customer-aliases/${ref('alias')}`,
    },
    { name: 'error: unknown id', method: 'GET', operation: '/customers/{id}', path: () => `/customers/${UNKNOWN_ID}` },
    {
      name: 'error: bad credentials',
      method: 'GET',
      operation: '/customers/{id}',
      path: (ref) => `/customers/${ref('parent')}`,
      badCredentials: true,
    },
    {
      name: 'error: bad version',
      method: 'GET',
      operation: '/customers/{id}',
      path: (ref) => `/customers/${ref('parent')}`,
      version: '1999-01-01',
    },
  ];
}
