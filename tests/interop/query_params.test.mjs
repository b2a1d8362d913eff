// `?` parameters of `loglake query --param`: injection attempts, quotes, backslashes, unicode
// and LIKE wildcards bind as values (never as SQL text) and match exactly the rows DuckDB's
// prepared statement matches with the same value; typed parameters (int, bigint, double,
// boolean, timestamp, null, explicit string:) compare like DuckDB's typed bindings.
//
// Skips while `loglake query` is the placeholder engine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { NOW } from './lib/query/cases.mjs';
import { duckQuery, openLakeInDuckDB } from './lib/query/duck.mjs';
import { engineMissing, parseJsonResult, queryArgs, runSync } from './lib/query/engine.mjs';
import { buildQueryLake } from './lib/query/lake.mjs';
import { bindAll, str, typed } from './lib/query/params.mjs';
import { buildQuery } from './lib/query/sql_builder.mjs';
import { compareResults } from './lib/query/values.mjs';

const missing = engineMissing();
const skip = missing ? `engine not built: ${missing}` : false;
let lake;
let db;

before(async () => {
  if (missing) return;
  lake = buildQueryLake({ name: 'query-params', records: 30_000, start: '2024-05-01', days: 2, seed: 11 });
  db = await openLakeInDuckDB(lake);
});
after(() => db?.close());

const INJECTIONS = [
  "' OR 1=1 --", "' OR '1'='1", "x'; DROP TABLE access_log; --", "acme' --", "acme'", "'", "''", '"', '"acme"',
  '\\', "\\'", '\\\\', 'O\'Reilly "Learning SQL"', '%', '_', '%%', '\\%', 'a%', '%.js', '_%', '東京', '東京 ホテル',
  '😀', 'caf\u00e9', 'cafe\u0301', '?', '$1', ':name', '@p', ' acme', 'acme ', 'ACME', '', 'NULL', 'null:', 'x\ny',
  'tab\there', '/*', '*/', '--', ';', 'acme', 'globex', '/healthz', '/', 'usr_', 'req-', 'Mozilla',
];

/** Runs `q` on both engines with `params`; asserts identical typed results. */
async function assertSame(q, params, { noDedup = false } = {}) {
  const built = buildQuery({ ...q, params: true }, { noDedup });
  assert.equal(built.paramCount, params.length, 'test bug: parameter count');
  const r = runSync(queryArgs(lake, built.trino, { params: params.map((p) => p.text), now: NOW, noDedup }));
  const context = `\n  loglake: ${built.trino}  params: ${JSON.stringify(params.map((p) => p.text))}\n  duckdb: ${built.duckdb}`;
  assert.equal(r.status, 0, `loglake query failed: ${r.stderr}${context}`);
  const ours = parseJsonResult(r.stdout);
  const expected = await duckQuery(db, built.duckdb, bindAll(params));
  const diff = compareResults(ours, expected, { ordered: built.ordered, approx: built.approx });
  assert.equal(diff, null, `${diff}${context}`);
  return ours;
}

test('string values that look like SQL bind as values', { skip }, async () => {
  for (const v of INJECTIONS) {
    await assertSame({ select: ['count(*)'], where: 'tenant_id = ?' }, [str(v)]);
    await assertSame({ select: ['count(*)'], where: 'path LIKE ?' }, [str(v)]);
    await assertSame({ select: ["sum(CASE WHEN strpos(extra, ?) > 0 THEN 1 ELSE 0 END)",
      "sum(CASE WHEN user_agent LIKE '%' || ? || '%' THEN 1 ELSE 0 END)"] }, [str(v), str(v)]);
  }
});

test('an injection attempt matches nothing and changes no other predicate', { skip }, async () => {
  const ours = await assertSame({ select: ['count(*)'], where: "tenant_id = ? AND status >= 0" }, [str("' OR 1=1 --")]);
  assert.equal(ours.rows[0][0], 0n);
  const all = await assertSame({ select: ['count(*)'], where: "tenant_id <> ?" }, [str("acme' OR tenant_id = 'globex")]);
  assert.ok(all.rows[0][0] > 0n);
});

test('a parameter comes back unchanged in the select list', { skip }, async () => {
  for (const v of INJECTIONS) {
    const ours = await assertSame({ select: [{ e: '?', as: 'v' }, 'count(*)'], where: 'status = 503', groupBy: ['1'] }, [str(v)]);
    assert.equal(ours.rows[0]?.[0], v);
  }
});

test('LIKE patterns and ESCAPE given as parameters', { skip }, async () => {
  for (const [pattern, escape] of [['%\\%%', '\\'], ['usr\\_%', '\\'], ['%#_%', '#'], ['/api/v_/%', '!']]) {
    await assertSame({ select: ['count(*)'], where: 'coalesce(query, user_id, path) LIKE ? ESCAPE ?' }, [str(pattern), str(escape)]);
  }
});

