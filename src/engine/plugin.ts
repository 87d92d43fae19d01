// What a resource plugs into the engine. The engine routes, validates (through the HTTP pipeline),
// pages, stores and renders errors for every operation of the document; a resource adds only what
// the document cannot say: rules, derived fields, presenters and actions. It is one folder under
// src/resources/ exporting one Plugin, listed once in src/resources/registry.ts, and it imports
// nothing but the engine.
import type { OperationInfo } from './contract/operations.js';
import type { Clock } from './clock.js';
import type { Violation } from './errors.js';
import type { Partition, StoredRecord } from './store/types.js';

export type Json = Record<string, unknown>;

/** One request to an operation, as a handler sees it: no HTTP, only what the request means. */
export interface Call {
  /** The caller's data. */
  readonly partition: Partition;
  readonly clientId: string;
  /** The Sequence account id the fake derives from the client id. */
  readonly accountId: string;
  /** Path parameters, decoded, named as in the document. */
  readonly params: Readonly<Record<string, string>>;
  /** The query, checked and coerced by the validator. */
  readonly query: Readonly<Json>;
  /** The body, checked by the validator against the operation's schema. */
  readonly body: unknown;
  readonly clock: Clock;
  /** Prefer: example=<name>: the documented example an answer is shaped from. */
  readonly example: string | undefined;
  readonly operation: OperationInfo;
  /** A record of one of the document's collections as this operation answers it: its documented example with the record's fields over it, fitted to its schema. */
  readonly shape: (record: Json) => unknown;
}

/** What a handler answers: the body (none for an empty answer), a status other than the documented success, and whether it changed data. */
export interface Answer {
  body?: unknown;
  status?: number;
  /** A change is acknowledged only once the store has made it durable. */
  changed?: boolean;
}

/** A hand-written operation, by the document's operationId. */
export type Handler = (call: Call) => Answer;

/** What a resource adds to one of the document's generic collections (billing schedules, usage events, ...). */
export interface CollectionRules {
  /** Violations of the resource's own rules by a create or update body; each becomes part of a 400. */
  check?(body: Json, partition: Partition, existing: StoredRecord | undefined): Violation[];
  /** Fields the fake sets on a new record whatever the request says. */
  generated?(body: Json, call: Call): Json;
  /** Whether a record answers a list query, beyond the generic field filters. */
  matches?(record: StoredRecord, query: Readonly<Json>, partition: Partition): boolean;
  /** What an action on an item (by its path below the item, e.g. "/activate") changes in the record. */
  actions?: Readonly<Record<string, (record: StoredRecord, body: Json, call: Call) => Json>>;
  /** Fields a write derives from the record as it will be stored (a line's totals from its quantity and rate). */
  computed?: (record: Json, call: Call) => Json;
  /** Fields an answer derives from other records when it is read (an invoice's totals from its lines). */
  presented?: (record: StoredRecord, call: Call) => Json;
  /**
   * Whether a record may still be changed by an update or a write to its nested collections; a
   * violation refuses the write (a FINAL invoice "prevents further editing").
   */
  editable?: (record: StoredRecord) => Violation | undefined;
}

/** --record: how an upstream's successful answer to an operation is kept as this resource's records. */
export type Recorder = (partition: Partition, params: Readonly<Record<string, string>>, body: unknown) => void;

/** What a mapping between API versions may read: the caller's data. */
export interface VersionCall {
  readonly partition: Partition;
  readonly clientId: string;
}

/**
 * How one of Sequence's older API versions differs from the current one for a resource, where the
 * documents cannot say it (a field renamed or split): by the older version's schema names.
 */
export interface VersionMapping {
  /** A request body of that version (by its request schema's name, or the operationId of an inline body) in the current version's shape. */
  readonly requests?: Readonly<Record<string, (body: Json, call: VersionCall) => Json>>;
  /** A current answer in that version's shape (by that version's schema name), before it is fitted to the schema. */
  readonly answers?: Readonly<Record<string, (body: Json, call: VersionCall) => Json>>;
}

export interface Plugin {
  /** The resource's folder under src/resources/. */
  readonly name: string;
  /** The document's tags it serves: their types are generated (src/generated/openapi.ts) and the README's table links its page. */
  readonly tags: readonly string[];
  /** Its page under docs/resources/. */
  readonly page: string;
  /** Operations it answers itself, by operationId. */
  readonly handlers?: Readonly<Record<string, Handler>>;
  /** Rules over the document's generic collections, by collection path. */
  readonly rules?: Readonly<Record<string, CollectionRules>>;
  /** How a proxied answer is recorded (--record), by operationId; other operations are recorded generically. */
  readonly record?: Readonly<Record<string, Recorder>>;
  /** Its shapes in Sequence's older API versions, by version, where the documents cannot map them (docs/versions.md). */
  readonly versions?: Readonly<Record<string, VersionMapping>>;
}
