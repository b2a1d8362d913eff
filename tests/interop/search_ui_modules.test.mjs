// The search page's pure modules (ui/js/*.mjs), run in node as the browser runs them: the SQL
// builder (parameterized: nothing typed reaches the SQL text, LIKE wildcards escaped), time-zone
// conversion, the URL state, CSV/NDJSON downloads, error wording, the histogram's bins and the
// English/Japanese messages. Needs no server; search_ui_server.test.mjs runs the page's queries
// against `loglake serve`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { QueryApi } from '../../ui/js/api.mjs';
import { ApiError, describeError } from '../../ui/js/errors.mjs';
import { csvField, recordObject, toCsv, toNdjson } from '../../ui/js/export_format.mjs';
import { formatBytes } from '../../ui/js/format.mjs';
import { buildBins } from '../../ui/js/histogram.mjs';
import { LANGUAGES, pickLanguage, placeholders, translate } from '../../ui/js/i18n.mjs';
import {
  buildHistogramQuery, buildSearchQuery, COLUMNS, emptyFilters, escapeLike, FilterError, histogramUnit, parseStatus,
} from '../../ui/js/search_sql.mjs';
import {
  formatTime, parseServerTimestamp, serverTimestampToIso, utcToWall, wallToUtc, zoneLabel, zoneOffsetMs,
} from '../../ui/js/time_zone.mjs';
import { decodeSearch, encodeSearch } from '../../ui/js/url_state.mjs';
import { parseCsv } from './lib/query/csv.mjs';

const UI = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'ui');
const H = 3_600_000;
const FROM = Date.UTC(2026, 4, 1);
const TO = FROM + 24 * H;

const INJECTIONS = [
  "' OR 1=1 --", "' OR '1'='1", "x'; DROP TABLE access_log; --", "acme'", "'", "''", '"', '\\', "\\'", '\\\\',
  '%', '_', '%%', '\\%', 'a%b_c', '?', '$1', ':name', '/*', '*/', '--', ';', ')', '(', 'ESCAPE', "' ESCAPE '",
  '東京', 'テナント_1', '😀', 'cafe\u0301', 'x\ny', 'tab\there', ' lead', 'trail ', 'NULL',
];

function filters(over = {}) {
  return { ...emptyFilters(), from: FROM, to: TO, ...over };
}

/** LIKE with ESCAPE '\' as SQL defines it: % any sequence, _ one code point, \ quotes the next. */
function likeMatches(value, pattern) {
  let re = '';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '\\') {
      assert.ok(i + 1 < chars.length && '%_\\'.includes(chars[i + 1]), `bad escape in ${pattern}`);
      re += chars[++i].replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
    } else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'u').test(value);
}

// ---- SQL builder ------------------------------------------------------------------------------

test('a range-only search: every column, newest first, at most 1000 rows, timestamps as typed params', () => {
  const q = buildSearchQuery(filters());
  assert.equal(q.sql, `SELECT ${COLUMNS.join(', ')} FROM access_log WHERE time >= ? AND time < ? ORDER BY time DESC LIMIT 1000`);
  assert.deepEqual(q.params, [
    { type: 'timestamp', value: '2026-05-01T00:00:00.000Z' }, { type: 'timestamp', value: '2026-05-02T00:00:00.000Z' }]);
});

