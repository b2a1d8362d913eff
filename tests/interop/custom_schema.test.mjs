// A user table from a TOML schema file: every column type (string, int32, int64, double, bool,
// timestamp), a non-nullable column, bloom filters on chosen columns, a renamed extra column and
// the Hive-style dt=YYYY-MM-DD layout. DuckDB (with hive_partitioning) and hyparquet must read
// the rows back exactly; records that break the schema must be rejected and kept.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { convert, errorRecords, freshDir, parquetFiles } from './lib/loglake.mjs';
import { openDuckDB, sqlFileList, sqlString } from './lib/duckdb.mjs';
import { bloomFilter, hyparquetMetadata, hyparquetRows } from './lib/hyparquet.mjs';
import { assertRowEquals, isoToMicros, microsToDay } from './lib/expected.mjs';
import { assertFooterStatistics } from './lib/stats.mjs';

const SCHEMA = `
name = "checkout_events"
time_column = "occurred_at"
dedup_key = "event_id"
partition = "dt=YYYY-MM-DD"
bloom_columns = ["event_id", "customer_id"]
extra_column = "other_fields"

[[columns]]
name = "event_id"
type = "string"
nullable = false

[[columns]]
name = "occurred_at"
type = "timestamp"

[[columns]]
name = "customer_id"
type = "string"

[[columns]]
name = "item_count"
type = "int32"

[[columns]]
name = "amount_cents"
type = "int64"

[[columns]]
name = "tax_rate"
type = "double"

[[columns]]
name = "gift"
type = "bool"

[[columns]]
name = "shipped_at"
type = "timestamp"
`;
const COLUMNS = ['event_id', 'occurred_at', 'customer_id', 'item_count', 'amount_cents', 'tax_rate', 'gift', 'shipped_at',
  'other_fields'];

const good = [];  // { line, expected }
const bad = [];   // { line, field } — the field the rejection must name

function row(values) {
  return Object.fromEntries(COLUMNS.map((c) => [c, values[c] ?? null]));
}

// 600 ordinary records over three days, then edge cases.
for (let i = 0; i < 600; i++) {
  const day = 10 + (i % 3);
  const pad = (v, n) => String(v).padStart(n, '0');
  const t = `2024-06-${day}T${pad(i % 24, 2)}:${pad(i % 60, 2)}:07.${pad(i, 6)}Z`;
  const rec = {
    event_id: `ev-${i}`, occurred_at: t, customer_id: i % 7 === 0 ? null : `cust-${i % 50}`, item_count: i % 9,
    amount_cents: 1999 * i, tax_rate: (i % 4) * 0.025, gift: i % 3 === 0, shipped_at: i % 5 === 0 ? undefined : t,
  };
  if (i % 10 === 0) rec.coupon = `SAVE${i}`;
  const expected = row({ ...rec, occurred_at: isoToMicros(t), amount_cents: BigInt(rec.amount_cents),
    shipped_at: rec.shipped_at ? isoToMicros(t) : null, other_fields: rec.coupon ? { coupon: rec.coupon } : null });
  delete expected.coupon;
  good.push({ line: JSON.stringify(rec), expected });
}
good.push({
  line: '{"event_id":"edge-1","occurred_at":"1999-12-31T23:30:00-02:00","item_count":-2147483648,' +
    '"amount_cents":-9223372036854775808,"tax_rate":-0.0,"gift":false,"shipped_at":"1969-07-20T20:17:40Z"}',
  expected: row({ event_id: 'edge-1', occurred_at: isoToMicros('2000-01-01T01:30:00Z'), item_count: -2147483648,
    amount_cents: -9223372036854775808n, tax_rate: -0, gift: false, shipped_at: isoToMicros('1969-07-20T20:17:40Z') }),
});
good.push({
  line: '{"event_id":"edge-2","occurred_at":1718000000,"item_count":"2147483647","amount_cents":9223372036854775807,' +
    '"tax_rate":1e308,"gift":true,"note":"ünï\\u00e7ødé","nested":{"a":[1,{"b":null}]}}',
  expected: row({ event_id: 'edge-2', occurred_at: 1718000000000000n, item_count: 2147483647,
    amount_cents: 9223372036854775807n, tax_rate: 1e308, gift: true,
    other_fields: { note: 'ünïçødé', nested: { a: [1, { b: null }] } } }),
});
bad.push({ line: '{"occurred_at":"2024-06-10T00:00:00Z","item_count":1}', field: 'event_id' });
bad.push({ line: '{"event_id":null,"occurred_at":"2024-06-10T00:00:00Z"}', field: 'event_id' });
bad.push({ line: '{"event_id":"b3","occurred_at":"2024-06-10T00:00:00Z","gift":"true"}', field: 'gift' });
bad.push({ line: '{"event_id":"b4","occurred_at":"2024-06-10T00:00:00Z","gift":1}', field: 'gift' });
bad.push({ line: '{"event_id":"b5","occurred_at":"2024-06-10T00:00:00Z","item_count":2147483648}', field: 'item_count' });
bad.push({ line: '{"event_id":"b6","occurred_at":"2024-06-10T00:00:00Z","item_count":1.5}', field: 'item_count' });
bad.push({ line: '{"event_id":"b7","occurred_at":"2024-06-10T00:00:00Z","tax_rate":1e400}', field: 'tax_rate' });
bad.push({ line: '{"event_id":"b8","occurred_at":"2024-06-10T00:00:00Z","shipped_at":"2024-06-31T00:00:00Z"}',
  field: 'shipped_at' });
