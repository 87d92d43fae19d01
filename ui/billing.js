// The billing picture as a billing person reads it: an invoice with its lines, groups, tax, totals,
// status history, credit notes applied and balance; and a customer's schedules, invoices, usage and
// balances. Everything is read from Sequence's API (and the journal, for the history).
import { call, recordHref } from './api.js';
import { $, h, money, pairs, put, say, table, when } from './dom.js';
import { collections, linkTo, namer } from './records.js';

const id = encodeURIComponent;

/** Sums decimal strings exactly (scaled BigInts): the page adds money without floats. */
export function sum(amounts) {
  const parts = amounts.filter((a) => typeof a === 'string' && /^-?\d+(\.\d+)?$/.test(a));
  const scale = Math.max(0, ...parts.map((a) => (a.split('.')[1] ?? '').length));
  const total = parts.reduce((acc, a) => {
    const [whole, fraction = ''] = a.replace('-', '').split('.');
    const scaled = BigInt(whole + fraction.padEnd(scale, '0'));
    return acc + (a.startsWith('-') ? -scaled : scaled);
  }, 0n);
  const sign = total < 0n ? '-' : '';
  const digits = (total < 0n ? -total : total).toString().padStart(scale + 1, '0');
  return scale === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

const status = (text) => (text ? h('span', { class: `badge badge-${String(text).toLowerCase()}` }, text) : '');
const period = (p) => (p ? `${p.start} to ${p.endInclusive}` : '');

/**
 * What happened to an invoice: made, issued, and each successful call on it that the journal still
 * holds (finalize, send, void, payment status), oldest first. A billing run's own steps leave no
 * request, so its invoices show their dates.
 */
async function history(invoice) {
  const steps = [];
  if (invoice.createdAt) steps.push({ at: invoice.createdAt, what: 'Created' });
  const journal = await call('GET', `/__admin/requests?path=${id(`/invoices/${invoice.id}`)}&limit=100`).catch(() => ({ items: [] }));
  // The calls on the invoice itself (an update) or one of its actions; writes to its lines are not steps.
  const lists = new Set((await collections()).find((c) => c.name === '/invoices')?.children.map((c) => c.path.split('/').pop()));
  for (const entry of journal.items) {
    const action = entry.path.split('?')[0].split(`/invoices/${invoice.id}`)[1]?.replace(/^\//, '') ?? '';
    if (entry.method !== 'GET' && entry.status < 300 && !action.includes('/') && !lists.has(action))
      steps.push({ at: entry.time, what: `${entry.method} ${action || 'updated'}` });
  }
  // A date without a time: after that day's timed steps.
  if (invoice.issueDate) steps.push({ at: `${invoice.issueDate}T~`, what: 'Issued', day: true });
  return steps
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
    .map((step) => h('li', {}, step.day ? step.at.slice(0, 10) : when(step.at), ` ${step.what}`));
}

/** #/invoices/<id>. */
export async function showInvoice(invoiceId, isCurrent) {
  const [invoice, lines, groups] = await Promise.all([
    call('GET', `/api/invoices/${id(invoiceId)}`),
    call('GET', `/api/invoices/${id(invoiceId)}/line-items?limit=100&sortOrder=ASC`),
    call('GET', `/api/invoices/${id(invoiceId)}/line-item-groups?limit=100&sortOrder=ASC`),
  ]);
  const names = namer();
  const steps = await history(invoice);
  const customer = invoice.customerId ? await linkTo('/customers', invoice.customerId, names) : invoice.customerLegalCompanyName;
  const schedule = invoice.billingScheduleId ? await linkTo('/billing-schedules', invoice.billingScheduleId, names) : undefined;
  if (!isCurrent()) return;
  const c = invoice.currency;
  const groupTitle = new Map(groups.items.map((g) => [g.id, g.title]));
  // Tax by rate: what each rate was charged on, and what it came to.
  const rates = [...new Set(lines.items.map((line) => line.taxRate ?? '0'))];
  const applied = invoice.appliedCreditNotes ?? [];
  $('#invoice-title').textContent = invoice.invoiceNumber ? `Invoice ${invoice.invoiceNumber}` : 'Invoice (no number until finalized)';
  $('#invoice-status').replaceChildren(status(invoice.status), ' ', status(invoice.paymentStatus));
  $('#invoice-fields').replaceChildren(
    pairs([
      ['Customer', customer],
      ['Billing schedule', schedule],
      ['Currency', c],
      ['Billing period', period(invoice.billingPeriod)],
      ['Issue date', invoice.issueDate],
      ['Due date', invoice.dueDate],
      ['Sent to', (invoice.customerEmails ?? []).join(', ')],
      ['Memo', invoice.memo],
    ]),
  );
  put(
    $('#invoice-lines'),
    table(
      'Lines',
      ['Line', 'Group', 'Quantity', 'Rate', 'Tax rate', 'Net', 'Tax', 'Gross'],
      lines.items.map((line) =>
        h(
          'tr',
          {},
          h('td', {}, line.title, line.description ? h('div', { class: 'hint' }, line.description) : ''),
          h('td', {}, groupTitle.get(line.groupId) ?? ''),
          h('td', { class: 'number' }, line.quantity),
          h('td', { class: 'number' }, line.rate),
          h('td', { class: 'number' }, line.taxRate ?? ''),
          h('td', { class: 'number' }, line.netTotal),
          h('td', { class: 'number' }, line.totalTax),
          h('td', { class: 'number' }, line.grossTotal),
        ),
      ),
      'No lines on this invoice.',
    ),
    groups.items.length > 0
      ? table(
          'Groups',
          ['Group', 'Net', 'Tax', 'Gross'],
          groups.items.map((g) =>
            h(
              'tr',
              {},
              h('td', {}, g.title),
              h('td', { class: 'number' }, g.netTotal),
              h('td', { class: 'number' }, g.totalTax),
              h('td', { class: 'number' }, g.grossTotal),
            ),
          ),
          '',
        )
      : undefined,
    table(
      'Tax by rate',
      ['Rate', 'Charged on', 'Tax'],
      rates.map((rate) => {
        const at = lines.items.filter((line) => (line.taxRate ?? '0') === rate);
        return h(
          'tr',
          {},
          h('td', {}, rate),
          h('td', { class: 'number' }, money(sum(at.map((l) => l.netTotal)), c)),
          h('td', { class: 'number' }, money(sum(at.map((l) => l.totalTax)), c)),
        );
      }),
      'No tax: no lines.',
    ),
  );
  $('#invoice-totals').replaceChildren(
    pairs([
      ['Net total', money(invoice.netTotal, c)],
      ['Tax', money(invoice.totalTax, c)],
      ['Gross total', money(invoice.grossTotal, c)],
      // What credit notes took off: the gross total less what is still owed.
      ['Credit applied', applied.length > 0 && invoice.balance ? money(sum([invoice.grossTotal, `-${invoice.balance}`]), c) : undefined],
      ['Balance owed', money(invoice.balance, c)],
    ]),
  );
  put(
    $('#invoice-credits'),
    table(
      'Credit notes applied',
      ['Credit note', 'Its net', 'Its tax', 'Its gross'],
      applied.map((note) =>
        h(
          'tr',
          {},
          h('td', {}, h('a', { href: recordHref('/credit-notes', note.id) }, note.creditNoteNumber ?? note.id)),
          h('td', { class: 'number' }, money(note.netTotal, c)),
          h('td', { class: 'number' }, money(note.totalTax, c)),
          h('td', { class: 'number' }, money(note.grossTotal, c)),
        ),
      ),
      'No credit note applied.',
    ),
  );
  $('#invoice-history').replaceChildren(...steps, h('li', {}, 'Now ', status(invoice.status)));
  say('');
}

/** A customer's billing, under its fields: schedules, invoices, usage by its aliases, balances. */
export async function customerBilling(customer, aliases) {
  const who = id(customer.id);
  const [schedules, invoices, credit, seats, ...usage] = await Promise.all([
    call('GET', `/api/billing-schedules?customerId=${who}&limit=100`),
    call('GET', `/api/invoices?customerId=${who}&limit=100`),
    call('GET', `/api/credits/${who}/balances`).catch(() => ({ items: [] })),
    call('GET', `/api/seat-balances?customerIds=${who}`).catch(() => ({ items: [] })),
    ...aliases.map((alias) => call('GET', `/api/usage-events?customerAlias=${id(alias)}&limit=20`)),
  ]);
  const events = usage.flatMap((page) => page.items).sort((a, b) => b.eventTimestamp.localeCompare(a.eventTimestamp));
  // What is owed: the balance of each issued, unpaid invoice (a list item has no balance; the invoice does).
  const open = invoices.items.filter((i) => ['FINAL', 'SENT'].includes(i.status) && i.paymentStatus !== 'PAID');
  const balances = new Map(await Promise.all(open.map(async (i) => [i.id, (await call('GET', `/api/invoices/${id(i.id)}`)).balance])));
  const owed = new Map();
  for (const invoice of open) {
    const balance = balances.get(invoice.id);
    if (balance) owed.set(invoice.currency, [...(owed.get(invoice.currency) ?? []), balance]);
  }
  return [
    h('h3', {}, 'Billing schedules'),
    table(
      'Billing schedules',
      ['Schedule', 'Status', 'Start', 'End', 'Prices'],
      schedules.items.map((s) =>
        h(
          'tr',
          {},
          h('td', {}, h('a', { href: `#/records/${id('/billing-schedules')}/${id(s.id)}` }, s.label || s.id)),
          h('td', {}, status(s.status)),
          h('td', {}, s.startDate ?? ''),
          h('td', {}, s.endDate ?? 'open-ended'),
          h('td', {}, (s.prices ?? []).map((p) => p.name).join(', ')),
        ),
      ),
      'No billing schedules.',
      { hiddenCaption: true },
    ),
    h('h3', {}, 'Invoices'),
    table(
      'Invoices',
      ['Invoice', 'Status', 'Period', 'Gross', 'Balance'],
      invoices.items.map((i) =>
        h(
          'tr',
          {},
          h('td', {}, h('a', { href: `#/invoices/${id(i.id)}` }, i.invoiceNumber ?? `Draft of ${i.createdAt?.slice(0, 10) ?? ''}`)),
          h('td', {}, status(i.status)),
          h('td', {}, period(i.billingPeriod)),
          h('td', { class: 'number' }, money(i.grossTotal, i.currency)),
          h('td', { class: 'number' }, money(balances.get(i.id), i.currency)),
        ),
      ),
      'No invoices.',
      { hiddenCaption: true },
    ),
    h('h3', {}, 'Balances'),
    pairs(
      [
        ...[...owed].map(([currency, amounts]) => [`Owed (${currency})`, money(sum(amounts), currency)]),
        ...credit.items.map((b) => [`Credit: ${b.name} (${b.type})`, b.balance]),
        ...seats.items.flatMap((s) => (s.balances ?? []).map((b) => [`Seats: ${b.seatType}`, String(b.total)])),
      ],
      { id: 'customer-balances' },
      'Nothing owed, no credit, no seats.',
    ),
    h('h3', {}, 'Usage'),
    table(
      'Usage events',
      ['Event type', 'Alias', 'At', 'Properties'],
      events.slice(0, 20).map((e) =>
        h(
          'tr',
          {},
          h('td', {}, e.eventType),
          h('td', {}, h('code', {}, e.customerAlias)),
          h('td', {}, when(e.eventTimestamp)),
          h(
            'td',
            {},
            Object.entries(e.eventProperties ?? {})
              .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`)
              .join('; '),
          ),
        ),
      ),
      aliases.length === 0 ? 'No aliases, so no usage.' : 'No usage events.',
      { hiddenCaption: true },
    ),
  ];
}
