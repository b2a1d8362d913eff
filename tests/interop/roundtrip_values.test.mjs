// Hand-written records with the values that break converters — escapes and unicode, empty vs null
// vs missing, 100 KB strings, int32/int64 extremes, doubles (±0, huge, tiny, many digits),
// timestamps before 1970 and with offsets, unknown keys — converted with each codec, then read
// back by DuckDB and by hyparquet: every value must come back exactly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { convert, freshDir, parquetFiles } from './lib/loglake.mjs';
import { openDuckDB, readRows, sqlFileList } from './lib/duckdb.mjs';
import { hyparquetRows } from './lib/hyparquet.mjs';
import { assertFooterStatistics } from './lib/stats.mjs';
import { ACCESS_LOG_ALL_COLUMNS, assertRowEquals, isoToMicros, microsToDay } from './lib/expected.mjs';

const DEFAULT_TIME = '2024-05-01T12:00:00Z';
const cases = [];  // { line, expected }

// Adds a record made of `fields` ([key, raw JSON text] pairs; uuid and time are added unless
// given) and the row it must become: every column null except the given `expect` values.
function record(name, fields, expect = {}) {
  const uuid = `00000000-0000-4000-8000-${String(cases.length).padStart(12, '0')}`;
  const keys = fields.map(([k]) => k);
  const time = keys.includes('time') ? [] : [['time', JSON.stringify(DEFAULT_TIME)]];
  const all = [['uuid', JSON.stringify(uuid)], ...time, ...fields];
  const line = `{${all.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
  const expected = Object.fromEntries(ACCESS_LOG_ALL_COLUMNS.map((c) => [c, null]));
  expected.uuid = uuid;
  expected.time = isoToMicros(DEFAULT_TIME);
  Object.assign(expected, expect);
  cases.push({ name, line, expected });
}

// A deterministic, hard-to-compress string of `n` UTF-16 units mixing ASCII, 2-, 3- and 4-byte
// UTF-8 characters.
function bigString(n, seed) {
  const alphabet = ['a', 'Z', '7', ' ', '/', 'é', 'ß', 'Ж', '東', '京', '€', '🎧', '𝄞', '"', '\\'];
  let x = seed;
  let s = '';
  while (s.length < n) {
    x = (x * 1103515245 + 12345) % 2147483648;
    s += alphabet[x % alphabet.length];
  }
  return s;
}

// Strings: escapes, unicode, empty vs null vs missing, non-strings in string columns.
const escaped = '"\\"quoted\\" \\\\ back\\/slash \\b\\f\\n\\r\\t \\u0000\\u001f \\u00e9 \\u2028 \\ud83c\\udfa7"';
record('JSON escapes', [['path', escaped]], { path: JSON.parse(escaped) });
record('raw unicode', [['user_agent', JSON.stringify('ünïcödé 東京 🎧 Ελληνικά עברית 𝄞')]],
  { user_agent: 'ünïcödé 東京 🎧 Ελληνικά עברית 𝄞' });
record('empty strings', [['query', '""'], ['user_id', '""'], ['path', '""']], { query: '', user_id: '', path: '' });
record('explicit nulls', [['query', 'null'], ['user_id', 'null'], ['status', 'null'], ['duration_ms', 'null'],
  ['bytes_sent', 'null']]);
record('missing keys', [['method', '"GET"']], { method: 'GET' });
const big1 = bigString(100 * 1024, 1);
const big2 = bigString(100 * 1024, 2);
record('100 KB strings', [['user_agent', JSON.stringify(big1)], ['path', JSON.stringify(big2)]],
  { user_agent: big1, path: big2 });
record('numbers, bools and objects in string columns', [['tenant_id', '42'], ['method', 'true'],
  ['path', '{"a": [1, 2.50, "x"]}']], { tenant_id: '42', method: 'true', path: '{"a":[1,2.50,"x"]}' });

// Integers.
record('int32 max', [['status', '2147483647']], { status: 2147483647 });
record('int32 min', [['status', '-2147483648']], { status: -2147483648 });
record('int32 zero', [['status', '0']], { status: 0 });
record('int32 from an integral float', [['status', '200.0']], { status: 200 });
record('int32 from an exponent', [['status', '2e2']], { status: 200 });
record('int32 from a numeric string', [['status', '"404"']], { status: 404 });
record('int64 max', [['bytes_sent', '9223372036854775807']], { bytes_sent: 9223372036854775807n });
record('int64 min', [['bytes_sent', '-9223372036854775808']], { bytes_sent: -9223372036854775808n });
record('int64 beyond 2^53', [['bytes_sent', '9007199254740993']], { bytes_sent: 9007199254740993n });
record('int64 from a numeric string', [['bytes_sent', '"123"']], { bytes_sent: 123n });

// Doubles: JSON.parse is correctly rounded, so it says which double each text denotes.
for (const text of ['0', '-0.0', '1.7976931348623157e308', '-1.7976931348623157e308', '5e-324',
  '2.2250738585072014e-308', '0.1', '0.30000000000000004', '3.141592653589793', '123456789012345678901234567890',
  '1E+2', '-1.5e-10', '42', '1.00000000000000011102230246251565404236316680908203125', '9007199254740993']) {
  record(`double ${text}`, [['duration_ms', text]], { duration_ms: JSON.parse(text) });
}
record('double from a numeric string', [['duration_ms', '"2.5"']], { duration_ms: 2.5 });

// Timestamps.
for (const text of ['1969-12-31T23:59:59.999999Z', '1900-01-01T00:00:00Z', '0001-01-01T00:00:00Z',
  '1583-10-15T00:00:00.000001Z', '2024-03-10T01:30:00.5+09:00', '2024-03-09T20:00:00-05:30', '2024-03-09T12:00:00+0530',
  '2024-02-29T12:00:00.123456789Z', '2024-03-09 12:00:00Z', '2024-03-09T12:00Z', '2024-03-09', '2024-03-09T12:00:00',
  '2016-12-31T23:59:60Z', '9999-12-31T23:59:59.999999Z']) {
  record(`timestamp ${text}`, [['time', JSON.stringify(text)]], { time: isoToMicros(text) });
}
record('epoch seconds', [['time', '1709985600']], { time: 1709985600000000n });
record('epoch milliseconds', [['time', '1709985600123']], { time: 1709985600123000n });
record('negative epoch seconds', [['time', '-86400']], { time: -86400000000n });
record('epoch seconds as a string', [['time', '"1709985600"']], { time: 1709985600000000n });

// Unknown keys go to `extra`, with their values' JSON, nested and unicode included; a key named
// "extra" is just another unknown key.
const extraFields = [['referer', '"https://example.com/?q=caf%C3%A9"'], ['trace', '{"span":"abc","ids":[1,2.5,true,null]}'],
  ['big', '12345678901234567890123'], ['note', '"東京 🎧 \\"q\\" \\\\"'], ['extra', '{"nested":{"deep":[]}}'],
  ['flag', 'false'],
  ['nothing', 'null']];
record('unknown keys', [['status', '200'], ...extraFields], {
  status: 200,
  extra: {
    referer: 'https://example.com/?q=caf%C3%A9', trace: { span: 'abc', ids: [1, 2.5, true, null] },
    big: 12345678901234567890123, note: '東京 🎧 "q" \\', extra: { nested: { deep: [] } }, flag: false, nothing: null,
  },
});

// Framing: a BOM, CRLF, blank lines, objects concatenated without a delimiter (as Firehose writes
// them) and a JSON array, all in one input.
function framedInput() {
  const lines = cases.map((c) => c.line);
  const head = lines.slice(0, 4);
  const rest = lines.slice(4);
  const concatenated = rest.slice(0, 3).join('');
  const array = `[${rest.slice(3, 6).join(',\r\n ')}]`;
  return '\ufeff' + head.join('\r\n') + '\r\n\r\n' + concatenated + '\n' + array + '\n\n' + rest.slice(6).join('\n') + '\n';
}

const codecs = ['snappy', 'zstd', 'none'];
const lakes = {};
let db;

before(async () => {
  const dir = freshDir('values');
  const input = framedInput();
  for (const codec of codecs) {
    lakes[codec] = path.join(dir, codec);
    const { summary } = convert({ lake: lakes[codec], codec, input });
    assert.equal(summary.read, cases.length, `${codec}: records read`);
    assert.equal(summary.written, cases.length, `${codec}: records written`);
    assert.equal(summary.rejected, 0, `${codec}: nothing rejected`);
  }
  db = await openDuckDB();
});

after(() => db?.close());

function checkRows(rows, reader) {
  assert.equal(rows.length, cases.length, `${reader}: row count`);
  const byUuid = new Map(rows.map((r) => [r.uuid, r]));
  for (const c of cases) {
    const row = byUuid.get(c.expected.uuid);
    assert.ok(row, `${reader}: ${c.name}: row missing`);
    assertRowEquals(row, c.expected, `${reader}: ${c.name}`);
  }
}

for (const codec of codecs) {
  test(`DuckDB reads every value back exactly (${codec})`, async () => {
    checkRows(await readRows(db, parquetFiles(lakes[codec], 'access_log'), ACCESS_LOG_ALL_COLUMNS, ['time']), 'DuckDB');
  });

  test(`hyparquet reads every value back exactly (${codec})`, async () => {
    const rows = [];
    for (const f of parquetFiles(lakes[codec], 'access_log')) rows.push(...(await hyparquetRows(f)));
    checkRows(rows, 'hyparquet');
  });
}

test('statistics hold for extremes: signed ints, ±0 and huge doubles, pre-1970 times, 100 KB strings', async () => {
  for (const f of parquetFiles(lakes.snappy, 'access_log')) await assertFooterStatistics(f);
});

test('extra keeps big numbers as written, not rounded through a double', async () => {
  const [{ extra }] = await db.all(
    `SELECT extra FROM read_parquet(${sqlFileList(parquetFiles(lakes.snappy, 'access_log'))}) WHERE extra IS NOT NULL`);
  assert.match(extra, /12345678901234567890123/);
});

test('each record lands in the folder of its UTC day, whatever its offset', async () => {
  const lake = path.join(lakes.snappy, 'access_log');
  const rows = await db.all(
    `SELECT uuid, filename FROM read_parquet(${sqlFileList(parquetFiles(lakes.snappy, 'access_log'))}, filename = true)`);
  const folder = (file) => path.relative(lake, path.dirname(file)).split(path.sep).join('-');
  const folderOf = new Map(rows.map((r) => [r.uuid, folder(r.filename)]));
  for (const c of cases) assert.equal(folderOf.get(c.expected.uuid), microsToDay(c.expected.time), c.name);
  // The offset cases cross midnight: +09:00 goes back a day, -05:30 forward.
  assert.equal(microsToDay(isoToMicros('2024-03-10T01:30:00.5+09:00')), '2024-03-09');
  assert.equal(microsToDay(isoToMicros('2024-03-09T20:00:00-05:30')), '2024-03-10');
});
