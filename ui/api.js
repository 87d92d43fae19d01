// How the page talks to the fake: the admin API (/__admin) and Sequence's API (/api), with the
// partition's Basic credentials and the admin token, asking for either when the fake refuses.
import { $, say } from './dom.js';

export const state = {
  partition: sessionStorage.getItem('partition') ?? '',
  token: sessionStorage.getItem('adminToken') ?? '',
  secret: sessionStorage.getItem('clientSecret') ?? 'dashboard',
  /** Set while the page waits for credentials, so the next answer can say whether they were taken. */
  asked: undefined,
};

export class NeedsCredentials extends Error {}

export async function call(method, url, body) {
  // The header keeps the dashboard's own reads out of the request journal it shows.
  const headers = { Accept: 'application/json', 'X-Sequence-Mock-Dashboard': '1' };
  if (state.partition) headers.Authorization = `Basic ${btoa(`${state.partition}:${state.secret}`)}`;
  if (state.token) headers['X-Admin-Token'] = state.token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(url, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
  if (res.status === 401) {
    const text = await res.json().catch(() => ({}));
    const message = text.error?.message ?? 'Unauthorized';
    askFor(url.startsWith('/__admin') && /token/i.test(message) ? 'token' : 'secret', message);
    throw new NeedsCredentials(message);
  }
  state.asked = undefined;
  if (res.status === 204) return undefined;
  const json = await res.json().catch(() => undefined);
  if (!res.ok) throw new Error(json?.error?.message ?? `${method} ${url}: ${res.status}`);
  return json;
}

/** Runs a view's or a button's work; a refusal asks for credentials, any other failure is said. */
export async function guarded(work) {
  try {
    await work();
  } catch (err) {
    if (!(err instanceof NeedsCredentials)) say(err.message);
  }
}

const sentence = (text) => (/[.!?]$/.test(text) ? text : `${text}.`);

function askFor(what, why) {
  const form = $('#credentials');
  // Asked again for what was just given: say it was refused, or the form looks unchanged.
  const refused = state.asked === what && (what === 'token' ? state.token : state.secret);
  $('#credentials-why').textContent = refused
    ? `That ${what === 'token' ? 'admin token' : 'client secret'} was refused: ${sentence(why)} Try again.`
    : sentence(why);
  for (const element of form.querySelectorAll('[data-for]')) element.hidden = element.dataset.for !== what;
  form.hidden = false;
  state.asked = what;
  const input = form.querySelector(what === 'token' ? '#admin-token' : '#client-secret');
  if (refused) input.value = '';
  input.focus();
}

/** The credentials form: what it takes is kept for the tab's session, then the view is drawn again. */
export function onCredentials(then) {
  $('#credentials').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $('#admin-token').value;
    const secret = $('#client-secret').value;
    if (token) sessionStorage.setItem('adminToken', (state.token = token));
    if (secret) sessionStorage.setItem('clientSecret', (state.secret = secret));
    $('#credentials').hidden = true;
    void then();
  });
}

/** Where a record of a collection is shown: customers and invoices have views of their own. */
export function recordHref(collection, id) {
  if (collection === '/customers') return `#/customers/${encodeURIComponent(id)}`;
  if (collection === '/invoices') return `#/invoices/${encodeURIComponent(id)}`;
  return `#/records/${encodeURIComponent(collection)}/${encodeURIComponent(id)}`;
}

/** A collection's item path with the id in it, under /api. */
export const itemUrl = (itemPath, id) => `/api${itemPath.replace(/\{[^}]+\}$/, encodeURIComponent(id))}`;