test('every filter becomes one predicate with its value in params', () => {
  const q = buildSearchQuery(filters({
    tenant_id: 'acme', user_id: 'u1', uuid: 'id-1', request_id: 'r-9', method: 'post', status: '5xx',
    path: '/api/', path_mode: 'prefix', user_agent: 'iPhone',
  }));
  assert.equal(q.sql, `SELECT ${COLUMNS.join(', ')} FROM access_log WHERE time >= ? AND time < ? AND tenant_id = ? ` +
    "AND user_id = ? AND uuid = ? AND request_id = ? AND method = ? AND status BETWEEN ? AND ? AND path LIKE ? ESCAPE '\\' " +
    "AND lower(user_agent) LIKE lower(?) ESCAPE '\\' ORDER BY time DESC LIMIT 1000");
  assert.deepEqual(q.params.slice(2), ['acme', 'u1', 'id-1', 'r-9', 'POST', 500, 599, '/api/%', '%iPhone%']);
  const exact = buildSearchQuery(filters({ status: '404', path: '/healthz', path_mode: 'exact' }));
  assert.match(exact.sql, /AND status = \? AND path = \? ORDER/);
  assert.deepEqual(exact.params.slice(2), [404, '/healthz']);
  assert.deepEqual(buildSearchQuery(filters({ path: '.js', path_mode: 'suffix' })).params[2], '%.js');
  assert.deepEqual(buildSearchQuery(filters({ path: 'login', path_mode: 'contains' })).params[2], '%login%');
  // Ids are trimmed (pasted with a space); a path is matched as typed.
  assert.deepEqual(buildSearchQuery(filters({ tenant_id: '  acme \n' })).params[2], 'acme');
  assert.deepEqual(buildSearchQuery(filters({ path: ' /x ', path_mode: 'exact' })).params[2], ' /x ');
});

test('no typed value reaches the SQL text: injection attempts only change params', () => {
  const fields = ['tenant_id', 'user_id', 'uuid', 'request_id', 'method', 'path', 'user_agent'];
  for (const field of fields) {
    const harmless = buildSearchQuery(filters({ [field]: 'x' }));
    for (const v of INJECTIONS) {
      const q = buildSearchQuery(filters({ [field]: v }));
      if (v.trim() === '' && field !== 'path' && field !== 'user_agent') continue;
      assert.equal(q.sql, harmless.sql, `${field} = ${JSON.stringify(v)} changed the SQL`);
      assert.equal(q.params.length, harmless.params.length);
      assert.equal((q.sql.match(/\?/g) ?? []).length, q.params.length, 'one ? per param');
      const p = q.params[2];
      if (field === 'path') assert.equal(p, `${escapeLike(v)}%`);
      else if (field === 'user_agent') assert.equal(p, `%${escapeLike(v)}%`);
      else if (field === 'method') assert.equal(p, v.trim().toUpperCase());
      else assert.equal(p, v.trim());
    }
  }
  for (const v of INJECTIONS) {
    assert.throws(() => buildSearchQuery(filters({ status: v })), FilterError, `status ${JSON.stringify(v)}`);
  }
});

test('LIKE patterns match the typed text literally', () => {
  for (const v of [...INJECTIONS, 'a_c', '50%', 'C:\\path\\_x']) {
    const e = escapeLike(v);
    assert.ok(likeMatches(v, e), `${v} vs ${e}`);
    assert.ok(likeMatches(`${v}/rest`, `${e}%`), 'prefix');
    assert.ok(likeMatches(`pre/${v}`, `%${e}`), 'suffix');
    assert.ok(likeMatches(`pre${v}post`, `%${e}%`), 'contains');
  }
  // Without escaping, '_' and '%' would match other text; escaped they do not.
  assert.equal(likeMatches('abc', `${escapeLike('a_c')}`), false);
  assert.equal(likeMatches('a-long-c', `${escapeLike('a%c')}`), false);
  assert.equal(likeMatches('ab', `${escapeLike('a\\')}b`), false);
  assert.equal(escapeLike('100%_\\'), '100\\%\\_\\\\');
  assert.equal(escapeLike('東京😀'), '東京😀');
});

test('status: exact codes and classes; anything else is refused with a message key', () => {
  assert.equal(parseStatus(''), null);
  assert.equal(parseStatus('  '), null);
  assert.deepEqual(parseStatus('404'), { low: 404, high: 404 });
  assert.deepEqual(parseStatus(' 2XX '), { low: 200, high: 299 });
  assert.deepEqual(parseStatus('5xx'), { low: 500, high: 599 });
  for (const bad of ['600', '40', '4044', 'abc', '4x', '2xx OR 1=1', '-1', '404.0', '0xx']) {
    assert.throws(() => parseStatus(bad), (e) => e instanceof FilterError && e.key === 'error_status' && e.vars.value === bad);
  }
});

