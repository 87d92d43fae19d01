// Invoices and credit notes (docs/resources/invoices.md), over the generic collections they are
// stored in: money computed, and the documented lifecycles.
//   - A line's netTotal, totalTax and grossTotal are computed from its quantity, rate and taxRate in
//     its document's currency whenever it is written (src/engine/money.ts: decimal, rounded half up
//     to the currency's minor units).
//   - An invoice's or credit note's totals are the sums of its lines when it is read (no lines: 0);
//     a line item group's, the sums of the lines that name it (groupId).
//   - A new one is DRAFT, UNPAID where it has a payment status, and has no credit notes yet; it takes
//     its customer's legal name, addresses and billing emails unless the request gives them.
//   - Actions move it through its lifecycle (lifecycle.ts); past DRAFT it cannot be edited.
import type { Call, CollectionRules, Json, Plugin } from '../../engine/plugin.js';
import { amount, lineTotals, sumTotals } from '../../engine/money.js';
import { CUSTOMERS } from '../../engine/records.js';
import { billingEmailsOf } from '../../engine/relations.js';
import { applyCreditNote, appliedCreditNotes, currencyOf, totalsAndBalance } from './balances.js';
import { named, type StoredRecord } from '../../engine/store/types.js';
import { invoiceListSummary, invoiceSummary } from './summaries.js';
import { CREDIT_NOTE, editProblem, INVOICE, transition, type Lifecycle } from './lifecycle.js';

/**
 * What a new invoice or credit note takes from its customer unless the request says otherwise: its
 * legal name, addresses and the emails of its billing contacts, as Sequence fills them (never the
 * document's example company).
 */
function fromCustomer(body: Json, call: Call): Json {
  const customer = call.partition.get(CUSTOMERS, String(body.customerId));
  if (!customer) return {};

  return {
    customerLegalCompanyName: body.customerLegalCompanyName ?? customer.legalName,
    customerBillingAddress: body.customerBillingAddress ?? customer.address,
    customerShippingAddress: body.customerShippingAddress ?? customer.address,
    customerEmails: body.customerEmails ?? billingEmailsOf(call.partition, customer.id),
  };
}

function documentRules(lifecycle: Lifecycle, kind: 'invoice' | 'creditNote', created: Json): CollectionRules {
  return {
    generated: (body, call) => ({ ...fromCustomer(body, call), ...created }),
    // Totals from the lines; the balance is what is left after credit-note applications (balances.ts).
    presented: (record, call) => {
      const { totals, balance, version, currency } = totalsAndBalance(kind, record, call);
      const applied = kind === 'invoice' && { appliedCreditNotes: appliedCreditNotes(record, call) };
      return { ...totals, balance: amount(balance, currency), balanceVersion: version, ...applied };
    },
    editable: (record) => editProblem(lifecycle, record),
    actions: Object.fromEntries(
      Object.keys(lifecycle.transitions).map((action) => [
        action,
        (record: StoredRecord, _body: Json, call: Call) => transition(lifecycle, action, record, call),
      ]),
    ),
  };
}

function lineRules(parent: string, param: string): CollectionRules {
  return {
    computed: (record: Json, call: Call) => {
      const document = call.partition.get(named(parent), call.params[param] ?? '');
      return lineTotals(record.quantity, record.rate, record.taxRate, currencyOf(document));
    },
  };
}

/** A line item group totals the lines that name it (groupId), in its document's currency, when it is read. */
function groupRules(parent: string, param: string, lines: (id: string) => string): CollectionRules {
  return {
    presented: (group, call) => {
      const documentId = call.params[param] ?? '';
      const document = call.partition.get(named(parent), documentId);
      const members = call.partition.all(named(lines(documentId))).filter((line) => line.groupId === group.id);
      return sumTotals(members, currencyOf(document));
    },
  };
}

export const invoices: Plugin = {
  name: 'invoices',
  tags: ['Invoices', 'Invoice Line Items', 'Credit Notes', 'Credit Note Line Items'],
  page: 'docs/resources/invoices.md',
  handlers: { postCreditNoteApplications: applyCreditNote, getInvoicesSummary: invoiceSummary, getInvoicesListSummary: invoiceListSummary },
  rules: {
    '/invoices': documentRules(INVOICE, 'invoice', { status: 'DRAFT', paymentStatus: 'UNPAID', creditNoteIds: [] }),
    '/invoices/{invoice}/line-items': lineRules('/invoices', 'invoice'),
    '/invoices/{invoice}/line-item-groups': groupRules('/invoices', 'invoice', (id) => `/invoices/${id}/line-items`),
    '/credit-notes': documentRules(CREDIT_NOTE, 'creditNote', { status: 'DRAFT' }),
    '/credit-notes/{creditnote}/line-items': lineRules('/credit-notes', 'creditnote'),
    '/credit-notes/{creditnote}/line-item-groups': groupRules('/credit-notes', 'creditnote', (id) => `/credit-notes/${id}/line-items`),
  },
};
