// The search in the URL, so that a link can be shared: filters ⇄ the fragment after '#'.
// The fragment (not the query string) keeps tenant and user ids out of server and proxy logs.
// Times are written as UTC ISO-8601, so a link means the same instants in every zone. Pure
// module, tested by tests/interop/search_ui_modules.test.mjs.

import { emptyFilters, PATH_MODES } from './search_sql.mjs';

// filter field → URL key (short keys keep links readable).
const KEYS = {
  tenant_id: 'tenant', user_id: 'user', uuid: 'uuid', request_id: 'request', method: 'method',
  status: 'status', path: 'path', path_mode: 'match', user_agent: 'ua',
};

function isoOrNull(ms) {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** The URL fragment (without '#') for `filters`; empty fields are left out. */
export function encodeSearch(filters) {
  const p = new URLSearchParams();
  const from = isoOrNull(filters.from);
  const to = isoOrNull(filters.to);
  if (from) p.set('from', from);
  if (to) p.set('to', to);
  for (const [field, key] of Object.entries(KEYS)) {
    const v = filters[field];
    if (field === 'path_mode' && !filters.path) continue;
    if (v !== undefined && v !== null && String(v) !== '') p.set(key, String(v));
  }
  return p.toString();
}

/**
 * Filters from a URL fragment (with or without its '#'). Returns { filters, complete } where
 * `complete` says the range is there (the page then runs the search at once). Unknown keys and
 * unreadable values are ignored.
 */
export function decodeSearch(fragment) {
  const p = new URLSearchParams(String(fragment ?? '').replace(/^#/, ''));
  const filters = emptyFilters();
  const readTime = (key) => {
    const v = p.get(key);
    if (v === null) return null;
    const ms = Date.parse(v);
    return /^\d{4}-\d\d-\d\dT/.test(v) && Number.isFinite(ms) ? ms : null;
  };
  filters.from = readTime('from');
  filters.to = readTime('to');
  for (const [field, key] of Object.entries(KEYS)) {
    const v = p.get(key);
    if (v !== null) filters[field] = v;
  }
  if (!PATH_MODES.includes(filters.path_mode)) filters.path_mode = 'prefix';
  return { filters, complete: filters.from !== null && filters.to !== null };
}
