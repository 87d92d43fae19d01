// The dashboard: plain DOM, no framework and no build step. It reads and steers the fake only through
// the admin API (/__admin) and Sequence's API (/api), as a test or a client would.

/** Prefer codes a fault rule may answer with (PREFER_CODES in src/http/mock-controls.ts; a test checks they agree). */
export const FAULT_CODES = [400, 401, 404, 409, 429, 500, 503];
const LIVE_MS = 1000;

const $ = (selector) => document.querySelector(selector);
const state = {
  partition: sessionStorage.getItem('partition') ?? '',
  token: sessionStorage.getItem('adminToken') ?? '',
  secret: sessionStorage.getItem('clientSecret') ?? 'dashboard',
  page: {},
  expanded: new Set(),
  lastJournalId: undefined,
  drawn: 0,
};

/**
 * A view fetches, then draws. Two fetches of the same view can finish out of order (a click while a
 * page loads), so each takes a ticket and draws only if no later one was taken since.
 */
function ticket(view) {
  const mine = (state.drawn += 1);
  return () => state.drawn === mine && route().view === view;
}

/** An element with attributes and children; strings become text, never HTML. */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat())
    if (child !== undefined && child !== null) element.append(child instanceof Node ? child : String(child));
  return element;
}

function say(message) {
  $('#status').textContent = message;
}

class NeedsCredentials extends Error {}

async function call(method, url, body) {
  // The header keeps the dashboard's own reads out of the request journal it shows.
  const headers = { Accept: 'application/json', 'X-Sequence-Mock-Dashboard': '1' };
  if (state.partition) headers.Authorization = `Basic ${btoa(`${state.partition}:${state.secret}`)}`;
  if (state.token) headers['X-Admin-Token'] = state.token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(url, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
  if (res.status === 401) {
    const text = await res.json().catch(() => ({}));
    const message = text.error?.message ?? 'Unauthorized';
    askFor(url.startsWith('/__admin') && /token/i.test(message) ? 'token' : 'secret', message);
    throw new NeedsCredentials(message);
  }
  if (res.status === 204) return undefined;
  const json = await res.json().catch(() => undefined);
  if (!res.ok) throw new Error(json?.error?.message ?? `${method} ${url}: ${res.status}`);
  return json;
}

function askFor(what, why) {
  const form = $('#credentials');
  $('#credentials-why').textContent = `${why}.`;
  for (const element of form.querySelectorAll('[data-for]')) element.hidden = element.dataset.for !== what;
  form.hidden = false;
  form.querySelector(what === 'token' ? '#admin-token' : '#client-secret').focus();
}

$('#credentials').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = $('#admin-token').value;
  const secret = $('#client-secret').value;
  if (token) sessionStorage.setItem('adminToken', (state.token = token));
  if (secret) sessionStorage.setItem('clientSecret', (state.secret = secret));
  $('#credentials').hidden = true;
  void render();
});

// Partitions: the client ids the fake keeps, most recently used first.
async function loadPartitions() {
  const { items } = await call('GET', '/__admin/partitions');
  const select = $('#partition');
  const ids = state.partition && !items.includes(state.partition) ? [state.partition, ...items] : items;
  select.replaceChildren(...ids.map((id) => h('option', { value: id, selected: id === state.partition }, id)));
  if (!state.partition && ids.length > 0) usePartition(ids[0]);
}

function usePartition(id) {
  state.partition = id;
  state.page = {};
  state.lastJournalId = undefined;
  state.expanded.clear();
  sessionStorage.setItem('partition', id);
}

$('#partition').addEventListener('change', (event) => {
  usePartition(event.target.value);
  void render();
});
$('#partition-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const typed = $('#partition-new').value.trim();
  usePartition(typed || $('#partition').value);
  $('#partition-new').value = '';
  void loadPartitions().then(render);
});

// Views, by the location's hash: #/customers, #/customers/<id>, #/requests, #/faults, #/resources, #/clock.
function route() {
  const [, view = 'customers', id] = location.hash.split('/');
  return { view: view === 'customers' && id ? 'customer' : view, id: id && decodeURIComponent(id) };
}

