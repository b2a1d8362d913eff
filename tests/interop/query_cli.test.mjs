// `loglake query` as a command: the output formats (csv parses back to the json values, json has
// exact types, ndjson and table), the statistics line, --explain, exit codes and error messages
// with line:column.
//
// Tests that need a working engine skip while `loglake query` is the placeholder; flag and
// help checks run always.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { freshDir } from './lib/loglake.mjs';
import { parseCsv } from './lib/query/csv.mjs';
import { duckQuery, openLakeInDuckDB } from './lib/query/duck.mjs';
import { engineMissing, parseJsonResult, queryArgs, runSync } from './lib/query/engine.mjs';
import { parseExactJson, JsonNumber } from './lib/query/exact_json.mjs';
import { buildQueryLake } from './lib/query/lake.mjs';
import { cellKey } from './lib/query/values.mjs';

const missing = engineMissing();
const skip = missing ? `engine not built: ${missing}` : false;
let lake;
let db;

before(async () => {
  if (missing) return;
  lake = buildQueryLake({ name: 'query-cli', records: 20_000, start: '2024-05-01', days: 2, seed: 5 });
  db = await openLakeInDuckDB(lake);
});
after(() => db?.close());

const ALL_TYPES_SQL = `SELECT uuid, time, status, duration_ms, bytes_sent, user_id, query, starts_with(path, '/api') AS api,
  9007199254740993 AS big, datepath FROM access_log ORDER BY uuid LIMIT 300`;

const run = (sql, opts) => runSync(queryArgs(lake, sql, opts));

test('--help explains every flag', () => {
  const r = runSync(['query', '--help']);
  assert.equal(r.status, 0);
  for (const flag of ['--lake', '--param', '--format', '--no-dedup', '--explain', '--threads', '--schema', '--max-days',
    '--max-bytes', '--timeout-ms', '--max-rows', '--now', '--max-width', '--quiet']) {
    assert.ok(r.stdout.includes(flag), `--help does not mention ${flag}`);
  }
  for (const word of ['table', 'csv', 'json', 'ndjson', 'string:', 'timestamp', 'Exit status']) {
    assert.ok(r.stdout.includes(word), `--help does not explain ${word}`);
  }
});

test('bad flags and parameters exit with 2 and say why', () => {
  const dir = freshDir('query-flags');
  let r = runSync(queryArgs(dir, 'SELECT 1', { format: 'xml' }));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--format: unknown format 'xml'; use table, csv, json or ndjson/);
  r = runSync(queryArgs(dir, 'SELECT ? FROM access_log', { params: ['bool:maybe'] }));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--param #1 \('bool:maybe'\).*true or false/);
  r = runSync(queryArgs(dir, 'SELECT ? FROM access_log', { params: ['99999999999999999999'] }));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /out of range for bigint/);
  r = runSync(queryArgs(dir, 'SELECT 1 FROM access_log', { now: 'yesterday' }));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--now/);
  r = runSync(['query', '--lake', dir]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /SQL is required/);
});

