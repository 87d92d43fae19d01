// The fake's own tools: the request journal, fault rules, webhook deliveries and the test clock, each
// read and steered through the admin API.
import { call, guarded, state } from './api.js';
import { $, fill, h, money, say, table, when } from './dom.js';

/** Prefer codes a fault rule may answer with (PREFER_CODES in src/http/mock-controls.ts; a test checks they agree). */
export const FAULT_CODES = [400, 401, 404, 409, 429, 500, 503];

const expanded = new Set();
let lastJournalId;
export const forgetJournal = () => {
  lastJournalId = undefined;
  expanded.clear();
};

/** A toggle button that opens a detail row under its own (aria-expanded says which). */
const toggle = (open, label, onclick) => h('button', { type: 'button', class: 'link', 'aria-expanded': String(open), onclick }, label);

// The journal, polled while the view is open: new requests appear without reloading.
export async function showRequests(isCurrent) {
  const { items } = await call('GET', '/__admin/requests?limit=100');
  if (!isCurrent()) return;
  const newest = items[0]?.id;
  if (newest !== undefined && newest === lastJournalId) return;
  lastJournalId = newest;
  fill(
    $('#requests-table tbody'),
    items.flatMap((entry) => journalRows(entry, isCurrent)),
    'No requests in this partition yet.',
  );
  say('');
}

