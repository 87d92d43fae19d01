// GET /invoices/summary and GET /invoices/list-summary: the partition's own invoices, with the
// totals computed from their lines (balances.ts), filtered as the query asks.
//   - Filters: invoiceStatus, invoicePaymentStatus, customerId, billingScheduleId, invoiceCurrency,
//     invoiceNumber (each one value or several, comma-separated), their exclude* opposites,
//     dueBefore/dueAfter (dueDate), invoiceBefore/invoiceAfter (issueDate), netTotal/excludeNetTotal,
//     and search (invoice number or customer name, case-insensitive). A date filter leaves out
//     invoices without that date. sentBefore/sentAfter are accepted and ignored: an invoice answer
//     has no field saying when it was sent.
//   - The summary totals grossTotal per currency, with the invoice count.
//   - The list-summary pages like every list (limit, after, before, sortOrder; newest first unless
//     the document says otherwise).
import { amountNumber, decimal } from '../../engine/money.js';
import type { Answer, Call, Json } from '../../engine/plugin.js';
import { slicePage } from '../../engine/paging.js';
import { CUSTOMERS } from '../../engine/records.js';
import type { StoredRecord } from '../../engine/store/types.js';
import { currencyOf, INVOICES, totalsAndBalance } from './balances.js';

const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));
const values = (value: unknown): string[] | undefined =>
  value === undefined
    ? undefined
    : text(value)
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);

const FIELDS: Record<string, string> = {
  invoiceStatus: 'status',
  invoicePaymentStatus: 'paymentStatus',
  customerId: 'customerId',
  billingScheduleId: 'billingScheduleId',
  invoiceCurrency: 'currency',
  invoiceNumber: 'invoiceNumber',
};
const capital = (name: string) => name[0]!.toUpperCase() + name.slice(1);

type Summarised = { invoice: StoredRecord; totals: { netTotal: string; totalTax: string; grossTotal: string } };

function matching(call: Call): Summarised[] {
  const { query } = call;
  const dated = (field: string, before: unknown, after: unknown) => (invoice: StoredRecord) => {
    if (before === undefined && after === undefined) return true;
    const at = typeof invoice[field] === 'string' ? Date.parse(String(invoice[field])) : NaN;
    if (Number.isNaN(at)) return false;
    return (before === undefined || at < Date.parse(text(before))) && (after === undefined || at > Date.parse(text(after)));
  };
  const checks = [
    ...Object.entries(FIELDS).flatMap(([param, field]) => {
      const wanted = values(query[param]);
      const unwanted = values(query[`exclude${capital(param)}`]);
      return [
        (invoice: StoredRecord) => wanted === undefined || wanted.includes(String(invoice[field])),
        (invoice: StoredRecord) => unwanted === undefined || !unwanted.includes(String(invoice[field])),
      ];
    }),
    dated('dueDate', query.dueBefore, query.dueAfter),
    dated('issueDate', query.invoiceBefore, query.invoiceAfter),
  ];
  const search = (text: unknown) => (invoice: StoredRecord) => {
    const needle = String(text).toLowerCase();
    const customer = call.partition.get(CUSTOMERS, String(invoice.customerId));
    return [invoice.invoiceNumber, customer?.legalName, invoice.customerLegalCompanyName].some(
      (field) => typeof field === 'string' && field.toLowerCase().includes(needle),
    );
  };
  return call.partition
    .all(INVOICES)
    .filter((invoice) => checks.every((check) => check(invoice)))
    .filter((invoice) => query.search === undefined || search(query.search)(invoice))
    .filter((invoice) => query.excludeSearch === undefined || !search(query.excludeSearch)(invoice))
    .map((invoice) => ({ invoice, totals: totalsAndBalance('invoice', invoice, call).totals }))
    .filter(({ totals }) => query.netTotal === undefined || decimal(totals.netTotal).equals(decimal(query.netTotal)))
    .filter(({ totals }) => query.excludeNetTotal === undefined || !decimal(totals.netTotal).equals(decimal(query.excludeNetTotal)));
}

export function invoiceSummary(call: Call): Answer {
  const byCurrency = new Map<string, { invoiceCount: number; gross: ReturnType<typeof decimal> }>();
  for (const { invoice, totals } of matching(call)) {
    const currency = currencyOf(invoice) ?? '';
    const sum = byCurrency.get(currency) ?? { invoiceCount: 0, gross: decimal(0) };
    byCurrency.set(currency, { invoiceCount: sum.invoiceCount + 1, gross: sum.gross.plus(decimal(totals.grossTotal)) });
  }
  const totalsByCurrency = [...byCurrency].map(([currency, { invoiceCount, gross }]) => ({
    currency,
    invoiceCount,
    grossTotal: amountNumber(gross, currency),
  }));
  return { body: { totalsByCurrency } };
}

export function invoiceListSummary(call: Call): Answer {
  const found = matching(call);
  const page = slicePage(
    found.map((entry) => ({ id: entry.invoice.id, entry })),
    call.query,
    call.operation.defaultOrder,
  );
  const items = page.items.map(({ entry: { invoice, totals } }): Json => {
    const customer = call.partition.get(CUSTOMERS, String(invoice.customerId));
    const optional = ['invoiceNumber', 'billingScheduleId', 'billingPeriod', 'dueDate'].filter((field) => invoice[field] !== undefined);
    return {
      id: invoice.id,
      ...Object.fromEntries(optional.map((field) => [field, invoice[field]])),
      status: invoice.status,
      paymentStatus: invoice.paymentStatus,
      currency: invoice.currency,
      grossTotal: totals.grossTotal,
      customerId: invoice.customerId,
      customerLegalCompanyName: customer?.legalName ?? invoice.customerLegalCompanyName,
      dueDateSource: invoice.dueDateSource,
      accountingDate: invoice.accountingDate,
      links: invoice.linkedServices ?? [],
    };
  });
  return { body: { items, pagination: page.pagination } };
}
