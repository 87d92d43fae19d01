// Balances and credit-note applications. An invoice's balance is what is still owed on it: its gross
// total less the credit applied to it; a credit note's is what is left to apply: its gross total less
// what it has applied. Each balance's version is the number of applications that moved it, so a
// client that read version n and applies with it is refused (409) once another application has
// moved the balance, as the document's request (creditNoteBalanceVersion, invoiceBalanceVersion)
// and its VersionConflictResponse say.
import { RuleViolation } from '../../engine/errors.js';
import { amount, amountNumber, decimal, sumTotals, type Decimal } from '../../engine/money.js';
import type { Answer, Call, Json } from '../../engine/plugin.js';
import { collection, named, type StoredRecord } from '../../engine/store/types.js';

export type ApplicationRecord = {
  id: string;
  creditNoteId: string;
  invoiceId: string;
  amount: string;
  currency: string;
  appliedAt: string;
};

export const APPLICATIONS = collection<ApplicationRecord>('/credit-note-applications', {
  indexes: { invoice: (a) => a.invoiceId, creditNote: (a) => a.creditNoteId },
});

export const INVOICES = named('/invoices');
export const CREDIT_NOTES = named('/credit-notes');

type Kind = { lines: (id: string) => string; index: 'invoice' | 'creditNote' };
const INVOICE_KIND: Kind = { lines: (id) => `/invoices/${id}/line-items`, index: 'invoice' };
const CREDIT_NOTE_KIND: Kind = { lines: (id) => `/credit-notes/${id}/line-items`, index: 'creditNote' };

/** An invoice's or credit note's currency (the one its lines are computed in). */
export const currencyOf = (record: StoredRecord | undefined): string | undefined =>
  typeof record?.currency === 'string' ? record.currency : undefined;

/** A document's totals from its lines, and its balance after the applications that moved it. */
export function totalsAndBalance(kind: 'invoice' | 'creditNote', record: StoredRecord, call: Pick<Call, 'partition'>) {
  const { lines, index } = kind === 'invoice' ? INVOICE_KIND : CREDIT_NOTE_KIND;
  const currency = currencyOf(record);
  const totals = sumTotals(call.partition.all(named(lines(record.id))), currency);
  const applied = call.partition.find(APPLICATIONS, index, record.id);
  const value = applied.reduce((left, a) => left.minus(decimal(a.amount)), decimal(totals.grossTotal));
  return { totals, balance: value, version: applied.length, currency };
}

/**
 * The credit notes applied to an invoice (AppliedCreditNoteResponse): each once, with its own totals
 * and lines, as the schema describes them ("Net total of the credit note"); what was applied shows in
 * the invoice's balance.
 */
export function appliedCreditNotes(invoice: StoredRecord, call: Pick<Call, 'partition'>): Json[] {
  const noteIds = [...new Set(call.partition.find(APPLICATIONS, 'invoice', invoice.id).map((a) => a.creditNoteId))];
  return noteIds.flatMap((id) => {
    const note = call.partition.get(CREDIT_NOTES, id);
    if (!note) return [];
    const lines = call.partition.all(named(CREDIT_NOTE_KIND.lines(id)));
    const { totals } = totalsAndBalance('creditNote', note, call);
    return [
      {
        id,
        ...(typeof note.creditNoteNumber === 'string' && { creditNoteNumber: note.creditNoteNumber }),
        ...totals,
        lineItems: lines.map((line) => {
          const { netTotal, grossTotal } = sumTotals([line], currencyOf(note));
          return { name: typeof line.title === 'string' ? line.title : '', netTotal, grossTotal, invoiceLineItemIds: [] };
        }),
      },
    ];
  });
}

const balanceView = (value: Decimal, currency: string | undefined, version: number) => ({
  value: amountNumber(value, currency),
  currency: currency ?? '',
  version,
});

const APPLICABLE = ['FINAL', 'SENT'];

