// Customers: the list API with its exact-match filters, cursors and position; one customer with its
// fields, contacts, aliases, organizations as trees, and its billing.
import { call, state } from './api.js';
import { customerBilling } from './billing.js';
import { $, fill, h, pairs, say, when } from './dom.js';

export const PAGE = 20;
/** The page shown: its cursor, and how many customers come before it (for "21-25 of 25"). */
export const paging = { after: undefined, before: undefined, offset: 0 };
export const firstPage = () => Object.assign(paging, { after: undefined, before: undefined, offset: 0 });

export async function showCustomers(isCurrent, render) {
  const query = new URLSearchParams({ limit: String(PAGE) });
  const text = $('#search-text').value.trim();
  if (text) query.set($('#search-by').value, text);
  if ($('#include-archived').checked) query.set('includeArchived', 'true');
  if (paging.after) query.set('after', paging.after);
  if (paging.before) query.set('before', paging.before);
  const { items, pagination } = await call('GET', `/api/customers?${query}`);
  if (!isCurrent()) return;
  fill(
    $('#customers-table tbody'),
    items.map((c) =>
      h(
        'tr',
        {},
        h('td', {}, h('a', { href: `#/customers/${encodeURIComponent(c.id)}` }, c.legalName || c.id)),
        h('td', {}, c.label ?? ''),
        h('td', {}, String(c.organizations?.length ?? 0)),
        h('td', {}, when(c.createdAt)),
        h('td', {}, c.archivedAt ? 'yes' : ''),
      ),
    ),
    text ? 'No customer matches.' : 'No customers yet: create one through the API, or seed some below.',
  );
  const total = pagination.totalResultSize;
  $('#customers-caption').textContent = `${total} customer${total === 1 ? '' : 's'} of ${state.partition}`;
  $('#customers-position').textContent =
    items.length === 0 ? '' : `Showing ${paging.offset + 1}–${paging.offset + items.length} of ${total}`;
  $('#page-after').disabled = !pagination.after;
  $('#page-before').disabled = !pagination.before;
  $('#page-after').onclick = () => {
    Object.assign(paging, { after: pagination.after, before: undefined, offset: paging.offset + items.length });
    void render();
  };
  $('#page-before').onclick = () => {
    Object.assign(paging, { after: undefined, before: pagination.before, offset: Math.max(0, paging.offset - PAGE) });
    void render();
  };
  say('');
}

/** One customer: its fields, contacts, aliases, custom properties, organizations, then its billing. */
export async function showCustomer(id, isCurrent) {
  const [customer, aliases] = await Promise.all([
    call('GET', `/api/customers/${encodeURIComponent(id)}`),
    call('GET', `/api/customers/${encodeURIComponent(id)}/aliases`),
  ]);
  const billing = await customerBilling(
    customer,
    aliases.items.map((a) => a.value),
  );
  if (!isCurrent()) return;
  $('#customer-title').textContent = customer.legalName;
  const address = customer.address;
  $('#customer-fields').replaceChildren(
    pairs([
      ['Id', h('code', {}, customer.id)],
      ['Status', customer.status],
      ['Tax status', customer.taxStatus],
      ['Label', customer.label],
      ['Website', customer.url],
      [
        'Address',
        [address.line1, address.line2, address.town, address.state, address.postcode, address.country].filter(Boolean).join(', '),
      ],
      ['Integrations', customer.integrationIds.map((i) => `${i.service} ${i.id}${i.isPending ? ' (pending)' : ''}`).join('; ')],
      ['Created', when(customer.createdAt)],
      ['Archived', when(customer.archivedAt)],
    ]),
  );
  const properties = Object.entries(customer.customProperties ?? {});
  $('#customer-properties').replaceChildren(pairs(properties, {}, 'None.'));
  // "None." is a sentence, not an alias: no bullet.
  $('#customer-aliases').replaceChildren(
    aliases.items.length === 0 ? h('p', {}, 'None.') : h('ul', {}, ...aliases.items.map((a) => h('li', {}, h('code', {}, a.value)))),
  );
  fill(
    $('#customer-contacts tbody'),
    customer.contacts.map((c) =>
      h('tr', {}, h('td', {}, c.name), h('td', {}, c.email), h('td', {}, c.billingPreference), h('td', {}, c.archivedAt ? 'yes' : '')),
    ),
    'No contacts.',
  );
  const trees = customer.organizations.map((o) => organizationTree(o, customer.id));
  $('#customer-organizations').replaceChildren(...(trees.length === 0 ? [h('p', {}, 'Not in an organization.')] : trees));
  $('#customer-billing').replaceChildren(...billing);
  say('');
}

/** An organization as a tree: the owner at the root, its members below, each a link to its page. */
function organizationTree(organization, current) {
  const node = (customer, role) =>
    h(
      'span',
      { class: 'node' },
      customer.id === current
        ? h('strong', { 'aria-current': 'true' }, customer.name || customer.id)
        : h('a', { href: `#/customers/${encodeURIComponent(customer.id)}` }, customer.name || customer.id),
      h('span', { class: 'role' }, ` ${role}`),
    );
  return h(
    'figure',
    { class: 'organization' },
    h('figcaption', {}, `Organization ${organization.id}`),
    h(
      'ul',
      { class: 'tree', role: 'tree', 'aria-label': `Organization owned by ${organization.owner.name}` },
      h(
        'li',
        { role: 'treeitem', 'aria-expanded': 'true' },
        node(organization.owner, 'owner'),
        h('ul', { role: 'group' }, ...organization.members.map((m) => h('li', { role: 'treeitem' }, node(m, 'member')))),
      ),
    ),
  );
}
