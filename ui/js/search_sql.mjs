// The search page's SQL builder: filters in, parameterized SQL out.
//
// Contract: every value a person typed goes into `params` (bound by the server as a typed value);
// the SQL text is built only from the fixed fragments below, so no input can change the query's
// shape. LIKE patterns escape their wildcards with a backslash (ESCAPE '\'; SQL strings have no
// backslash escapes, so '\' is one backslash). Pure module: no DOM, no fetch; tested by
// tests/interop/search_ui_modules.test.mjs.

export const TABLE = 'access_log';
export const TIME_COLUMN = 'time';
// Every column of access_log (src/lake/table.cc AccessLogTable), in table order.
export const COLUMNS = ['uuid', 'time', 'tenant_id', 'user_id', 'method', 'path', 'query', 'status',
  'duration_ms', 'bytes_sent', 'remote_ip', 'user_agent', 'request_id', 'extra'];
// The most rows a search shows (the API pages at 1,000; the issue asks for at most 1,000).
export const MAX_ROWS = 1000;
// The longest range a search may cover: the server's max_range_days by default (it checks too).
export const MAX_RANGE_DAYS = 31;
export const PATH_MODES = ['exact', 'prefix', 'suffix', 'contains'];

const MS_PER_DAY = 86_400_000;
const MINUTE_BUCKETS_UP_TO_MS = 3 * 3_600_000;  // ≤ 3 h: ≤ 180 one-minute bars
const HOUR_BUCKETS_UP_TO_MS = 4 * MS_PER_DAY;    // ≤ 4 days: ≤ 96 one-hour bars; beyond: days

/** A failed check of the filters: `key` names a message of messages_*.mjs, `vars` fill it. */
export class FilterError extends Error {
  constructor(key, vars = {}) {
    super(key);
    this.key = key;
    this.vars = vars;
  }
}

/** Escapes `%`, `_` and `\` so that `s` matches itself literally in LIKE ... ESCAPE '\'. */
export function escapeLike(s) {
  return String(s).replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A timestamp parameter (the API's typed form) for a time in epoch milliseconds. */
export function timestampParam(ms) {
  return { type: 'timestamp', value: new Date(ms).toISOString() };
}

/** The empty filter set: a range (epoch ms, half-open [from, to)) and optional text filters. */
export function emptyFilters() {
  return {
    from: null, to: null, tenant_id: '', user_id: '', uuid: '', request_id: '', method: '', status: '',
    path: '', path_mode: 'prefix', user_agent: '',
  };
}

/**
 * Parses the status filter: '' (any), an exact code '404', or a class '4xx' (case-insensitive).
 * Returns null for '' or { low, high }; throws FilterError for anything else.
 */
export function parseStatus(text) {
  const s = String(text ?? '').trim().toLowerCase();
  if (s === '') return null;
  if (/^[1-5]xx$/.test(s)) {
    const low = Number(s[0]) * 100;
    return { low, high: low + 99 };
  }
  if (/^[1-5]\d\d$/.test(s)) {
    const code = Number(s);
    return { low: code, high: code };
  }
  throw new FilterError('error_status', { value: String(text) });
}

/** Checks the range: both ends set, from < to, at most MAX_RANGE_DAYS. Throws FilterError. */
export function checkRange(from, to) {
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new FilterError('error_range_missing');
  if (from >= to) throw new FilterError('error_range_order');
  if (to - from > MAX_RANGE_DAYS * MS_PER_DAY) {
    throw new FilterError('error_range_too_long', { days: MAX_RANGE_DAYS });
  }
}

// WHERE conjuncts and their params for `filters`; the range first, so the server prunes by day.
function whereClause(filters) {
  checkRange(filters.from, filters.to);
  const terms = [`${TIME_COLUMN} >= ?`, `${TIME_COLUMN} < ?`];
  const params = [timestampParam(filters.from), timestampParam(filters.to)];
  for (const column of ['tenant_id', 'user_id', 'uuid', 'request_id']) {
    const v = String(filters[column] ?? '').trim();
    if (v !== '') {
      terms.push(`${column} = ?`);
      params.push(v);
    }
  }
  const method = String(filters.method ?? '').trim().toUpperCase();
  if (method !== '') {
    terms.push('method = ?');
    params.push(method);
  }
  const status = parseStatus(filters.status);
  if (status) {
    if (status.low === status.high) {
      terms.push('status = ?');
      params.push(status.low);
    } else {
      terms.push('status BETWEEN ? AND ?');
      params.push(status.low, status.high);
    }
  }
  // Paths are matched as typed (no trim): a trailing space may be what the person looks for.
  const path = String(filters.path ?? '');
  if (path !== '') {
    const mode = filters.path_mode || 'prefix';
    if (!PATH_MODES.includes(mode)) throw new FilterError('error_path_mode', { value: String(mode) });
    if (mode === 'exact') {
      terms.push('path = ?');
      params.push(path);
    } else {
      const e = escapeLike(path);
      terms.push("path LIKE ? ESCAPE '\\'");
      params.push(mode === 'prefix' ? `${e}%` : mode === 'suffix' ? `%${e}` : `%${e}%`);
    }
  }
  // User agents are matched ignoring case: "iphone" should find "iPhone".
  const ua = String(filters.user_agent ?? '');
  if (ua !== '') {
    terms.push("lower(user_agent) LIKE lower(?) ESCAPE '\\'");
    params.push(`%${escapeLike(ua)}%`);
  }
  return { where: terms.join(' AND '), params };
}

/** The records query: every column, newest first, at most MAX_ROWS rows. */
export function buildSearchQuery(filters) {
  const { where, params } = whereClause(filters);
  return {
    sql: `SELECT ${COLUMNS.join(', ')} FROM ${TABLE} WHERE ${where} ORDER BY ${TIME_COLUMN} DESC LIMIT ${MAX_ROWS}`,
    params,
  };
}

/**
 * The histogram's bucket for a range: 'minute' up to 3 h, 'hour' up to 4 days, else 'day'. Day
 * bars are summed on the page from hour buckets so that they follow the viewer's days, not UTC's.
 */
export function histogramUnit(from, to) {
  const span = to - from;
  if (span <= MINUTE_BUCKETS_UP_TO_MS) return 'minute';
  if (span <= HOUR_BUCKETS_UP_TO_MS) return 'hour';
  return 'day';
}

/** The histogram query: count(*) per bucket (the SQL unit: minute or hour), oldest first. */
export function buildHistogramQuery(filters) {
  const { where, params } = whereClause(filters);
  const unit = histogramUnit(filters.from, filters.to);
  const sqlUnit = unit === 'minute' ? 'minute' : 'hour';
  return {
    sql: `SELECT date_trunc('${sqlUnit}', ${TIME_COLUMN}) AS bucket, count(*) AS records FROM ${TABLE} ` +
      `WHERE ${where} GROUP BY 1 ORDER BY 1`,
    params,
    unit,
    sqlUnit,
  };
}