test('the range: both ends, in order, at most 31 days', () => {
  const key = (f) => {
    try {
      buildSearchQuery(f);
      return 'ok';
    } catch (e) {
      assert.ok(e instanceof FilterError);
      return e.key;
    }
  };
  assert.equal(key(filters({ from: null })), 'error_range_missing');
  assert.equal(key(filters({ to: NaN })), 'error_range_missing');
  assert.equal(key(filters({ to: FROM })), 'error_range_order');
  assert.equal(key(filters({ to: FROM - 1 })), 'error_range_order');
  assert.equal(key(filters({ to: FROM + 31 * 24 * H })), 'ok');
  assert.equal(key(filters({ to: FROM + 31 * 24 * H + 60_000 })), 'error_range_too_long');
  assert.equal(key(filters({ to: FROM + 40 * 24 * H })), 'error_range_too_long');
  assert.throws(() => buildHistogramQuery(filters({ to: FROM + 40 * 24 * H })), FilterError);
});

test('the histogram query: bucket by minute, hour or (from hours) day, same filters', () => {
  assert.equal(histogramUnit(FROM, FROM + H), 'minute');
  assert.equal(histogramUnit(FROM, FROM + 3 * H), 'minute');
  assert.equal(histogramUnit(FROM, FROM + 3 * H + 1), 'hour');
  assert.equal(histogramUnit(FROM, FROM + 96 * H), 'hour');
  assert.equal(histogramUnit(FROM, FROM + 7 * 24 * H), 'day');
  const h = buildHistogramQuery(filters({ tenant_id: "' OR 1=1 --", status: '4xx' }));
  assert.equal(h.sql, "SELECT date_trunc('hour', time) AS bucket, count(*) AS records FROM access_log " +
    'WHERE time >= ? AND time < ? AND tenant_id = ? AND status BETWEEN ? AND ? GROUP BY 1 ORDER BY 1');
  assert.deepEqual(h.params.slice(2), ["' OR 1=1 --", 400, 499]);
  const week = buildHistogramQuery(filters({ to: FROM + 7 * 24 * H }));
  assert.equal(week.unit, 'day');
  assert.equal(week.sqlUnit, 'hour');
  assert.match(buildHistogramQuery(filters({ to: FROM + H })).sql, /date_trunc\('minute', time\)/);
});

// ---- time zones -------------------------------------------------------------------------------

test('wall times in a zone become UTC instants (JST 09:00 is 00:00Z)', () => {
  const iso = (ms) => new Date(ms).toISOString();
  assert.equal(iso(wallToUtc('2026-05-01T09:00', 'Asia/Tokyo')), '2026-05-01T00:00:00.000Z');
  assert.equal(iso(wallToUtc('2026-05-01T00:00', 'Asia/Tokyo')), '2026-04-30T15:00:00.000Z');
  assert.equal(iso(wallToUtc('2026-05-01T09:00', 'UTC')), '2026-05-01T09:00:00.000Z');
  assert.equal(iso(wallToUtc('2026-05-01 09:00:30', 'UTC')), '2026-05-01T09:00:30.000Z');
  assert.equal(iso(wallToUtc('2026-05-01T09:00', 'Asia/Kolkata')), '2026-05-01T03:30:00.000Z');
  assert.equal(iso(wallToUtc('2026-07-01T12:00', 'America/New_York')), '2026-07-01T16:00:00.000Z');  // EDT
  assert.equal(iso(wallToUtc('2026-01-15T12:00', 'America/New_York')), '2026-01-15T17:00:00.000Z');  // EST
  assert.equal(iso(wallToUtc('2026-01-15T12:00', 'Australia/Sydney')), '2026-01-15T01:00:00.000Z');  // AEDT
  // Twice on the night DST ends: the earlier; skipped when it starts: just after the jump.
  assert.equal(iso(wallToUtc('2026-11-01T01:30', 'America/New_York')), '2026-11-01T05:30:00.000Z');
  assert.equal(iso(wallToUtc('2026-03-08T02:30', 'America/New_York')), '2026-03-08T07:30:00.000Z');
  for (const bad of ['', '2026-05-01', '2026-13-01T00:00', '2026-02-30T10:00', '2026-05-01T24:00', 'x', null]) {
    assert.ok(Number.isNaN(wallToUtc(bad, 'Asia/Tokyo')), String(bad));
  }
});

