// Regenerates the DuckDB-written Parquet files the reader tests compare against, and
// expected.json holding the values DuckDB wrote.
//
//   node tests/unit/parquet/testdata/make_duckdb_files.mjs
//
// Uses @duckdb/node-api from tests/interop/node_modules (scripts/install-deps.sh --npm). Every
// file holds the same rows (one SELECT) written with different options, so one expected.json
// serves them all. expected.json: {"columns": [...], "rows": [[...], ...]}; every value is null,
// true/false or a string: integers and timestamps (µs since the epoch) in decimal, doubles as
// their IEEE-754 bits in hex ("0x3ff8000000000000") so that -0.0 and NaN compare exactly.
import { createRequire } from 'node:module';
import { writeFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../../../interop/package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

const kRows = 500;

// Deterministic rows covering nulls, empty strings, unicode, integer extremes, special doubles and
// timestamps before 1970 and far from it.
const kSelect = `
SELECT
  CASE WHEN i % 17 = 0 THEN NULL
       WHEN i % 5 = 0 THEN 'user-' || (i * 7919 % 1000003) || ' ünïcødé 日本語 🎉'
       ELSE 'user-' || (i * 7919 % 1000003) END AS s_unique,
  CASE WHEN i % 11 = 0 THEN NULL WHEN i % 13 = 0 THEN ''
       ELSE ['GET', 'POST', 'PUT', 'DELETE', 'ПАТЧ'][1 + i % 5] END AS s_dict,
  CASE WHEN i % 7 = 0 THEN NULL WHEN i = 1 THEN 2147483647 WHEN i = 2 THEN -2147483648
       ELSE ((i * 2654435761) % 4294967296 - 2147483648)::INTEGER END AS i32,
  CASE WHEN i % 19 = 0 THEN NULL WHEN i = 3 THEN 9223372036854775807 WHEN i = 4 THEN -9223372036854775808
       ELSE (i::BIGINT * 1000003 * 1000033 * (CASE WHEN i % 2 = 0 THEN 1 ELSE -1 END)) END AS i64,
  CASE WHEN i % 23 = 0 THEN NULL
       WHEN i = 5 THEN TIMESTAMPTZ '0001-01-01 00:00:00+00'
       WHEN i = 6 THEN TIMESTAMPTZ '9999-12-31 23:59:59.999999+00'
       ELSE TIMESTAMPTZ '1969-12-31 23:59:59.999999+00' + to_microseconds((i - 250) * 3600000017*3) END AS ts,
  CASE WHEN i % 29 = 0 THEN NULL WHEN i = 7 THEN 0.0::DOUBLE WHEN i = 8 THEN -0.0::DOUBLE
       WHEN i = 9 THEN 'inf'::DOUBLE WHEN i = 10 THEN '-inf'::DOUBLE WHEN i = 11 THEN 'nan'::DOUBLE
       WHEN i = 12 THEN 1.7976931348623157e308 WHEN i = 13 THEN 5e-324
       ELSE (i - 250) * 1.1 / 7 END AS d,
  CASE WHEN i % 9 = 0 THEN NULL ELSE i % 3 = 0 END AS b,
  CASE WHEN i % 31 = 0 THEN NULL
       ELSE (TIMESTAMP '1960-06-15 12:00:00' + to_milliseconds(i * 86400123 * 3))::TIMESTAMP_MS END AS ts_ms,
  CASE WHEN i % 37 = 0 THEN NULL
       ELSE make_timestamp_ns((i - 250)::BIGINT * 1000000007 * 997) END AS ts_ns,
  (i * 3)::INTEGER AS req_i32
FROM range(${kRows}) t(i)
ORDER BY i`;

// Files: name -> COPY options. Small row groups give several per file.
const kFiles = {
  'duckdb_snappy_v1.parquet': 'COMPRESSION snappy',
  'duckdb_zstd_v2.parquet': 'COMPRESSION zstd, PARQUET_VERSION v2',
  'duckdb_uncompressed_v1.parquet': 'COMPRESSION uncompressed',
  'duckdb_gzip_v2.parquet': 'COMPRESSION gzip, PARQUET_VERSION v2',
};

function DoubleBits(x) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return '0x' + view.getBigUint64(0).toString(16).padStart(16, '0');
}

function FloorDiv(a, b) {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
await c.run(`SET TimeZone = 'UTC'`);
await c.run(`CREATE TABLE t AS ${kSelect}`);
await c.run(`ALTER TABLE t ALTER req_i32 SET NOT NULL`);

for (const [name, options] of Object.entries(kFiles)) {
  const path = join(here, name);
  rmSync(path, { force: true });
  await c.run(`COPY t TO '${path}' (FORMAT parquet, ${options})`);
}

// Several row groups (DuckDB cuts them at multiples of its 2048-row vectors) of rows whose values
// follow from the row number, so the test computes them instead of storing them:
// id = i, big = i * 1000000007 - 2^40, name = 'n' || i (NULL when i % 10 = 3).
await c.run(`COPY (SELECT i::INTEGER AS id, i * 1000000007 - 1099511627776 AS big,
                          CASE WHEN i % 10 = 3 THEN NULL ELSE 'n' || i END AS name
                   FROM range(5000) t(i) ORDER BY i)
             TO '${join(here, 'duckdb_row_groups.parquet')}' (FORMAT parquet, COMPRESSION snappy, PARQUET_VERSION v2, ROW_GROUP_SIZE 2048)`);

// Files the reader must refuse with Unimplemented, naming the column.
await c.run(`COPY (SELECT 1::INTEGER AS ok, DATE '2024-01-02' AS day) TO '${join(here, 'duckdb_date.parquet')}' (FORMAT parquet)`);
await c.run(`COPY (SELECT 1::INTEGER AS ok, [1, 2] AS list) TO '${join(here, 'duckdb_list.parquet')}' (FORMAT parquet)`);

const reader = await c.runAndReadAll(`
  SELECT s_unique, s_dict, i32::VARCHAR, i64::VARCHAR, epoch_us(ts)::VARCHAR, d, b,
         epoch_us(ts_ms)::VARCHAR, epoch_ns(ts_ns)::VARCHAR, req_i32::VARCHAR
  FROM t ORDER BY req_i32`);
const rows = reader.getRows().map((r) => r.map((v, k) => {
  if (v === null) return null;
  if (k === 5) return DoubleBits(v);
  if (k === 8) return FloorDiv(BigInt(v), 1000n).toString();  // the reader returns µs, floored
  return v;
}));
const columns = ['s_unique', 's_dict', 'i32', 'i64', 'ts', 'd', 'b', 'ts_ms', 'ts_ns', 'req_i32'];
const lines = rows.map((r) => JSON.stringify(r));
writeFileSync(join(here, 'expected.json'),
              `{"columns": ${JSON.stringify(columns)},\n "rows": [\n${lines.join(',\n')}\n]}\n`);

// Show what DuckDB chose, to keep the tests' coverage claims honest.
for (const name of [...Object.keys(kFiles), 'duckdb_row_groups.parquet']) {
  const meta = await c.runAndReadAll(`
    SELECT path_in_schema, string_agg(DISTINCT encodings, ' | ') AS encodings, any_value(compression) AS codec,
           count(*) AS row_groups
    FROM parquet_metadata('${join(here, name)}') GROUP BY path_in_schema ORDER BY path_in_schema`);
  console.log(name);
  for (const r of meta.getRows()) console.log('  ', r.join('  '));
}