function journalRows(entry, isCurrent) {
  const open = expanded.has(entry.id);
  const flip = () => {
    if (open) expanded.delete(entry.id);
    else expanded.add(entry.id);
    lastJournalId = undefined;
    void guarded(() => showRequests(isCurrent));
  };
  const kind = entry.status >= 500 ? 'server-error' : entry.status >= 400 ? 'client-error' : 'ok';
  const row = h(
    'tr',
    { class: kind },
    h('td', {}, entry.method),
    h('td', {}, toggle(open, entry.path, flip)),
    h('td', {}, entry.version ?? ''),
    h('td', {}, String(entry.status)),
    h('td', {}, `${entry.ms.toFixed(1)} ms`),
    h('td', {}, h('time', { datetime: entry.time }, entry.time.slice(11, 23))),
  );
  if (!open) return [row];
  const errors = entry.errors ?? [];
  const list = (title, items) =>
    items.length > 0 ? h('div', {}, h('h3', {}, title), h('ul', { class: 'violations' }, ...items)) : undefined;
  const detail = h(
    'tr',
    { class: 'detail' },
    h(
      'td',
      { colspan: '6' },
      list(
        'Violations',
        errors.map((e) => h('li', {}, h('mark', {}, e.path), ` ${e.message}`)),
      ),
      list(
        'Divergences from the document',
        (entry.divergences ?? []).map((d) => h('li', {}, `${d.side} `, h('mark', {}, d.path), ` ${d.message}`)),
      ),
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

// Fault rules: added from the form, scoped to this partition, with their matched counts.
export async function showFaults(isCurrent) {
  const { items } = await call('GET', '/__admin/faults');
  if (!isCurrent()) return;
  const remove = (rule) => () =>
    guarded(async () => {
      await call('DELETE', `/__admin/faults/${encodeURIComponent(rule.id)}`);
      await showFaults(isCurrent);
    });
  fill(
    $('#faults-table tbody'),
    items.map((rule) =>
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
        h('td', {}, h('button', { type: 'button', 'aria-label': `Remove ${rule.id}`, onclick: remove(rule) }, 'Remove')),
      ),
    ),
    'No fault rules: every request is answered as the document says.',
  );
  say('');
}

export function faultRule() {
  const match = {};
  if ($('#fault-method').value) match.method = $('#fault-method').value;
  if ($('#fault-path').value.trim()) match.path = $('#fault-path').value.trim();
  const respond = { code: Number($('#fault-code').value) };
  if (Number($('#fault-delay').value) > 0) respond.delay = Number($('#fault-delay').value);
  const rule = { match, respond, probability: Number($('#fault-probability').value) };
  if ($('#fault-times').value) rule.times = Number($('#fault-times').value);
  return rule;
}

// Webhook deliveries: each event sent to each policy's URL, its attempts and the exact body; redeliver.
const openDeliveries = new Set();

export async function showWebhooks(isCurrent) {
  const { items, paused, dropped } = await call('GET', '/__admin/webhooks?limit=100');
  if (!isCurrent()) return;
  $('#webhooks-paused').checked = paused === true;
  $('#webhooks-dropped').textContent = dropped ? `${dropped} delivery(ies) dropped by the cap.` : '';
  const redeliver = (delivery) => () =>
    guarded(async () => {
      await call('POST', `/__admin/webhooks/${encodeURIComponent(delivery.id)}/redeliver`);
      await showWebhooks(isCurrent);
      say(`Redelivering ${delivery.notificationType} to ${delivery.url}.`);
    });
  const rows = items.flatMap((delivery) => {
    const open = openDeliveries.has(delivery.id);
    const last = delivery.attempts.at(-1);
    const row = h(
      'tr',
      { class: delivery.status === 'FAILED' ? 'client-error' : undefined },
      h(
        'td',
        {},
        toggle(open, delivery.notificationType, () => {
          if (open) openDeliveries.delete(delivery.id);
          else openDeliveries.add(delivery.id);
          void guarded(() => showWebhooks(isCurrent));
        }),
      ),
      h('td', {}, h('code', {}, delivery.url)),
      h('td', {}, delivery.status),
      h('td', {}, String(delivery.attempts.length)),
      h('td', {}, last ? (last.statusCode ? String(last.statusCode) : (last.error ?? '')) : 'not yet'),
      h('td', {}, when(delivery.createdAt)),
      h(
        'td',
        {},
        h(
          'button',
          { type: 'button', 'aria-label': `Redeliver ${delivery.notificationType} ${delivery.id}`, onclick: redeliver(delivery) },
          'Redeliver',
        ),
      ),
    );
    if (!open) return [row];
    const attempts = table(
      'Attempts',
      ['At', 'Answer', 'Took', 'Sequence-Signature sent'],
      delivery.attempts.map((a) =>
        h(
          'tr',
          {},
          h('td', {}, when(a.at)),
          h('td', {}, a.statusCode ? String(a.statusCode) : (a.error ?? '')),
          h('td', {}, `${a.durationMs} ms`),
          h('td', {}, h('code', {}, a.signature)),
        ),
      ),
      'No attempt yet.',
    );
    let body = delivery.body;
    try {
      body = JSON.stringify(JSON.parse(delivery.body), null, 2);
    } catch {
      // Shown as sent.
    }
    const next = delivery.nextAttemptAt ? h('p', {}, 'Next attempt at ', when(delivery.nextAttemptAt)) : undefined;
    return [row, h('tr', { class: 'detail' }, h('td', { colspan: '7' }, next, attempts, h('h3', {}, 'Body sent'), h('pre', {}, body)))];
  });
  fill($('#webhooks-table tbody'), rows, 'No deliveries: add a WEBHOOK notification policy, then change something.');
  say('');
}

// The test clock: read it, move it; each move forward answers the invoices its billing run made.
const runs = [];

export async function showClock(isCurrent) {
  const clock = await call('GET', '/__admin/clock');
  if (!isCurrent()) return;
  $('#clock-now').textContent = clock.now;
  $('#clock-kind').textContent = clock.testClock ? '(test clock)' : "(the server's clock)";
  fill(
    $('#clock-runs tbody'),
    runs
      .filter((run) => run.partition === state.partition)
      .map(({ to, invoice }) =>
        h(
          'tr',
          {},
          h('td', {}, to),
          h('td', {}, h('a', { href: `#/invoices/${encodeURIComponent(invoice.id)}` }, invoice.invoiceNumber ?? 'draft')),
          h(
            'td',
            {},
            h(
              'a',
              { href: `#/customers/${encodeURIComponent(invoice.customerId)}` },
              invoice.customerLegalCompanyName ?? invoice.customerId,
            ),
          ),
          h('td', {}, invoice.billingPeriod ? `${invoice.billingPeriod.start} to ${invoice.billingPeriod.endInclusive}` : ''),
          h('td', {}, invoice.status),
          h('td', { class: 'number' }, money(invoice.grossTotal, invoice.currency)),
        ),
      ),
    'No runs from this page yet: advance the clock to bill what falls due.',
  );
  say('');
}

export async function moved(result, isCurrent) {
  const invoices = await Promise.all(result.invoices.map((id) => call('GET', `/api/invoices/${encodeURIComponent(id)}`)));
  runs.unshift(...invoices.reverse().map((invoice) => ({ to: result.now, invoice, partition: state.partition })));
  await showClock(isCurrent);
  say(`The clock reads ${result.now}: ${result.invoices.length} invoice(s) made.`);
}