async function render() {
  const { view, id } = route();
  for (const section of document.querySelectorAll('main > section')) section.hidden = section.id !== `view-${view}`;
  for (const link of document.querySelectorAll('nav a')) {
    const current = link.dataset.view === view || (view === 'customer' && link.dataset.view === 'customers');
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  try {
    await loadPartitions();
    if (!state.partition) return say('No partition yet: send a request with Basic credentials, or type a client id above.');
    if (view === 'customers') await showCustomers();
    else if (view === 'customer') await showCustomer(id);
    else if (view === 'requests') await showRequests();
    else if (view === 'faults') await showFaults();
    else if (view === 'resources') await showResources();
    else if (view === 'clock') await showClock();
  } catch (err) {
    if (!(err instanceof NeedsCredentials)) say(err.message);
  }
}
window.addEventListener('hashchange', () => void render());

// Customers: the list API, with its exact-match filters and cursors.
async function showCustomers() {
  const query = new URLSearchParams({ limit: '20' });
  const text = $('#search-text').value.trim();
  if (text) query.set($('#search-by').value, text);
  if ($('#include-archived').checked) query.set('includeArchived', 'true');
  if (state.page.after) query.set('after', state.page.after);
  if (state.page.before) query.set('before', state.page.before);
  const current = ticket('customers');
  const { items, pagination } = await call('GET', `/api/customers?${query}`);
  if (!current()) return;
  $('#customers-table tbody').replaceChildren(
    ...items.map((c) =>
      h(
        'tr',
        {},
        h('td', {}, h('a', { href: `#/customers/${encodeURIComponent(c.id)}` }, c.legalName || c.id)),
        h('td', {}, c.label ?? ''),
        h('td', {}, String(c.organizations?.length ?? 0)),
        h('td', {}, h('time', { datetime: c.createdAt }, c.createdAt.replace('T', ' ').slice(0, 19))),
        h('td', {}, c.archivedAt ? 'yes' : ''),
      ),
    ),
  );
  $('#customers-caption').textContent =
    `${pagination.totalResultSize} customer${pagination.totalResultSize === 1 ? '' : 's'} of ${state.partition}`;
  $('#page-after').disabled = !pagination.after;
  $('#page-before').disabled = !pagination.before;
  $('#page-after').onclick = () => ((state.page = { after: pagination.after }), void render());
  $('#page-before').onclick = () => ((state.page = { before: pagination.before }), void render());
  say('');
}

$('#customer-search').addEventListener('submit', (event) => {
  event.preventDefault();
  state.page = {};
  void render();
});
$('#include-archived').addEventListener('change', () => ((state.page = {}), void render()));

for (const to of ['fixtures', 'empty']) {
  $(`#reset-${to}`).addEventListener('click', async () => {
    // Without a partition the call would carry no credentials: never a reset of every partition from here.
    if (!state.partition) return say('Pick or type a partition first: the dashboard resets one partition at a time.');
    if (!confirm(`Reset partition ${state.partition} to ${to === 'empty' ? 'nothing' : 'the fixtures'}?`)) return;
    try {
      await call('POST', '/__admin/reset', { to });
      state.page = {};
      await showCustomers();
      say(`Partition ${state.partition} reset to ${to}.`);
    } catch (err) {
      if (!(err instanceof NeedsCredentials)) say(err.message);
    }
  });
}
$('#seed-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const { items } = await call('POST', '/__admin/seed', { count: Number($('#seed-count').value), seed: Date.now() % 100000 });
    await showCustomers();
    say(`Added ${items.length} faker customers.`);
  } catch (err) {
    if (!(err instanceof NeedsCredentials)) say(err.message);
  }
});