test('typed parameters', { skip }, async () => {
  await assertSame({ select: ['count(*)'], where: 'status = ?' }, [typed('503', 'integer', 503)]);
  await assertSame({ select: ['count(*)'], where: 'status >= ? AND status < ?' }, [typed('int:400', 'integer', 400), typed('500', 'integer', 500)]);
  await assertSame({ select: ['count(*)'], where: 'bytes_sent < ?' }, [typed('5000000000', 'bigint', 5000000000n)]);
  await assertSame({ select: ['count(*)'], where: 'bytes_sent > ?' }, [typed('-9223372036854775808', 'bigint', -9223372036854775808n)]);
  await assertSame({ select: ['count(*)'], where: 'duration_ms > ?' }, [typed('1.5', 'double', 1.5)]);
  await assertSame({ select: ['count(*)'], where: 'duration_ms <= ?' }, [typed('double:42', 'double', 42)]);
  await assertSame({ select: ['count(*)'], where: 'duration_ms < ?' }, [typed('2.5e2', 'double', 250)]);
  await assertSame({ select: ['count(*)'], where: "starts_with(path, '/api') = ?" }, [typed('true', 'boolean', true)]);
  await assertSame({ select: ['count(*)'], where: "starts_with(path, '/api') = ?" }, [typed('bool:FALSE', 'boolean', false)]);
  await assertSame({ select: ['count(*)'], where: 'time >= ?' }, [typed('2024-05-01T12:00:00Z', 'timestamp', 1714564800000000n)]);
  await assertSame({ select: ['count(*)'], where: 'time < ?' }, [typed('2024-05-01 12:00:00.5', 'timestamp', 1714564800500000n)]);
  await assertSame({ select: ['count(*)'], where: 'time BETWEEN ? AND ?' },
    [typed('2024-05-01T09:00:00+09:00', 'timestamp', 1714521600000000n), typed('timestamp:2024-05-02', 'timestamp', 1714608000000000n)]);
  await assertSame({ select: ['count(*)'], where: 'cast(status AS varchar) = ?' }, [typed('string:503', 'varchar', '503')]);
  await assertSame({ select: ['count(*)'], where: 'tenant_id = ?' }, [typed('string:true', 'varchar', 'true')]);
  await assertSame({ select: ['count(*)'], where: 'user_id = ?' }, [typed('null', 'null', null)]);
  await assertSame({ select: ['count(*)'], where: 'user_id <> ? OR user_id IS NULL' }, [typed('null:', 'null', null)]);
  await assertSame({ select: ['count(*)'], where: 'tenant_id = ? AND status >= ? AND time < ? AND duration_ms > ?' },
    [str('acme'), typed('400', 'integer', 400), typed('2024-05-02T00:00:00Z', 'timestamp', 1714608000000000n), typed('0.5', 'double', 0.5)]);
  await assertSame({ select: ['uuid', 'status'], where: 'status = ?', orderBy: [{ e: 'uuid' }], limit: 20 }, [typed('-7', 'integer', -7)]);
});

test('parameters with deduplication off', { skip }, async () => {
  await assertSame({ select: ['count(*)', 'count(DISTINCT uuid)'], where: 'tenant_id = ?' }, [str('acme')], { noDedup: true });
});

test('the number of values must match the number of ?', { skip }, () => {
  const sql = 'SELECT count(*) FROM access_log WHERE tenant_id = ? AND status = ?';
  const r = runSync(queryArgs(lake, sql, { params: ['acme'] }));
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /2 parameters.*1 value/);
  const extra = runSync(queryArgs(lake, 'SELECT count(*) FROM access_log', { params: ['acme'] }));
  assert.equal(extra.status, 2, extra.stderr);
  assert.match(extra.stderr, /0 parameters|no parameters/);
});

test('a ? inside a string literal or a comment is not a parameter', { skip }, async () => {
  await assertSame({ select: ['count(*)'], where: "query LIKE '?%' AND tenant_id = ? /* ? */" }, [str('acme')]);
});

test('a value that looks like a type prefix needs string:', { skip }, () => {
  const r = runSync(queryArgs(lake, 'SELECT count(*) FROM access_log WHERE tenant_id = ?', { params: ['int:acme'] }));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--param #1 \('int:acme'\): int: 'acme' is not an integer/);
  const ok = runSync(queryArgs(lake, 'SELECT ? FROM access_log LIMIT 1', { params: ['string:int:acme'] }));
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(parseJsonResult(ok.stdout).rows[0][0], 'int:acme');
});