/** POST /credit-note-applications: the 201 with both balances after it, the 409 on a stale version, a 400 otherwise. */
export function applyCreditNote(call: Call): Answer {
  const body = call.body as Json;
  const problem = (path: string, message: string): never => {
    throw new RuleViolation([{ path, message }]);
  };
  const invoice = call.partition.get(INVOICES, String(body.invoiceId));
  if (!invoice) problem('/body/invoiceId', `no invoice with id ${String(body.invoiceId)} in this account`);
  const creditNote = call.partition.get(CREDIT_NOTES, String(body.creditNoteId));
  if (!creditNote) problem('/body/creditNoteId', `no credit note with id ${String(body.creditNoteId)} in this account`);
  const toInvoice = totalsAndBalance('invoice', invoice!, call);
  const fromNote = totalsAndBalance('creditNote', creditNote!, call);
  if (!APPLICABLE.includes(String(invoice!.status)))
    problem('/body/invoiceId', `is ${String(invoice!.status)}: credit is applied only to a FINAL or SENT invoice`);
  if (!APPLICABLE.includes(String(creditNote!.status)))
    problem('/body/creditNoteId', `is ${String(creditNote!.status)}: only a FINAL or SENT credit note is applied`);
  if (body.currency !== toInvoice.currency || body.currency !== fromNote.currency)
    problem('/body/currency', `must be the invoice's (${String(toInvoice.currency)}) and the credit note's (${String(fromNote.currency)})`);
  if (body.invoiceBalanceVersion !== toInvoice.version || body.creditNoteBalanceVersion !== fromNote.version)
    return {
      status: 409,
      body: {
        message: 'Balance version mismatch. Re-read current versions and retry.',
        currentInvoiceBalance: balanceView(toInvoice.balance, toInvoice.currency, toInvoice.version),
        currentCreditNoteBalance: balanceView(fromNote.balance, fromNote.currency, fromNote.version),
      },
    };
  const applied = decimal(body.amount);
  if (!applied.isPositive() || applied.isZero()) problem('/body/amount', 'must be more than 0');
  if (applied.greaterThan(fromNote.balance))
    problem('/body/amount', `is more than the credit note's balance ${amount(fromNote.balance, fromNote.currency)}`);
  if (applied.greaterThan(toInvoice.balance))
    problem('/body/amount', `is more than the invoice's balance ${amount(toInvoice.balance, toInvoice.currency)}`);
  const appliedAt = call.clock.now().toISOString();
  const record: ApplicationRecord = {
    id: call.clock.newId(),
    creditNoteId: creditNote!.id,
    invoiceId: invoice!.id,
    amount: amount(applied, toInvoice.currency),
    currency: String(body.currency),
    appliedAt,
  };
  call.partition.put(APPLICATIONS, record);
  const invoiceLeft = toInvoice.balance.minus(applied);
  const creditNoteIds = Array.isArray(invoice!.creditNoteIds) ? (invoice!.creditNoteIds as string[]) : [];
  call.partition.put(INVOICES, {
    ...invoice!,
    paymentStatus: invoiceLeft.isZero() ? 'PAID' : 'PARTIALLY_PAID',
    creditNoteIds: creditNoteIds.includes(creditNote!.id) ? creditNoteIds : [...creditNoteIds, creditNote!.id],
    updatedAt: appliedAt,
  });
  return {
    status: 201,
    changed: true,
    body: {
      ledgerTransactionId: record.id,
      creditNoteId: record.creditNoteId,
      invoiceId: record.invoiceId,
      amount: amountNumber(applied, toInvoice.currency),
      currency: record.currency,
      appliedAt,
      invoiceBalance: balanceView(invoiceLeft, toInvoice.currency, toInvoice.version + 1),
      creditNoteBalance: balanceView(fromNote.balance.minus(applied), fromNote.currency, fromNote.version + 1),
    },
  };
}