// One customer: its fields, contacts, aliases, custom properties, and its organizations as trees.
async function showCustomer(id) {
  const current = ticket('customer');
  const [customer, aliases] = await Promise.all([
    call('GET', `/api/customers/${encodeURIComponent(id)}`),
    call('GET', `/api/customers/${encodeURIComponent(id)}/aliases`),
  ]);
  if (!current()) return;
  $('#customer-title').textContent = customer.legalName;
  const address = customer.address;
  const fields = {
    id: customer.id,
    status: customer.status,
    'tax status': customer.taxStatus,
    label: customer.label,
    url: customer.url,
    address: [address.line1, address.line2, address.town, address.state, address.postcode, address.country].filter(Boolean).join(', '),
    integrations: customer.integrationIds.map((i) => `${i.service} ${i.id}${i.isPending ? ' (pending)' : ''}`).join('; '),
    created: customer.createdAt,
    archived: customer.archivedAt,
  };
  $('#customer-fields').replaceChildren(
    ...Object.entries(fields)
      .filter(([, value]) => value !== undefined && value !== '')
      .flatMap(([name, value]) => [h('dt', {}, name), h('dd', {}, value)]),
  );
  const properties = Object.entries(customer.customProperties ?? {});
  $('#customer-properties').replaceChildren(
    ...(properties.length === 0 ? [h('dd', {}, 'none')] : properties.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
  );
  $('#customer-aliases').replaceChildren(
    ...(aliases.items.length === 0 ? [h('li', {}, 'none')] : aliases.items.map((a) => h('li', {}, h('code', {}, a.value)))),
  );
  $('#customer-contacts tbody').replaceChildren(
    ...customer.contacts.map((c) =>
      h('tr', {}, h('td', {}, c.name), h('td', {}, c.email), h('td', {}, c.billingPreference), h('td', {}, c.archivedAt ? 'yes' : '')),
    ),
  );
  const trees = customer.organizations.map((o) => organizationTree(o, customer.id));
  $('#customer-organizations').replaceChildren(...(trees.length === 0 ? [h('p', {}, 'Not in an organization.')] : trees));
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

// The journal, polled while the view is open: new requests appear without reloading.
async function showRequests() {
  const current = ticket('requests');
  const { items } = await call('GET', '/__admin/requests?limit=100');
  if (!current()) return;
  const newest = items[0]?.id;
  if (newest === state.lastJournalId && $('#requests-table tbody').childElementCount > 0) return;
  state.lastJournalId = newest;
  $('#requests-table tbody').replaceChildren(...items.flatMap((entry) => journalRows(entry)));
  say('');
}

function journalRows(entry) {
  const open = state.expanded.has(entry.id);
  const toggle = () => {
    if (open) state.expanded.delete(entry.id);
    else state.expanded.add(entry.id);
    state.lastJournalId = undefined;
    void showRequests();
  };
  const status = entry.status >= 500 ? 'server-error' : entry.status >= 400 ? 'client-error' : 'ok';
  const row = h(
    'tr',
    { class: status },
    h('td', {}, entry.method),
    h('td', {}, h('button', { type: 'button', class: 'link', 'aria-expanded': String(open), onclick: toggle }, entry.path)),
    h('td', {}, String(entry.status)),
    h('td', {}, `${entry.ms.toFixed(1)} ms`),
    h('td', {}, h('time', { datetime: entry.time }, entry.time.slice(11, 23))),
  );
  if (!open) return [row];
  const errors = entry.errors ?? [];
  const detail = h(
    'tr',
    { class: 'detail' },
    h(
      'td',
      { colspan: '5' },
      errors.length > 0
        ? h(
            'div',
            {},
            h('h3', {}, 'Violations'),
            h('ul', { class: 'violations' }, ...errors.map((e) => h('li', {}, h('mark', {}, e.path), ` ${e.message}`))),
          )
        : undefined,
      (entry.divergences ?? []).length > 0
        ? h(
            'div',
            {},
            h('h3', {}, 'Divergences from the document'),
            h(
              'ul',
              { class: 'violations' },
              ...entry.divergences.map((d) => h('li', {}, `${d.side} `, h('mark', {}, d.path), ` ${d.message}`)),
            ),
          )
        : undefined,
      h('h3', {}, 'Body'),
      h(
        'pre',
        {},
        entry.body === undefined
          ? '(none)'
          : highlighted(
              entry.body,
              errors.map((e) => e.path),
            ),
      ),
    ),
  );
  return [row, detail];
}

/** The body as JSON, with the fields a violation names marked. */
function highlighted(body, paths) {
  const names = new Set(paths.filter((p) => p.startsWith('/body/')).map((p) => p.slice('/body/'.length).split('/')[0]));
  return JSON.stringify(body, null, 2)
    .split('\n')
    .flatMap((line) => {
      const key = /^\s*"([^"]+)":/.exec(line)?.[1];
      return [key !== undefined && names.has(key) && /^ {2}"/.test(line) ? h('mark', {}, line) : line, '\n'];
    });
}

$('#requests-clear').addEventListener('click', async () => {
  await call('DELETE', '/__admin/requests');
  state.lastJournalId = undefined;
  await showRequests();
});
setInterval(() => {
  if (route().view === 'requests' && $('#requests-live').checked && state.partition && !document.hidden)
    void showRequests().catch(() => undefined);
}, LIVE_MS);

// Fault rules: added from the form, scoped to this partition, with their matched counts.
$('#fault-code').replaceChildren(...FAULT_CODES.map((code) => h('option', { value: String(code), selected: code === 503 }, String(code))));

async function showFaults() {
  const current = ticket('faults');
  const { items } = await call('GET', '/__admin/faults');
  if (!current()) return;
  $('#faults-table tbody').replaceChildren(
    ...items.map((rule) =>
      h(
        'tr',
        {},
        h('td', {}, rule.id),
        h('td', {}, `${rule.match.method ?? 'any method'} ${rule.match.path ?? 'any path'}`),
        h(
          'td',
          {},
          `${rule.respond.code ?? ''}${rule.respond.delay ? ` after ${rule.respond.delay} ms` : ''}${rule.probability < 1 ? `, p=${rule.probability}` : ''}`,
        ),
        h('td', {}, String(rule.matched)),
        h('td', {}, rule.times === undefined ? 'until removed' : String(rule.times)),
        h(
          'td',
          {},
          h(
            'button',
            {
              type: 'button',
              'aria-label': `Remove ${rule.id}`,
              onclick: async () => {
                await call('DELETE', `/__admin/faults/${encodeURIComponent(rule.id)}`);
                await showFaults();
              },
            },
            'Remove',
          ),
        ),
      ),
    ),
  );
  say('');
}

$('#fault-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const match = {};
  if ($('#fault-method').value) match.method = $('#fault-method').value;
  if ($('#fault-path').value.trim()) match.path = $('#fault-path').value.trim();
  const respond = { code: Number($('#fault-code').value) };
  if (Number($('#fault-delay').value) > 0) respond.delay = Number($('#fault-delay').value);
  const rule = { match, respond, probability: Number($('#fault-probability').value) };
  if ($('#fault-times').value) rule.times = Number($('#fault-times').value);
  try {
    const added = await call('POST', '/__admin/faults', rule);
    await showFaults();
    say(`Added ${added.id}.`);
  } catch (err) {
    if (!(err instanceof NeedsCredentials)) say(err.message);
  }
});

