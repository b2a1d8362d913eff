// DuckDB's side of bench/query: one query over a lake's Parquet files, as a whole process.
//
//   node duckdb_query.mjs LAKE THREADS SQL
//
// `access_log` is a view over LAKE/access_log/*/*/*/*.parquet (time is TIMESTAMP WITH TIME ZONE;
// the session zone is UTC, so TIMESTAMP literals mean UTC as in loglake). Prints one line of
// JSON: {"seconds": wall time of the query inside the process, "rows": rows returned, "first":
// the first row as text}.
//
//   node duckdb_query.mjs --column-bytes GLOB COLUMN,COLUMN...
//
// prints {"bytes": compressed size of those columns' chunks in the matching files} (from
// parquet_metadata): what a reader that reads just those columns of those files reads.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const requireFromTests = createRequire(path.join(here, '..', '..', 'tests', 'interop', 'package.json'));
const { DuckDBInstance } = await import(pathToFileURL(requireFromTests.resolve('@duckdb/node-api')).href);

const quote = (s) => `'${s.replaceAll("'", "''")}'`;

if (process.argv[2] === '--column-bytes') {
  // The compressed size of the column chunks of COLUMNS in the files matching GLOB.
  const [glob, columns] = process.argv.slice(3);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const list = columns.split(',').map(quote).join(', ');
  const reader = await connection.runAndReadAll(
    `SELECT coalesce(sum(total_compressed_size), 0)::BIGINT FROM parquet_metadata(${quote(glob)}) WHERE path_in_schema IN (${list})`);
  console.log(JSON.stringify({ bytes: Number(reader.getRows()[0][0]) }));
  connection.closeSync();
  process.exit(0);
}

const [lake, threads, sql] = process.argv.slice(2);
if (!lake || !threads || !sql) {
  console.error('usage: node duckdb_query.mjs LAKE THREADS SQL\n       node duckdb_query.mjs --column-bytes GLOB COLUMN,COLUMN...');
  process.exit(2);
}

const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const connection = await instance.connect();
await connection.run(`SET TimeZone = 'UTC'`);
await connection.run(`CREATE VIEW access_log AS SELECT * FROM read_parquet(${quote(path.join(lake, 'access_log', '*', '*', '*', '*.parquet'))})`);
const started = process.hrtime.bigint();
const reader = await connection.runAndReadAll(sql);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const rows = reader.getRows();
connection.closeSync();
console.log(JSON.stringify({ seconds, rows: rows.length, first: rows.length ? rows[0].map(String).join('|') : '' }));
