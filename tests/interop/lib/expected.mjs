// What a record should look like once converted, computed in JavaScript independently of
// loglake's C++: ISO-8601 to microseconds, the access_log columns, and the `extra` object.
import assert from 'node:assert/strict';

export const ACCESS_LOG_COLUMNS = [
  'uuid', 'time', 'tenant_id', 'user_id', 'method', 'path', 'query', 'status', 'duration_ms',
  'bytes_sent', 'remote_ip', 'user_agent', 'request_id',
];
export const ACCESS_LOG_ALL_COLUMNS = [...ACCESS_LOG_COLUMNS, 'extra'];

function daysFromCivil(y, m, d) {
  // Proleptic Gregorian, as a count of days since 1970-01-01 (eras of 400 years from March 1st).
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const ISO_TIMESTAMP = new RegExp('^(\\d{4})-(\\d\\d)-(\\d\\d)' +
  '(?:[Tt ](\\d\\d):(\\d\\d)(?::(\\d\\d)(?:[.,](\\d{1,9}))?)?(Z|z|[+-]\\d\\d(?::?\\d\\d)?)?)?$');

/**
 * Microseconds (bigint) of an ISO-8601 timestamp "YYYY-MM-DD[T ]hh:mm[:ss[.f]][Z|±hh:mm|±hhmm|±hh]";
 * fraction digits past microseconds are dropped. Throws on anything else.
 */
export function isoToMicros(text) {
  const m = ISO_TIMESTAMP.exec(text);
  if (!m) throw new Error(`not an ISO-8601 timestamp: ${text}`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
  const leap = (+y % 4 === 0 && +y % 100 !== 0) || +y % 400 === 0;
  const monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > monthDays[+mo - 1] || +h > 23 || +mi > 59 || +s > 60) {
    throw new Error(`not a valid date/time: ${text}`);
  }
  let seconds = BigInt(daysFromCivil(+y, +mo, +d)) * 86400n + BigInt(+h * 3600 + +mi * 60 + Math.min(+s, 59));
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1n : 1n;
    const digits = zone.slice(1).replace(':', '');
    const offset = BigInt(+digits.slice(0, 2) * 3600 + +(digits.slice(2, 4) || '0') * 60);
    seconds -= sign * offset;
  }
  let micros = BigInt((frac + '000000').slice(0, 6));
  if (+s === 60) micros = 999999n;  // a leap second is kept as the last microsecond of its minute
  return seconds * 1000000n + micros;
}

/** "YYYY-MM-DD" (UTC) of a microsecond instant. */
export function microsToDay(micros) {
  const ms = Number((micros - ((micros % 86400000000n) + 86400000000n) % 86400000000n) / 1000n);
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The row the access_log table holds for a generated record (parsed with JSON.parse, which is
 * exact for what `loglake gen` writes): columns, time as bigint µs, bytes_sent as bigint, and
 * `extra` as the object of the unknown keys (or null).
 */
export function expectedAccessLogRow(record) {
  const row = {};
  for (const c of ACCESS_LOG_COLUMNS) row[c] = record[c] ?? null;
  row.time = isoToMicros(record.time);
  row.bytes_sent = row.bytes_sent === null ? null : BigInt(row.bytes_sent);
  const extra = {};
  for (const [k, v] of Object.entries(record)) if (!ACCESS_LOG_COLUMNS.includes(k)) extra[k] = v;
  row.extra = Object.keys(extra).length ? extra : null;
  return row;
}

/**
 * Compares a row read back from a Parquet file (bigint µs time, `extra` as JSON text) with an
 * expected row (`extra` as an object), column by column, with a message naming the row and the
 * column.
 */
export function assertRowEquals(actual, expected, where) {
  for (const [column, want] of Object.entries(expected)) {
    let got = actual[column];
    // An object expected where the file holds text: the extra column's JSON, compared parsed.
    if (want !== null && typeof want === 'object' && typeof got === 'string') got = JSON.parse(got);
    if (typeof got === 'number' && typeof want === 'bigint') got = BigInt(got);
    if (typeof want === 'number' && Object.is(want, -0)) {
      assert.ok(Object.is(got, -0), `${where}: column ${column}: expected -0, got ${got}`);
      continue;
    }
    assert.deepStrictEqual(got ?? null, want, `${where}: column ${column}`);
  }
}

/** Count of rows per UTC day ("YYYY-MM-DD" → n) of rows with a bigint µs `time`. */
export function countPerDay(rows, column = 'time') {
  const counts = {};
  for (const r of rows) {
    const day = microsToDay(r[column]);
    counts[day] = (counts[day] ?? 0) + 1;
  }
  return counts;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const INT32 = [-(2n ** 31n), 2n ** 31n - 1n];
const INT64 = [-(2n ** 63n), 2n ** 63n - 1n];

/**
 * Judges one line that `loglake gen` wrote: { record } when it is a valid access_log record,
 * { reason } when the converter must reject it. Integers are checked on their exact text.
 */
export function classifyGeneratedLine(bytes) {
  let text;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return { reason: 'invalid UTF-8' };
  }
  let record;
  try {
    record = JSON.parse(text);
  } catch {
    return { reason: 'malformed JSON' };
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return { reason: 'not an object' };
  if (typeof record.time !== 'string') return { reason: 'time missing or not a string' };
  try {
    isoToMicros(record.time);
  } catch {
    return { reason: 'bad time' };
  }
  for (const [key, range] of [['status', INT32], ['bytes_sent', INT64]]) {
    if (record[key] === undefined || record[key] === null) continue;
    const m = new RegExp(`"${key}":(-?\\d+)[,}]`).exec(text);
    if (!m) return { reason: `${key} is not an integer` };
    const v = BigInt(m[1]);
    if (v < range[0] || v > range[1]) return { reason: `${key} out of range` };
  }
  return { record };
}
