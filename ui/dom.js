// Drawing helpers shared by every view: elements from data (text, never HTML), tables that scroll in
// their own box, readable field names, dates and money.

export const $ = (selector, root = document) => root.querySelector(selector);

/** An element with attributes and children; strings become text, never HTML. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat())
    if (child !== undefined && child !== null) element.append(child instanceof Node ? child : String(child));
  return element;
}

/** An element's children replaced, leaving out the parts a view did not draw (undefined). */
export function put(element, ...children) {
  element.replaceChildren(...children.flat().filter((child) => child !== undefined && child !== null));
}

export function say(message) {
  $('#status').textContent = message;
}

/** Rows into a table body, or one line saying there are none (a header alone reads as broken). */
export function fill(tbody, rows, none) {
  const columns = tbody.closest('table').querySelectorAll('thead th').length || 1;
  tbody.replaceChildren(...(rows.length > 0 ? rows : [h('tr', { class: 'none' }, h('td', { colspan: String(columns) }, none))]));
}

/**
 * A table in a box of its own that scrolls sideways on a narrow screen, so the page never does; the
 * box takes focus and a name, so a keyboard user can scroll it too.
 */
export function table(caption, headings, rows, none, { hiddenCaption = false } = {}) {
  const body = h('tbody');
  const made = h(
    'table',
    {},
    h('caption', { class: hiddenCaption ? 'visually-hidden' : undefined }, caption),
    h('thead', {}, h('tr', {}, ...headings.map((text) => h('th', { scope: 'col' }, text)))),
    body,
  );
  fill(body, rows, none);
  return h('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': caption }, made);
}

/** "billingScheduleId" -> "Billing schedule", "createdAt" -> "Created at": a field as a person names it. */
export function heading(field) {
  const words = field
    .replace(/Ids?$/, (ids) => (ids === 'Ids' ? 's' : ''))
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(' ');
  return words.map((w, i) => (i === 0 ? w[0].toUpperCase() + w.slice(1) : /^[A-Z]+$/.test(w) ? w : w.toLowerCase())).join(' ');
}

/** A date-time as "2026-03-01 00:00:00", in a <time> a reader can take the exact value from. */
export const when = (iso) =>
  iso
    ? h(
        'time',
        { datetime: iso },
        iso
          .replace('T', ' ')
          .replace(/(\.\d+)?Z$/, '')
          .slice(0, 19),
      )
    : '';

/** An amount with its currency, as the API sends it (a decimal string): never turned into a float. */
export const money = (amount, currency) => (amount === undefined || amount === null ? '' : `${amount}${currency ? ` ${currency}` : ''}`);

/** A definition list of name/value pairs, leaving out the empty ones; a sentence when none is left. */
export function pairs(entries, attributes = {}, none = 'Nothing here.') {
  const shown = entries.filter(([, value]) => value !== undefined && value !== null && value !== '');
  if (shown.length === 0) return h('p', attributes, none);
  return h('dl', attributes, ...shown.flatMap(([name, value]) => [h('dt', {}, name), h('dd', {}, value)]));
}
