// The query API client of the search page: bearer token, submit, poll, page through results,
// cancel, estimate. Errors are thrown as ApiError (errors.mjs). The token lives in
// sessionStorage: asked for once, forgotten when the tab closes.

import { ApiError } from './errors.mjs';

const TOKEN_KEY = 'loglake.token';
// Polling starts fast (most searches take well under a second) and slows to this interval.
const POLL_FIRST_MS = 60;
const POLL_MAX_MS = 500;
export const PAGE_ROWS = 1000;

export class QueryApi {
  /** `base`: the server's origin ('' for the page's own); `storage`: sessionStorage or a stand-in. */
  constructor({ base = '', storage = null, fetchImpl = null } = {}) {
    this.base = base;
    this.storage = storage;
    this.fetch = fetchImpl ?? ((...a) => fetch(...a));
  }

  get token() {
    return this.storage?.getItem(TOKEN_KEY) ?? '';
  }

  set token(value) {
    if (!this.storage) return;
    if (value) this.storage.setItem(TOKEN_KEY, value);
    else this.storage.removeItem(TOKEN_KEY);
  }

  async request(method, path, body, signal) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    const res = await this.fetch(`${this.base}${path}`, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal, cache: 'no-store',
    });
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!res.ok) {
      throw new ApiError({ status: res.status, code: json?.error?.code ?? '', message: json?.error?.message ?? text.slice(0, 500) });
    }
    return json;
  }

  /** POST /v1/queries/estimate → { bytes, files, days }. */
  estimate(sql, params, signal) {
    return this.request('POST', '/v1/queries/estimate', { sql, params }, signal);
  }

  /** POST /v1/queries → the query's id. */
  async submit(sql, params, signal) {
    const r = await this.request('POST', '/v1/queries', { sql, params, dedup: true }, signal);
    return r.id;
  }

  status(id, signal) {
    return this.request('GET', `/v1/queries/${encodeURIComponent(id)}`, undefined, signal);
  }

  /** DELETE /v1/queries/{id}; errors are ignored (the query may be gone already). */
  async cancel(id) {
    try {
      await this.request('DELETE', `/v1/queries/${encodeURIComponent(id)}`);
    } catch {
      // Nothing to do: a finished or expired query needs no cancelling.
    }
  }

  /**
   * Polls until the query is final; calls onState(status) on every answer. Resolves to the final
   * status when SUCCEEDED, throws ApiError (with `state`) when FAILED or CANCELLED.
   */
  async wait(id, { onState = () => {}, signal, sleep = defaultSleep } = {}) {
    let delay = POLL_FIRST_MS;
    for (;;) {
      const s = await this.status(id, signal);
      onState(s);
      if (s.state === 'SUCCEEDED') return s;
      if (s.state === 'FAILED' || s.state === 'CANCELLED') {
        throw new ApiError({ status: 200, code: s.error?.code ?? '', message: s.error?.message ?? '', state: s.state });
      }
      await sleep(delay, signal);
      delay = Math.min(POLL_MAX_MS, delay * 2);
    }
  }

  /** Every page of a result (at most `maxRows` rows) → { columns, rows, truncated }. */
  async results(id, { maxRows = Infinity, signal } = {}) {
    let columns = [];
    const rows = [];
    let token = null;
    do {
      const q = new URLSearchParams({ max_results: String(PAGE_ROWS) });
      if (token) q.set('next_token', token);
      const page = await this.request('GET', `/v1/queries/${encodeURIComponent(id)}/results?${q}`, undefined, signal);
      columns = page.columns ?? columns;
      for (const r of page.rows ?? []) {
        if (rows.length >= maxRows) break;
        rows.push(r);
      }
      token = page.next_token ?? null;
    } while (token && rows.length < maxRows);
    return { columns, rows, truncated: Boolean(token) };
  }

  /** Submit, wait and fetch in one: → { status, columns, rows }. */
  async run(sql, params, { onState, signal, maxRows, onId = () => {} } = {}) {
    const id = await this.submit(sql, params, signal);
    onId(id);
    const status = await this.wait(id, { onState, signal });
    const result = await this.results(id, { maxRows, signal });
    return { id, status, ...result };
  }
}

function defaultSleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason ?? new DOMException('aborted', 'AbortError'));
    }, { once: true });
  });
}