// The rest of the API that keeps state: listed from Sequence's own list operations.
const RESOURCES = [
  { title: 'Billing schedules', path: '/api/billing-schedules', columns: ['id', 'customerId', 'status', 'startDate'] },
  { title: 'Usage events', path: '/api/usage-events', columns: ['id', 'customerAlias', 'eventType', 'eventTimestamp'] },
];

async function showResources() {
  const sections = [];
  for (const resource of RESOURCES) {
    const { items } = await call('GET', `${resource.path}?limit=100`);
    sections.push(
      h('h3', {}, `${resource.title} (${items.length})`),
      h(
        'table',
        {},
        h('caption', { class: 'visually-hidden' }, resource.title),
        h('thead', {}, h('tr', {}, ...resource.columns.map((c) => h('th', { scope: 'col' }, c)))),
        h(
          'tbody',
          {},
          ...items.map((item) => h('tr', {}, ...resource.columns.map((c) => h('td', {}, item[c] === undefined ? '' : String(item[c]))))),
        ),
      ),
    );
  }
  $('#resources').replaceChildren(...sections);
  say('');
}

// The test clock: read it, move it; each move forward answers the invoices its billing run made.
const runs = [];

async function showClock() {
  const current = ticket('clock');
  const clock = await call('GET', '/__admin/clock');
  if (!current()) return;
  $('#clock-now').textContent = clock.now;
  $('#clock-kind').textContent = clock.testClock ? '(test clock)' : "(the server's clock)";
  $('#clock-runs tbody').replaceChildren(
    ...runs.map(({ to, invoice }) =>
      h(
        'tr',
        {},
        h('td', {}, to),
        h('td', {}, invoice.invoiceNumber ?? invoice.id),
        h(
          'td',
          {},
          h('a', { href: `#/customers/${encodeURIComponent(invoice.customerId)}` }, invoice.customerLegalCompanyName ?? invoice.customerId),
        ),
        h('td', {}, invoice.billingPeriod ? `${invoice.billingPeriod.start} to ${invoice.billingPeriod.endInclusive}` : ''),
        h('td', {}, invoice.status),
        h('td', {}, `${invoice.grossTotal} ${invoice.currency}`),
      ),
    ),
  );
  say('');
}

async function moved(result) {
  const invoices = await Promise.all(result.invoices.map((id) => call('GET', `/api/invoices/${encodeURIComponent(id)}`)));
  runs.unshift(...invoices.reverse().map((invoice) => ({ to: result.now, invoice })));
  await showClock();
  say(`The clock reads ${result.now}: ${result.invoices.length} invoice(s) made.`);
}

$('#clock-advance').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await moved(await call('POST', '/__admin/clock/advance', { by: $('#clock-by').value.trim() }));
  } catch (err) {
    if (!(err instanceof NeedsCredentials)) say(err.message);
  }
});

$('#clock-set').addEventListener('click', async () => {
  try {
    if (!$('#clock-at').value) return say('Pick a date and time to put the clock at.');
    await moved(await call('PUT', '/__admin/clock', { now: new Date(`${$('#clock-at').value}Z`).toISOString() }));
  } catch (err) {
    if (!(err instanceof NeedsCredentials)) say(err.message);
  }
});

$('#clock-reset').addEventListener('click', async () => {
  try {
    await call('DELETE', '/__admin/clock');
    await showClock();
  } catch (err) {
    if (!(err instanceof NeedsCredentials)) say(err.message);
  }
});

if (!location.hash) location.replace('#/customers');
void render();
