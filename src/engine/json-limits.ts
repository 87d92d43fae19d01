// The limits on the shape of every JSON the fake accepts, parses or stores.
//
// Depth: one limit for every JSON. Everything downstream of a
// parse walks values recursively (the validator, structuredClone, JSON.stringify of the journal and
// the data file), and V8 runs out of stack somewhere between 3,000 and 10,000 levels depending on
// the walker: a value that passes one walker could stop a later one, or a later start. So the depth
// is measured on the text, before JSON.parse builds anything, in one linear pass.

import { escapeToken } from './contract/pointer.js';

/** The deepest nesting of objects and arrays accepted (the body itself is depth 1). */
export const MAX_JSON_DEPTH = 64;

/**
 * The nesting depth of the JSON text, counting only brackets outside strings; stops counting once
 * past `limit` (the answer is then limit + 1). Malformed text is measured as far as it goes: JSON.parse
 * reports what is wrong with it.
 */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return deepest;
}

/**
 * The depth of `text` when it nests deeper than `limit`; undefined when it does not. Each level
 * opens with a bracket, so text holding at most `limit` of them cannot be too deep: they are counted
 * first with indexOf, which skips the characters between them natively. On the 0.8 KB body of the
 * vendor's POST /customers example that takes 0.2 µs, the pass over every character 3.2 µs.
 */
export function depthOver(text: string, limit = MAX_JSON_DEPTH): number | undefined {
  let brackets = 0;
  for (const open of ['{', '['])
    for (let at = text.indexOf(open); at !== -1 && brackets <= limit; at = text.indexOf(open, at + 1)) brackets += 1;
  if (brackets <= limit) return undefined;
  const depth = jsonDepth(text, limit);
  return depth > limit ? depth : undefined;
}

/** The message every refusal of a too-deep JSON carries. */
export const tooDeep = (depth: number, limit = MAX_JSON_DEPTH): string =>
  `nests ${depth > limit ? `more than ${limit}` : depth} levels deep; at most ${limit} levels of objects and arrays are accepted`;

/**
 * The most items one array of a request body may hold. The document sets no maxItems; the limit is
 * the fake's: the validator reports every error of every item, and its cost grows with the square
 * of their number (8,000 empty contacts took 2.3 s, 20,000 took 19 s, blocking every partition).
 * At 1,000 items a body full of errors validates in milliseconds.
 */
export const MAX_ARRAY_ITEMS = 10_000;

/** The JSON-pointer path of the first array longer than `limit` (iteratively; the value is depth-checked already). */
export function oversizedArray(value: unknown, limit = MAX_ARRAY_ITEMS): { path: string; length: number } | undefined {
  // Nearly every body has none: found first without building a path per value (half the cost).
  if (!hasOversizedArray(value, limit)) return undefined;
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [item, path] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (Array.isArray(item)) {
      if (item.length > limit) return { path, length: item.length };
      for (let i = item.length - 1; i >= 0; i -= 1) stack.push([item[i], `${path}/${i}`]);
    } else {
      const entries: [string, unknown][] = Object.entries(item);
      for (let i = entries.length - 1; i >= 0; i -= 1) {
        const [key, child] = entries[i]!;
        if (child !== null && typeof child === 'object') stack.push([child, `${path}/${escapeToken(key)}`]);
      }
    }
  }
  return undefined;
}

function hasOversizedArray(value: unknown, limit: number): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === null || typeof item !== 'object') continue;
    if (Array.isArray(item)) {
      if (item.length > limit) return true;
      for (const child of item) if (child !== null && typeof child === 'object') stack.push(child);
    } else
      for (const key in item) {
        const child: unknown = (item as Record<string, unknown>)[key];
        if (child !== null && typeof child === 'object') stack.push(child);
      }
  }
  return false;
}

export const tooManyItems = (length: number, limit = MAX_ARRAY_ITEMS): string =>
  `has ${length} items; at most ${limit} items per array are accepted`;
