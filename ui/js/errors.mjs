// What went wrong, in words a support person understands: an HTTP status, an API error
// {code, message} or a failed query's error → a message key of messages_*.mjs (and its vars).
// The server's own text stays available as `detail` for engineers. Pure module.

import { MAX_RANGE_DAYS } from './search_sql.mjs';

/** An error of the query API, as thrown by api.mjs. */
export class ApiError extends Error {
  constructor({ status = 0, code = '', message = '', state = '' } = {}) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code;
    this.serverMessage = message;
    this.state = state;
  }
}

// The query API's error codes (src/server/query_api.cc) → message keys.
const CODES = {
  range_too_large: { key: 'err_range', vars: { days: MAX_RANGE_DAYS } },
  bytes_limit: { key: 'err_too_much_data' },
  timeout: { key: 'err_timeout' },
  too_many_rows: { key: 'err_too_big' },
  memory_limit: { key: 'err_too_big' },
  limit_exceeded: { key: 'err_too_big' },
  cancelled: { key: 'err_cancelled' },
  too_many_queries: { key: 'err_busy' },
  shutting_down: { key: 'err_unavailable' },
  forbidden: { key: 'err_forbidden' },
  not_found: { key: 'err_expired' },
  invalid_query: { key: 'err_bad_query' },
  invalid_request: { key: 'err_bad_query' },
};

// For codes the page does not know (another server version): the settings the engine's
// messages name for each limit.
const RULES = [
  { key: 'err_range', re: /max_range_days|max_days|day partitions/i, vars: { days: MAX_RANGE_DAYS } },
  { key: 'err_too_much_data', re: /max_bytes|would read more than/i },
  { key: 'err_timeout', re: /timeout|time limit|deadline|ran longer than/i },
  { key: 'err_too_big', re: /max_memory|max_rows|max_result_rows|aggregation needs|the result has/i },
  { key: 'err_expired', re: /expired/i },
];

/**
 * Maps an error to { key, vars, detail }. `err` is an ApiError, a TypeError from fetch (network)
 * or anything else (shown as a server problem).
 */
export function describeError(err) {
  if (!(err instanceof ApiError)) {
    // fetch rejects with a TypeError when the server cannot be reached.
    if (err instanceof TypeError) return { key: 'err_network', vars: {}, detail: String(err.message ?? err) };
    return { key: 'err_server', vars: {}, detail: String(err?.message ?? err) };
  }
  const detail = [err.code, err.serverMessage].filter(Boolean).join(': ');
  const text = `${err.code} ${err.serverMessage}`;
  if (err.state === 'CANCELLED') return { key: 'err_cancelled', vars: {}, detail };
  if (err.status === 401) return { key: 'err_token', vars: {}, detail };
  if (err.status === 403) return { key: 'err_forbidden', vars: {}, detail };
  if (err.status === 429) return { key: 'err_busy', vars: {}, detail };
  const known = CODES[err.code];
  if (known) return { key: known.key, vars: known.vars ?? {}, detail };
  for (const rule of RULES) {
    if (rule.re.test(text)) return { key: rule.key, vars: rule.vars ?? {}, detail };
  }
  if (err.status === 404) return { key: 'err_expired', vars: {}, detail };
  if (err.status === 503) return { key: 'err_unavailable', vars: {}, detail };
  if (err.status === 400 || err.state === 'FAILED') return { key: 'err_bad_query', vars: {}, detail };
  return { key: 'err_server', vars: {}, detail };
}