test('json: exact types and values', { skip }, async () => {
  const r = run(ALL_TYPES_SQL);
  assert.equal(r.status, 0, r.stderr);
  const obj = parseExactJson(r.stdout);
  assert.deepEqual(Object.keys(obj), ['columns', 'rows', 'stats']);
  assert.deepEqual(obj.columns, [
    { name: 'uuid', type: 'varchar' }, { name: 'time', type: 'timestamp' }, { name: 'status', type: 'integer' },
    { name: 'duration_ms', type: 'double' }, { name: 'bytes_sent', type: 'bigint' }, { name: 'user_id', type: 'varchar' },
    { name: 'query', type: 'varchar' }, { name: 'api', type: 'boolean' }, { name: 'big', type: 'bigint' },
    { name: 'datepath', type: 'varchar' }]);
  assert.equal(obj.rows.length, 300);
  for (const row of obj.rows) {
    assert.match(row[1], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
    assert.ok(row[2] instanceof JsonNumber && /^\d+$/.test(row[2].text));
    assert.ok(row[3] instanceof JsonNumber);
    assert.equal(String(Number(row[3].text)), row[3].text.replace(/^(\d+)$/, '$1'), 'doubles in shortest form');
    assert.equal(typeof row[7], 'boolean');
    assert.equal(row[8].text, '9007199254740993', 'bigint beyond 2^53 printed exactly');
  }
  assert.ok(obj.rows.some((row) => row[5] === null), 'some user_id is NULL');
  // The same values as DuckDB reads from the files.
  const ours = parseJsonResult(r.stdout);
  const duck = await duckQuery(db, `WITH base AS (SELECT * FROM raw QUALIFY row_number() OVER (PARTITION BY datepath, uuid ORDER BY filename, file_row_number) = 1)
    SELECT uuid, time, status, duration_ms, bytes_sent, user_id, query, starts_with(path, '/api'), 9007199254740993::BIGINT, datepath FROM base ORDER BY uuid LIMIT 300`);
  assert.deepEqual(ours.rows.map((row) => row.map(cellKey)), duck.rows.map((row) => row.map(cellKey)));
  for (const k of ['rows_returned', 'rows_scanned', 'bytes_scanned', 'files', 'row_groups_by_stats', 'row_groups_by_bloom',
    'row_groups_by_dictionary', 'pages_by_page_index', 'duplicates_dropped', 'elapsed_seconds']) {
    assert.ok(k in ours.stats, `stats.${k}`);
  }
  assert.equal(ours.stats.rows_returned, 300);
  assert.ok(ours.stats.bytes_scanned > 0 && ours.stats.rows_scanned >= 300);
});

test('csv parses back to the json values; NULL and empty strings stay apart', { skip }, () => {
  const sql = `SELECT uuid, time, status, duration_ms, bytes_sent, user_id, query, user_agent, extra, starts_with(path, '/api') AS api
    FROM access_log ORDER BY uuid LIMIT 2000`;
  const json = parseJsonResult(run(sql).stdout);
  const r = run(sql, { format: 'csv' });
  assert.equal(r.status, 0, r.stderr);
  const rows = parseCsv(r.stdout);
  assert.deepEqual(rows[0].map((f) => f.text), json.columns.map((c) => c.name));
  assert.equal(rows.length - 1, json.rows.length);
  let nulls = 0;
  let empties = 0;
  json.rows.forEach((row, i) => {
    row.forEach((cell, c) => {
      const field = rows[i + 1][c];
      if (cell === null) {
        nulls++;
        assert.deepEqual(field, { text: '', quoted: false }, `row ${i} ${json.columns[c].name}: NULL`);
      } else {
        if (cell === '') empties++;
        assert.equal(field.text, typeof cell === 'bigint' ? String(cell) : String(cell), `row ${i} ${json.columns[c].name}`);
      }
    });
  });
  assert.ok(nulls > 0, 'the sample has NULLs');
  assert.ok(empties > 0, 'the sample has empty strings (query = \'\')');
  assert.ok(/"[^"\r\n]*,/.test(r.stdout) || /""/.test(r.stdout), 'some field needed quoting');
});

test('ndjson: one object per row keyed by column name', { skip }, () => {
  const sql = 'SELECT uuid, status, user_id, duration_ms FROM access_log ORDER BY uuid LIMIT 50';
  const json = parseJsonResult(run(sql).stdout);
  const r = run(sql, { format: 'ndjson' });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.equal(lines.pop(), '');
  assert.equal(lines.length, 50);
  lines.forEach((line, i) => {
    const obj = parseExactJson(line);
    assert.deepEqual(Object.keys(obj), ['uuid', 'status', 'user_id', 'duration_ms']);
    assert.equal(obj.uuid, json.rows[i][0]);
    assert.equal(obj.status.toBigInt(), json.rows[i][1]);
    assert.equal(obj.user_id, json.rows[i][2]);
    assert.equal(obj.duration_ms.toNumber(), json.rows[i][3]);
  });
});