bad.push({ line: '{"event_id":"b9","occurred_at":"2024-06-10T00:00:00Z","amount_cents":"12 dollars"}',
  field: 'amount_cents' });

let lake;
let files;
let summary;
let db;

before(async () => {
  const dir = freshDir('custom');
  lake = path.join(dir, 'lake');
  const schemaFile = path.join(dir, 'checkout_events.toml');
  fs.writeFileSync(schemaFile, SCHEMA);
  const input = [...good.map((g) => g.line), ...bad.map((b) => b.line)].join('\n') + '\n';
  ({ summary } = convert({ lake, table: 'checkout_events', schema: schemaFile, input }));
  files = parquetFiles(lake, 'checkout_events');
  db = await openDuckDB();
});

after(() => db?.close());

test('counts: every good record written, every bad one rejected', () => {
  assert.equal(summary.read, good.length + bad.length);
  assert.equal(summary.written, good.length);
  assert.equal(summary.rejected, bad.length);
});

test('files use the Hive layout dt=YYYY-MM-DD, one folder per UTC day', () => {
  const folders = [...new Set(files.map((f) => path.relative(path.join(lake, 'checkout_events'), path.dirname(f))))].sort();
  assert.deepEqual(folders, ['dt=2000-01-01', 'dt=2024-06-10', 'dt=2024-06-11', 'dt=2024-06-12']);
});

test('DuckDB reads every row back exactly, and its hive partition column matches each row\'s day', async () => {
  const select = COLUMNS.map((c) => (c.endsWith('_at') ? `epoch_us("${c}") AS "${c}"` : `"${c}"`)).join(', ');
  const rows = await db.all(`SELECT ${select}, dt::VARCHAR AS dt
                               FROM read_parquet(${sqlFileList(files)}, hive_partitioning = true)`);
  assert.equal(rows.length, good.length);
  const byId = new Map(rows.map((r) => [r.event_id, r]));
  for (const g of good) {
    const r = byId.get(g.expected.event_id);
    assert.ok(r, `${g.expected.event_id} missing`);
    assertRowEquals(r, g.expected, `DuckDB ${g.expected.event_id}`);
    assert.equal(r.dt, microsToDay(g.expected.occurred_at), `${g.expected.event_id}: dt`);
  }
});

test('hyparquet reads every row back exactly', async () => {
  const rows = [];
  for (const f of files) rows.push(...(await hyparquetRows(f)));
  const byId = new Map(rows.map((r) => [r.event_id, r]));
  assert.equal(rows.length, good.length);
  for (const g of good) assertRowEquals(byId.get(g.expected.event_id), g.expected, `hyparquet ${g.expected.event_id}`);
});

test('schema: types as declared, the non-nullable column REQUIRED, bool as BOOLEAN', async () => {
  const rows = await db.all(`SELECT name, type, repetition_type, duckdb_type FROM parquet_schema(${sqlString(files[0])})
                              WHERE name <> 'schema'`);
  assert.deepEqual(rows.map((r) => r.name), COLUMNS);
  const t = Object.fromEntries(rows.map((r) => [r.name, r]));
  assert.deepEqual(rows.map((r) => r.duckdb_type), ['VARCHAR', 'TIMESTAMP WITH TIME ZONE', 'VARCHAR', 'INTEGER', 'BIGINT',
    'DOUBLE', 'BOOLEAN', 'TIMESTAMP WITH TIME ZONE', 'VARCHAR']);
  assert.equal(t.event_id.repetition_type, 'REQUIRED');
  assert.equal(t.customer_id.repetition_type, 'OPTIONAL');
  assert.equal(t.gift.type, 'BOOLEAN');
});

test('statistics are right for every type, and bloom filters sit on the declared columns only', async () => {
  for (const f of files) {
    await assertFooterStatistics(f);
    const { buf, metadata } = hyparquetMetadata(f);
    for (const chunk of metadata.row_groups[0].columns) {
      const column = chunk.meta_data.path_in_schema[0];
      assert.equal(bloomFilter(buf, metadata, chunk) !== undefined, ['event_id', 'customer_id'].includes(column),
        `${f}: ${column}`);
    }
  }
});

test('rejected records are in _errors/ with their text and a reason naming the field', () => {
  const errors = errorRecords(lake, 'checkout_events');
  assert.equal(errors.length, bad.length);
  for (const b of bad) {
    const e = errors.find((x) => x.raw === b.line);
    assert.ok(e, `not stored as received: ${b.line}`);
    assert.match(e.error, new RegExp(b.field), `${b.line}: reason "${e.error}" names ${b.field}`);
    // All these records have a readable time: their errors are filed under that day.
    assert.match(e.file, /_errors[/\\]2024[/\\]06[/\\]10[/\\]/);
  }
});
