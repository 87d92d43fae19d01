// Reading the loosely typed values of stored records and bodies (what the validator has checked, or
// what a client sent beside the schema): the lists, strings and objects plug-ins and tools take from
// them, read one way everywhere.
import type { Json } from './plugin.js';

/** The objects of a list value (phases, discounts, tax rates); none when it is not a list. */
export const objects = (value: unknown): Json[] =>
  Array.isArray(value) ? value.filter((v): v is Json => typeof v === 'object' && v !== null) : [];

/** The strings of a list value (price ids, recipients, notification types); none when it is not a list. */
export const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** A string value, or undefined. */
export const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