test('table: aligned, NULL shown, long values cut with …, stats on stderr', { skip }, () => {
  const sql = 'SELECT uuid, status, user_id, user_agent FROM access_log WHERE user_id IS NULL ORDER BY uuid LIMIT 5';
  const r = run(sql, { format: 'table', extra: ['--max-width', '30'] });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.match(lines[0], /^ uuid +\| status \| user_id \| user_agent$/);
  assert.match(lines[1], /^-+\+-+\+-+\+-+$/);
  assert.equal(lines[7], '(5 rows)');
  const bar = lines[0].indexOf('|');
  for (const line of lines.slice(2, 7)) {
    assert.equal(line.indexOf('|'), bar, `aligned: ${line}`);
    assert.match(line, /\| NULL +\|/);
    assert.ok(line.endsWith('…'), `cut at 30 characters: ${line}`);
  }
  // The quiet flag is set by queryArgs; without it the stats line goes to stderr.
  const loud = runSync(['query', '--lake', lake, sql]);
  assert.equal(loud.status, 0);
  assert.match(loud.stderr, /^5 rows returned; scanned [\d,]+ rows, .* bytes\); days listed \d+; files \d+ considered, \d+ pruned; row groups .*; \d+\.\d{3} s\n$/);
  assert.ok(!loud.stdout.includes('returned'), 'no stats on stdout');
});

test('--explain: in the json object, on stderr otherwise', { skip }, () => {
  const sql = "SELECT count(*) FROM access_log WHERE datepath = '2024/05/01' AND uuid = 'nope'";
  const json = parseJsonResult(run(sql, { extra: ['--explain'] }).stdout);
  assert.equal(typeof json.explain, 'string');
  assert.ok(json.explain.length > 0);
  const r = run(sql, { format: 'csv', extra: ['--explain'] });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '_col0\r\n0\r\n');
  assert.ok(r.stderr.length > 0, 'explain on stderr');
});

test('SQL errors exit with 2 and point at line:column', { skip }, () => {
  let r = run('SELECT uuid FORM access_log');
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^loglake query: line 1:\d+: /);
  r = run('SELECT uuid\nFROM access_log\nWHERE statuz = 200');
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /line 3:7: .*statuz.*status/);
  r = run("SELECT uuid FROM access_log WHERE status = 'x'");
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /line 1:\d+: .*(integer.*varchar|varchar.*integer)/);
  r = run('SELECT count(*) FROM no_such_table');
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /no_such_table/);
});

test('limits stop the query with exit 1 and name the setting', { skip }, () => {
  let r = run('SELECT count(DISTINCT uuid) FROM access_log', { extra: ['--max-bytes', '1KB'] });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /max-bytes|bytes/i);
  r = run('SELECT count(*) FROM access_log', { extra: ['--max-days', '1'] });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /max-days|days/i);
});

test('the query can come from standard input; dedup can be turned off', { skip }, () => {
  const sql = 'SELECT count(*) AS n, count(DISTINCT uuid) AS d FROM access_log';
  const r = runSync(queryArgs(lake, '-'), { input: sql });
  assert.equal(r.status, 0, r.stderr);
  const [n, d] = parseJsonResult(r.stdout).rows[0];
  assert.equal(n, d, 'deduplicated: each uuid once');
  const raw = parseJsonResult(run(sql, { noDedup: true }).stdout).rows[0];
  assert.ok(raw[0] > raw[1], 'raw rows include the duplicates');
  assert.equal(raw[1], d);
});

test('a lake without the table is an empty result or a clear error', { skip }, () => {
  const dir = freshDir('query-empty');
  fs.mkdirSync(path.join(dir, 'access_log'), { recursive: true });
  const r = runSync(queryArgs(dir, 'SELECT count(*) FROM access_log'));
  assert.equal(r.status, 0, r.stderr);
  assert.equal(parseJsonResult(r.stdout).rows[0][0], 0n);
});
