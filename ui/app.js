// The dashboard: plain DOM, no framework and no build step. It reads and steers the fake only through
// the admin API (/__admin) and Sequence's API (/api), as a test or a client would. This module picks
// the partition and the view; the views are in customers.js, billing.js, records.js and tools.js.
import { call, guarded, onCredentials, state } from './api.js';
import { showInvoice } from './billing.js';
import { firstPage, showCustomer, showCustomers } from './customers.js';
import { $, h, say } from './dom.js';
import { showCollection, showIndex, showRecord } from './records.js';
import { FAULT_CODES, faultRule, forgetJournal, moved, showClock, showFaults, showRequests, showWebhooks } from './tools.js';

const LIVE_MS = 1000;
let drawn = 0;

/**
 * A view fetches, then draws. Two fetches of the same view can finish out of order (a click while a
 * page loads), so each takes a ticket and draws only if no later one was taken since.
 */
function ticket(view) {
  const mine = (drawn += 1);
  return () => drawn === mine && route().view === view;
}

// Partitions: the client ids the fake keeps, most recently used first.
async function loadPartitions() {
  const { items } = await call('GET', '/__admin/partitions');
  const ids = state.partition && !items.includes(state.partition) ? [state.partition, ...items] : items;
  $('#partition').replaceChildren(...ids.map((id) => h('option', { value: id, selected: id === state.partition }, id)));
  if (!state.partition && ids.length > 0) usePartition(ids[0]);
}

function usePartition(id) {
  state.partition = id;
  firstPage();
  forgetJournal();
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
  // render() loads the partitions and handles a refusal (no unhandled rejection without a token).
  void render();
});
onCredentials(() => render());

/** #/customers[/<id>], #/invoices/<id>, #/records[/<collection>[/<id>]], #/requests, #/faults, #/webhooks, #/clock. */
function route() {
  const [path, query = ''] = location.hash.slice(1).split('?');
  const [, view = 'customers', a, b] = path.split('/').map((part) => (part === undefined ? part : decodeURIComponent(part)));
  const after = new URLSearchParams(query).get('after') ?? undefined;
  if (view === 'customers' && a) return { view: 'customer', id: a };
  if (view === 'invoices' && a) return { view: 'invoice', id: a };
  if (view === 'records') return { view: b ? 'record' : a ? 'collection' : 'records', collection: a, id: b, after };
  return { view };
}

const SECTION = { customer: 'customer', invoice: 'invoice', records: 'records', collection: 'records', record: 'records' };
const NAV = { customer: 'customers', invoice: 'invoices', collection: 'records', record: 'records' };

async function render() {
  const where = route();
  const section = `view-${SECTION[where.view] ?? where.view}`;
  for (const element of document.querySelectorAll('main > section')) element.hidden = element.id !== section;
  // Invoices is a link to the invoices' list; an invoice or any record is under its nav entry.
  const current = where.view === 'collection' && where.collection === '/invoices' ? 'invoices' : (NAV[where.view] ?? where.view);
  for (const link of document.querySelectorAll('nav a'))
    if (link.dataset.view === current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  await guarded(async () => {
    await loadPartitions();
    $('#partition-actions').hidden = !state.partition;
    if (!state.partition) return say('No partition yet: send a request with Basic credentials, or type a client id above.');
    const isCurrent = ticket(where.view);
    if (where.view === 'customers') await showCustomers(isCurrent, render);
    else if (where.view === 'customer') await showCustomer(where.id, isCurrent);
    else if (where.view === 'invoice') await showInvoice(where.id, isCurrent);
    else if (where.view === 'records') await showIndex(isCurrent);
    else if (where.view === 'collection') await showCollection(where.collection, isCurrent, where.after);
    else if (where.view === 'record') await showRecord(where.collection, where.id, isCurrent);
    else if (where.view === 'requests') await showRequests(isCurrent);
    else if (where.view === 'faults') await showFaults(isCurrent);
    else if (where.view === 'webhooks') await showWebhooks(isCurrent);
    else if (where.view === 'clock') await showClock(isCurrent);
    // Focus follows a view change made from the keyboard, so the next Tab starts in the view.
    if (document.activeElement?.closest('nav, main a')) $('#main').focus({ preventScroll: true });
  });
}
window.addEventListener('hashchange', () => void render());

// Customers' controls.
$('#customer-search').addEventListener('submit', (event) => {
  event.preventDefault();
  firstPage();
  void render();
});
$('#include-archived').addEventListener('change', () => (firstPage(), void render()));

/** The partition's changes: never without a partition (no call without credentials resets or seeds anything). */
const inPartition = (work) => () => {
  if (!state.partition) return say('Pick or type a partition first: the dashboard changes one partition at a time.');
  return guarded(work);
};
for (const to of ['fixtures', 'empty']) {
  $(`#reset-${to}`).addEventListener(
    'click',
    inPartition(async () => {
      if (!confirm(`Reset partition ${state.partition} to ${to === 'empty' ? 'nothing' : 'the fixtures'}?`)) return;
      await call('POST', '/__admin/reset', { to });
      firstPage();
      await showCustomers(ticket('customers'), render);
      say(`Partition ${state.partition} reset to ${to}.`);
    }),
  );
}
$('#seed-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void inPartition(async () => {
    const { items } = await call('POST', '/__admin/seed', { count: Number($('#seed-count').value), seed: Date.now() % 100000 });
    await showCustomers(ticket('customers'), render);
    say(`Added ${items.length} faker customers.`);
  })();
});

// The tools' controls.
$('#requests-clear').addEventListener(
  'click',
  inPartition(async () => {
    await call('DELETE', '/__admin/requests');
    forgetJournal();
    await showRequests(ticket('requests'));
  }),
);
setInterval(() => {
  if (route().view === 'requests' && $('#requests-live').checked && state.partition && !document.hidden)
    void showRequests(ticket('requests')).catch(() => undefined);
}, LIVE_MS);

$('#fault-code').replaceChildren(...FAULT_CODES.map((code) => h('option', { value: String(code), selected: code === 503 }, String(code))));
$('#fault-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void inPartition(async () => {
    const added = await call('POST', '/__admin/faults', faultRule());
    await showFaults(ticket('faults'));
    say(`Added ${added.id}.`);
  })();
});

$('#webhooks-paused').addEventListener(
  'change',
  inPartition(async () => {
    const { paused } = await call('PUT', '/__admin/webhooks/paused', { paused: $('#webhooks-paused').checked });
    say(paused ? 'Deliveries paused: events queue until you resume.' : 'Deliveries resumed.');
    await showWebhooks(ticket('webhooks'));
  }),
);
$('#webhooks-refresh').addEventListener(
  'click',
  inPartition(() => showWebhooks(ticket('webhooks'))),
);

$('#clock-advance').addEventListener('submit', (event) => {
  event.preventDefault();
  void inPartition(async () => moved(await call('POST', '/__admin/clock/advance', { by: $('#clock-by').value.trim() }), ticket('clock')))();
});
$('#clock-set').addEventListener(
  'click',
  inPartition(async () => {
    if (!$('#clock-at').value) return say('Pick a date and time to put the clock at.');
    await moved(await call('PUT', '/__admin/clock', { now: new Date(`${$('#clock-at').value}Z`).toISOString() }), ticket('clock'));
  }),
);
$('#clock-reset').addEventListener(
  'click',
  inPartition(async () => {
    await call('DELETE', '/__admin/clock');
    await showClock(ticket('clock'));
  }),
);

// A first visit lands on the customers; setting the hash draws it (hashchange), so draw only once.
if (!location.hash) location.replace('#/customers');
else void render();