test('UTC instants shown in a zone, and back again', () => {
  const t = Date.UTC(2026, 4, 1, 0, 0);
  assert.equal(utcToWall(t, 'Asia/Tokyo'), '2026-05-01T09:00');
  assert.equal(utcToWall(t, 'UTC'), '2026-05-01T00:00');
  assert.equal(formatTime(t + 123, 'Asia/Tokyo', '123456'), '2026-05-01 09:00:00.123456');
  assert.equal(zoneLabel('Asia/Tokyo', t), 'Asia/Tokyo (UTC+09:00)');
  assert.equal(zoneLabel('Asia/Kolkata', t), 'Asia/Kolkata (UTC+05:30)');
  assert.equal(zoneLabel('America/New_York', t), 'America/New_York (UTC-04:00)');
  assert.equal(zoneLabel('UTC', t), 'UTC');
  assert.equal(zoneOffsetMs(t, 'Asia/Tokyo'), 9 * H);
  // Every minute-aligned instant over a year round-trips in zones without DST overlaps at that time.
  for (const zone of ['Asia/Tokyo', 'Asia/Kolkata', 'UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe']) {
    for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 7 * H + 13 * 60_000) {
      const wall = utcToWall(ms, zone);
      const back = wallToUtc(wall, zone);
      // In a repeated hour the wall time names two instants; the earlier is taken.
      if (back !== ms) assert.ok(back < ms && ms - back <= H, `${zone} ${new Date(ms).toISOString()} → ${wall}`);
      assert.equal(utcToWall(back, zone), wall);
    }
  }
});

test('API timestamps keep their microseconds', () => {
  const t = parseServerTimestamp('2024-05-01 12:34:56.123456');
  assert.deepEqual(t, { ms: Date.UTC(2024, 4, 1, 12, 34, 56, 123), fraction: '123456' });
  assert.equal(parseServerTimestamp('2024-05-01 12:34:56').fraction, '');
  assert.equal(parseServerTimestamp('nope'), null);
  assert.equal(serverTimestampToIso('2024-05-01 12:34:56.123456'), '2024-05-01T12:34:56.123456Z');
  assert.equal(serverTimestampToIso('2024-05-01 12:34:56'), '2024-05-01T12:34:56Z');
  assert.equal(serverTimestampToIso('1969-12-31 23:59:59.999999'), '1969-12-31T23:59:59.999999Z');
  assert.equal(formatTime(t.ms, 'Asia/Tokyo', t.fraction), '2024-05-01 21:34:56.123456');
});

// ---- URL state --------------------------------------------------------------------------------

