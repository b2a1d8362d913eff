// Regenerates tests/fuzz/parquet_reader_seeds/: tiny Parquet files (a few rows each) written by
// DuckDB, one per layout the reader handles, so the fuzzer starts from small valid inputs.
//
//   node tests/fuzz/make_parquet_seeds.mjs
import { createRequire } from 'node:module';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../interop/package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');
const out = join(here, 'parquet_reader_seeds');
mkdirSync(out, { recursive: true });

const kRows = `
  SELECT CASE WHEN i % 3 = 0 THEN NULL ELSE 'v' || (i % 4) END AS s,
         (i * 7 - 20)::INTEGER AS i32, CASE WHEN i % 5 = 0 THEN NULL ELSE i * -123456789012 END AS i64,
         TIMESTAMPTZ '1969-12-31 23:00:00+00' + to_seconds(i * 977) AS ts,
         (i / 3)::DOUBLE AS d, i % 2 = 0 AS b
  FROM range(12) t(i)`;
const kSeeds = {
  'v1_snappy.parquet': [kRows, 'COMPRESSION snappy'],
  'v2_zstd.parquet': [kRows, 'COMPRESSION zstd, PARQUET_VERSION v2'],
  'v1_plain.parquet': [kRows, 'COMPRESSION uncompressed'],
  'v2_plain.parquet': [kRows, 'COMPRESSION uncompressed, PARQUET_VERSION v2'],
  'empty.parquet': ['SELECT 1::INTEGER AS a, \'x\' AS s WHERE false', 'COMPRESSION uncompressed'],
  'all_null.parquet': ['SELECT NULL::VARCHAR AS s, NULL::BIGINT AS n FROM range(30)', 'COMPRESSION uncompressed'],
};

const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
await c.run(`SET TimeZone = 'UTC'`);
for (const [name, [select, options]] of Object.entries(kSeeds)) {
  const path = join(out, name);
  rmSync(path, { force: true });
  await c.run(`COPY (${select}) TO '${path}' (FORMAT parquet, ${options})`);
}
