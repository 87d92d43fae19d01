// The lifecycles of invoices and credit notes, from the document's words (docs/behaviour.md has
// them as tables). An action from a status not listed is a 400 naming the current status; an item
// past DRAFT "prevents further editing", so its updates and its lines' writes are refused the same way.
import { RuleViolation, type Violation } from '../../engine/errors.js';
import type { Call, Json } from '../../engine/plugin.js';
import { collection, named, type StoredRecord } from '../../engine/store/types.js';

export interface Transition {
  /** Statuses the action starts from. */
  from: readonly string[];
  to: string;
  /** Whether the action gives the document its number (finalizing does). */
  numbers?: boolean;
  /** A further condition, with the reason it refuses. */
  when?: (record: StoredRecord) => string | undefined;
}

export interface Lifecycle {
  /** "invoice", "credit note": as messages name it. */
  noun: string;
  collection: string;
  /** The number field and its prefix (invoiceNumber INV00001, creditNoteNumber CN00001). */
  number: { field: string; prefix: string };
  /** Statuses in which the item and its lines may still be edited. */
  editable: readonly string[];
  transitions: Readonly<Record<string, Transition>>;
}

const article = (word: string) => `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;

const statusOf = (record: StoredRecord): string => (typeof record.status === 'string' ? record.status : 'DRAFT');

export function editProblem(lifecycle: Lifecycle, record: StoredRecord): Violation | undefined {
  const status = statusOf(record);
  if (lifecycle.editable.includes(status)) return undefined;
  return {
    path: '/path/id',
    message: `is ${status}: ${article(lifecycle.noun)} can be edited only while ${lifecycle.editable.join(' or ')}`,
  };
}

/** The highest number given so far per kind, so numbering does not scan every document each time. */
const NUMBERS = collection<{ id: string; highest: number }>('/__numbers');

/** The next number of this kind in the partition: one more than the highest given so far. */
function nextNumber(lifecycle: Lifecycle, call: Call): string {
  const { field, prefix } = lifecycle.number;
  let highest = call.partition.get(NUMBERS, prefix)?.highest;
  if (highest === undefined) {
    // First number of this kind here (or data from before the counter): from the documents.
    highest = 0;
    for (const record of call.partition.all(named(lifecycle.collection))) {
      const value = record[field];
      const n = typeof value === 'string' && value.startsWith(prefix) ? Number(value.slice(prefix.length)) : NaN;
      if (Number.isInteger(n) && n > highest) highest = n;
    }
  }
  call.partition.put(NUMBERS, { id: prefix, highest: highest + 1 });
  return `${prefix}${String(highest + 1).padStart(5, '0')}`;
}

/** The action's change to the record, or a 400 naming the current status. */
export function transition(lifecycle: Lifecycle, action: string, record: StoredRecord, call: Call): Json {
  const step = lifecycle.transitions[action]!;
  const status = statusOf(record);
  const refused = !step.from.includes(status)
    ? `is ${status}: ${action.slice(1)} needs ${article(step.from.join(', '))} ${lifecycle.noun}`
    : step.when?.(record);
  if (refused) throw new RuleViolation([{ path: '/path/id', message: refused }]);
  const numbered = step.numbers && typeof record[lifecycle.number.field] !== 'string';
  // Finalizing issues the document: its number, and the day it was issued unless it has one.
  const issued = numbered && typeof record.issueDate !== 'string' && { issueDate: call.clock.now().toISOString().slice(0, 10) };
  return { status: step.to, ...(numbered && { [lifecycle.number.field]: nextNumber(lifecycle, call) }), ...issued };
}

export const INVOICE: Lifecycle = {
  noun: 'invoice',
  collection: '/invoices',
  number: { field: 'invoiceNumber', prefix: 'INV' },
  editable: ['IN_PROGRESS', 'DRAFT'],
  transitions: {
    // "Updates to DRAFT status and recalculates invoice": an upcoming invoice becomes a draft, and a
    // draft stays one (the document names no status it starts from; totals are always recalculated).
    '/draft': { from: ['IN_PROGRESS', 'DRAFT'], to: 'DRAFT' },
    '/finalize': { from: ['DRAFT'], to: 'FINAL', numbers: true },
    '/send': { from: ['FINAL'], to: 'SENT' },
    '/finalize-and-send': { from: ['DRAFT'], to: 'SENT', numbers: true },
    // "Finalizes an invoice (if not already finalized) and sets its status to SENT."
    '/mark-as-sent': { from: ['DRAFT', 'FINAL'], to: 'SENT', numbers: true },
    '/void': {
      from: ['DRAFT', 'FINAL', 'SENT'],
      to: 'VOIDED',
      when: (record) =>
        statusOf(record) === 'SENT' && record.paymentStatus !== 'UNPAID' && record.paymentStatus !== 'UNCOLLECTIBLE'
          ? `is SENT and ${String(record.paymentStatus)}: a SENT invoice can be voided only if it is UNPAID or UNCOLLECTIBLE`
          : undefined,
    },
  },
};

export const CREDIT_NOTE: Lifecycle = {
  noun: 'credit note',
  collection: '/credit-notes',
  number: { field: 'creditNoteNumber', prefix: 'CN' },
  editable: ['IN_PROGRESS', 'DRAFT'],
  transitions: {
    '/finalize': { from: ['DRAFT'], to: 'FINAL', numbers: true },
    '/send': { from: ['FINAL'], to: 'SENT' },
    '/finalize-and-send': { from: ['DRAFT'], to: 'SENT', numbers: true },
    '/mark-as-sent': { from: ['DRAFT', 'FINAL'], to: 'SENT', numbers: true },
    '/void': { from: ['DRAFT', 'FINAL', 'SENT'], to: 'VOIDED' },
  },
};