test('the URL holds the search: every filter survives a round trip', () => {
  const all = filters({
    tenant_id: 'acme & co=1#x', user_id: 'ユーザー 1', uuid: '550e8400-e29b-41d4-a716-446655440000', request_id: '%_\\',
    method: 'DELETE', status: '5xx', path: '/a b/+?c=d&e', path_mode: 'suffix', user_agent: "' OR 1=1 -- 😀",
  });
  const fragment = encodeSearch(all);
  assert.ok(!/[ #]/.test(fragment), fragment);
  assert.match(fragment, /^from=2026-05-01T00%3A00%3A00.000Z&to=2026-05-02T00%3A00%3A00.000Z&/);
  const back = decodeSearch(`#${fragment}`);
  assert.equal(back.complete, true);
  assert.deepEqual(back.filters, all);
  assert.deepEqual(buildSearchQuery(back.filters), buildSearchQuery(all));

  assert.equal(encodeSearch(filters()), 'from=2026-05-01T00%3A00%3A00.000Z&to=2026-05-02T00%3A00%3A00.000Z');
  const partial = decodeSearch('tenant=acme&from=garbage&match=nonsense&extra=1');
  assert.equal(partial.complete, false);
  assert.equal(partial.filters.tenant_id, 'acme');
  assert.equal(partial.filters.from, null);
  assert.equal(partial.filters.path_mode, 'prefix');
  assert.deepEqual(decodeSearch('').filters, emptyFilters());
});

// ---- downloads --------------------------------------------------------------------------------

const COLS = [{ name: 'time', type: 'timestamp' }, { name: 'path', type: 'varchar' }, { name: 'status', type: 'integer' },
  { name: 'extra', type: 'varchar' }];

test('CSV: RFC 4180 quoting, NULL vs empty, UTC ISO times, spreadsheet formulas neutralized', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\r\nlines'), '"two\r\nlines"');
  assert.equal(csvField(null), '');
  assert.equal(csvField(''), '""');
  const rows = [
    ['2024-05-01 12:34:56.123456', '/a,"b"\nc', 200, '{"k":"v, w"}'],
    ['2024-05-01 12:00:00', '=HYPERLINK("http://evil")', null, null],
    ['2024-05-01 11:00:00', '-', 404, ''],
    ['2024-05-01 10:00:00', '東京/😀', -1, '+1'],
  ];
  const text = toCsv(COLS, rows);
  assert.ok(text.endsWith('\r\n'));
  const parsed = parseCsv(text).map((r) => r.map((f) => (f.text === '' && !f.quoted ? null : f.text)));
  assert.deepEqual(parsed, [
    ['time', 'path', 'status', 'extra'],
    ['2024-05-01T12:34:56.123456Z', '/a,"b"\nc', '200', '{"k":"v, w"}'],
    ['2024-05-01T12:00:00Z', '\'=HYPERLINK("http://evil")', null, null],
    ['2024-05-01T11:00:00Z', '-', '404', ''],
    ['2024-05-01T10:00:00Z', '東京/😀', '-1', '\'+1'],
  ]);
});

test('NDJSON and the record view: one object per row, extra parsed back into an object', () => {
  const rows = [
    ['2024-05-01 12:34:56.123456', '/x', 200, '{"plan":"pro","n":[1,2]}'],
    ['2024-05-01 12:00:00', '/y', null, null],
    ['2024-05-01 11:00:00', '/z', 500, 'not json'],
  ];
  const lines = toNdjson(COLS, rows).split('\n');
  assert.equal(lines.pop(), '');
  assert.deepEqual(lines.map((l) => JSON.parse(l)), [
    { time: '2024-05-01T12:34:56.123456Z', path: '/x', status: 200, extra: { plan: 'pro', n: [1, 2] } },
    { time: '2024-05-01T12:00:00Z', path: '/y', status: null, extra: null },
    { time: '2024-05-01T11:00:00Z', path: '/z', status: 500, extra: 'not json' },
  ]);
  assert.deepEqual(recordObject(COLS, rows[0]).extra, { plan: 'pro', n: [1, 2] });
});

// ---- messages, errors, numbers, bins ----------------------------------------------------------

test('English and Japanese have the same keys and placeholders, and every key the page uses', () => {
  const en = LANGUAGES.en;
  const ja = LANGUAGES.ja;
  assert.deepEqual(Object.keys(ja).sort(), Object.keys(en).sort());
  for (const key of Object.keys(en)) {
    assert.ok(en[key].trim() && ja[key].trim(), key);
    assert.deepEqual(placeholders(ja[key]), placeholders(en[key]), key);
  }
  const used = new Set();
  const html = fs.readFileSync(path.join(UI, 'index.html'), 'utf8');
  for (const m of html.matchAll(/data-i18n(?:-placeholder|-title|-aria)?="(\w+)"/g)) used.add(m[1]);
  for (const file of fs.readdirSync(path.join(UI, 'js'))) {
    const js = fs.readFileSync(path.join(UI, 'js', file), 'utf8');
    for (const m of js.matchAll(/\b(?:t|translate\(\w+,)\s*\(?'(\w+)'/g)) used.add(m[1]);
    for (const m of js.matchAll(/(?:FilterError\(|key: )'(\w+)'/g)) used.add(m[1]);
  }
  for (const state of ['QUEUED', 'RUNNING']) used.add(`state_${state}`);
  for (const unit of ['minute', 'hour', 'day']) used.add(`histogram_unit_${unit}`);
  assert.ok(used.size > 40, `found only ${used.size} keys: the scan is broken`);
  for (const key of used) assert.ok(key in en, `the page uses "${key}", which has no message`);
  assert.equal(translate('ja', 'error_range_too_long', { days: 31 }), '期間が 31 日を超えています。短い期間を指定してください。');
  assert.equal(translate('en', 'summary_rows', { rows: '1,000' }), '1,000 records, newest first');
});

test('the language follows the browser until one is chosen', () => {
  assert.equal(pickLanguage(null, ['ja-JP', 'en-US']), 'ja');
  assert.equal(pickLanguage(null, ['fr-FR', 'ja']), 'ja');
  assert.equal(pickLanguage(null, ['de-DE']), 'en');
  assert.equal(pickLanguage(null, []), 'en');
  assert.equal(pickLanguage('en', ['ja-JP']), 'en');
  assert.equal(pickLanguage('xx', ['ja-JP']), 'ja');
});

test('errors in words a support person understands', () => {
  const key = (e) => describeError(e).key;
  assert.equal(key(new TypeError('fetch failed')), 'err_network');
  assert.equal(key(new ApiError({ status: 401, code: 'unauthorized' })), 'err_token');
  assert.equal(key(new ApiError({ status: 403, code: 'forbidden' })), 'err_forbidden');
  assert.equal(key(new ApiError({ status: 429, code: 'too_many_queries' })), 'err_busy');
  assert.equal(key(new ApiError({ status: 503, code: 'shutting_down' })), 'err_unavailable');
  assert.equal(key(new ApiError({ status: 400, message: 'the query would read 40 day partitions (2024-05-01 to 2024-06-09), more than the limit (max_days = 31)' })), 'err_range');
  assert.equal(key(new ApiError({ status: 200, state: 'FAILED', code: 'resource_exhausted', message: 'the query would read more than 1000 bytes (limit: max_bytes)' })), 'err_too_much_data');
  assert.equal(key(new ApiError({ status: 200, state: 'FAILED', code: 'deadline_exceeded', message: 'the query ran longer than 5 ms (limit: timeout_ms)' })), 'err_timeout');
  assert.equal(key(new ApiError({ status: 200, state: 'CANCELLED' })), 'err_cancelled');
  assert.equal(key(new ApiError({ status: 404, code: 'not_found', message: 'unknown or expired query' })), 'err_expired');
  assert.equal(key(new ApiError({ status: 400, code: 'invalid_request', message: 'line 1:8: unknown column' })), 'err_bad_query');
  assert.equal(key(new ApiError({ status: 500, code: 'internal' })), 'err_server');
  // The codes of src/server/query_api.cc.
  const codes = {
    range_too_large: 'err_range', bytes_limit: 'err_too_much_data', timeout: 'err_timeout', too_many_rows: 'err_too_big',
    memory_limit: 'err_too_big', cancelled: 'err_cancelled', too_many_queries: 'err_busy', shutting_down: 'err_unavailable',
    forbidden: 'err_forbidden', not_found: 'err_expired', invalid_query: 'err_bad_query',
  };
  for (const [code, want] of Object.entries(codes)) {
    assert.equal(key(new ApiError({ status: 200, state: 'FAILED', code, message: 'x' })), want, code);
  }
  assert.equal(describeError(new ApiError({ status: 400, code: 'invalid_request', message: 'm' })).detail, 'invalid_request: m');
  assert.deepEqual(describeError(new ApiError({ status: 400, message: 'max_range_days = 31' })).vars, { days: 31 });
});

test('byte counts in human units', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(999), '999 B');
  assert.equal(formatBytes(1500), '1.5 kB');
  assert.equal(formatBytes(123_456_789), '123 MB');
  assert.equal(formatBytes(10e9), '10 GB');
  assert.equal(formatBytes(12.34e9), '12.3 GB');
  assert.equal(formatBytes(-1), '—');
});

test('histogram bins: zero-filled minutes and hours; days of the viewer\'s zone', () => {
  const minutes = buildBins([['2026-05-01 00:02:00', 5], ['2026-05-01 00:04:00', 1]],
    { from: FROM, to: FROM + 5 * 60_000, unit: 'minute', zone: 'Asia/Tokyo' });
  assert.deepEqual(minutes.map((b) => b.count), [0, 0, 5, 0, 1]);
  assert.equal(minutes[0].start, FROM);
  // Tokyo days start at 15:00 UTC: hour rows are summed into them.
  const rows = [['2026-05-01 14:00:00', 2], ['2026-05-01 15:00:00', 3], ['2026-05-02 14:00:00', 4], ['2026-05-02 15:00:00', 7]];
  const days = buildBins(rows, { from: Date.UTC(2026, 4, 1, 15), to: Date.UTC(2026, 4, 3, 15), unit: 'day', zone: 'Asia/Tokyo' });
  assert.deepEqual(days.map((b) => [new Date(b.start).toISOString(), b.count]), [
    ['2026-05-01T15:00:00.000Z', 7], ['2026-05-02T15:00:00.000Z', 7]]);
  const utcDays = buildBins(rows, { from: FROM, to: FROM + 72 * H, unit: 'day', zone: 'UTC' });
  assert.deepEqual(utcDays.map((b) => b.count), [5, 11, 0]);
});

// ---- the API client ---------------------------------------------------------------------------

function fakeServer(handler) {
  const calls = [];
  const fetchImpl = async (url, init) => {
    calls.push({ url, ...init });
    const { status = 200, body } = handler(url, init, calls.length);
    return new Response(body === undefined ? '' : JSON.stringify(body), { status });
  };
  return { calls, fetchImpl };
}

function memoryStorage() {
  const m = new Map();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => m.set(k, String(v)), removeItem: (k) => m.delete(k) };
}

test('the API client: token header, polling, paging with next_token, errors as ApiError', async () => {
  const pages = { '': { rows: [[1], [2]], next: 'p2' }, p2: { rows: [[3]], next: null } };
  const server = fakeServer((url, init, n) => {
    const u = new URL(url, 'http://x');
    if (init.method === 'POST') return { body: { id: 'q1', state: 'QUEUED' } };
    if (u.pathname === '/v1/queries/q1') return { body: { id: 'q1', state: n < 4 ? 'RUNNING' : 'SUCCEEDED', stats: {} } };
    if (u.pathname === '/v1/queries/q1/results') {
      const page = pages[u.searchParams.get('next_token') ?? ''];
      assert.equal(u.searchParams.get('max_results'), '1000');
      return { body: { columns: [{ name: 'n', type: 'integer' }], rows: page.rows, next_token: page.next } };
    }
    return { status: 404, body: { error: { code: 'not_found', message: 'no' } } };
  });
  const storage = memoryStorage();
  const api = new QueryApi({ storage, fetchImpl: server.fetchImpl });
  api.token = 'secret-token-123456';
  const states = [];
  const r = await api.run('SELECT 1', [], { onState: (s) => states.push(s.state) });
  assert.deepEqual(r.rows, [[1], [2], [3]]);
  assert.deepEqual(states, ['RUNNING', 'RUNNING', 'SUCCEEDED']);
  assert.equal(server.calls[0].headers.Authorization, 'Bearer secret-token-123456');
  assert.deepEqual(JSON.parse(server.calls[0].body), { sql: 'SELECT 1', params: [], dedup: true });
  assert.equal(storage.getItem('loglake.token'), 'secret-token-123456');

  const limited = await new QueryApi({ fetchImpl: server.fetchImpl }).results('q1', { maxRows: 2 });
  assert.deepEqual(limited.rows, [[1], [2]]);
  assert.equal(limited.truncated, true);

  const failing = fakeServer((url, init) => (init.method === 'POST'
    ? { body: { id: 'q2', state: 'QUEUED' } }
    : { body: { id: 'q2', state: 'FAILED', error: { code: 'deadline_exceeded', message: 'the query ran longer than 5 ms' } } }));
  await assert.rejects(new QueryApi({ fetchImpl: failing.fetchImpl }).run('SELECT 1', []),
    (e) => e instanceof ApiError && e.state === 'FAILED' && describeError(e).key === 'err_timeout');
  const denied = fakeServer(() => ({ status: 401, body: { error: { code: 'unauthorized', message: 'missing token' } } }));
  await assert.rejects(new QueryApi({ fetchImpl: denied.fetchImpl }).submit('SELECT 1', []),
    (e) => e instanceof ApiError && e.status === 401 && e.code === 'unauthorized');
  assert.equal(denied.calls[0].headers.Authorization, undefined, 'no token, no header');
});
