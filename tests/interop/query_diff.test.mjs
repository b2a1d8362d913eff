// The differential suite of the query engine: hand-written queries covering every construct and
// function of the dialect plus queries generated from a grammar (lib/query/grammar.mjs) run on
// `loglake query --format json` and on DuckDB over the same Parquet files, with the equivalent
// DuckDB SQL; the results must be identical (lib/query/values.mjs says exactly how they are
// compared). Deduplication: by default loglake's rows must equal DuckDB's rows after
// `QUALIFY row_number() OVER (PARTITION BY datepath, uuid ORDER BY filename, file_row_number) = 1`
// applied after the WHERE; with --no-dedup, DuckDB's raw rows. Every third query also runs with
// --no-dedup, and queries alternate between 1 and 2 threads.
//
// Skips (without building the lake) while `loglake query` is the placeholder engine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { HAND_WRITTEN, NOW } from './lib/query/cases.mjs';
import { duckQuery, openLakeInDuckDB } from './lib/query/duck.mjs';
import { engineMissing, parseJsonResult, queryArgs, runAsync, runPool } from './lib/query/engine.mjs';
import { generateQueries, sampleLake } from './lib/query/grammar.mjs';
import { buildQueryLake } from './lib/query/lake.mjs';
import { buildQuery } from './lib/query/sql_builder.mjs';
import { compareResults } from './lib/query/values.mjs';

const RECORDS = Number(process.env.LOGLAKE_QUERY_DIFF_RECORDS ?? 200_000);
const GENERATED = Number(process.env.LOGLAKE_QUERY_DIFF_GENERATED ?? 220);
const SEED = Number(process.env.LOGLAKE_QUERY_DIFF_SEED ?? 20240501);
const START = '2024-04-30';  // three days across a month boundary
const DAYS = 3;

const missing = engineMissing();
let lake;
let db;
let runs = [];  // { name, query, built, noDedup, threads, result (ours) }

before(async () => {
  if (missing) return;
  lake = buildQueryLake({ name: 'query-diff', records: RECORDS, start: START, days: DAYS, dupRate: 0.01 });
  db = await openLakeInDuckDB(lake);
  const samples = await sampleLake(db);
  const queries = [...HAND_WRITTEN, ...generateQueries(samples, GENERATED, SEED)];
  runs = [];
  queries.forEach((query, i) => {
    for (const noDedup of i % 3 === 0 ? [false, true] : [false]) {
      runs.push({ name: `${query.name}${noDedup ? ' [--no-dedup]' : ''}`, query, built: buildQuery(query, { noDedup }), noDedup,
        threads: 1 + (runs.length % 2) });
    }
  });
  // Our engine, two processes at a time (the machine has two cores).
  const outputs = await runPool(runs.map((r) => () => runAsync(queryArgs(lake, r.built.trino,
    { noDedup: r.noDedup, now: NOW, threads: r.threads }))), 2);
  outputs.forEach((out, i) => { runs[i].output = out; });
});

after(() => db?.close());

test('the lake has duplicates for the deduplication to remove', { skip: missing ? `engine not built: ${missing}` : false }, async () => {
  const [{ total, distinct }] = await db.all('SELECT count(*) AS total, count(DISTINCT uuid) AS distinct FROM raw');
  assert.ok(Number(total) > Number(distinct) + RECORDS / 500, `expected duplicates: ${total} rows, ${distinct} uuids`);
});

test('at least 200 queries', { skip: missing ? `engine not built: ${missing}` : false }, () => {
  assert.ok(new Set(runs.map((r) => r.query)).size >= 200, `${runs.length} runs`);
});

test('loglake query agrees with DuckDB', { skip: missing ? `engine not built: ${missing}` : false }, async (t) => {
  for (const run of runs) {
    await t.test(run.name, async () => {
      const { built, output } = run;
      const context = `\n  loglake: ${built.trino}${run.noDedup ? '  (--no-dedup)' : ''}\n  duckdb:  ${built.duckdb}`;
      assert.equal(output.status, 0, `loglake query failed (${output.status ?? output.signal}): ${output.stderr.trim()}${context}`);
      const ours = parseJsonResult(output.stdout);
      let expected;
      try {
        expected = await duckQuery(db, built.duckdb);
      } catch (e) {
        throw new Error(`DuckDB rejected the equivalent query (a test bug): ${e.message}${context}`);
      }
      assert.deepEqual(ours.columns.map((c) => c.name), built.names, `column names${context}`);
      const diff = compareResults(ours, expected, { ordered: built.ordered, approx: built.approx });
      assert.equal(diff, null, `${diff}${context}`);
      assert.equal(ours.stats.rows_returned, ours.rows.length, `stats.rows_returned${context}`);
    });
  }
});
