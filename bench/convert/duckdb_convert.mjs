// DuckDB's side of bench/convert: NDJSON -> one Parquet file with COPY, on one thread (or on
// THREADS, with insertion order not kept, DuckDB's fastest setting).
//
//   node duckdb_convert.mjs IN OUT.parquet snappy|zstd [columns|all-keys] [THREADS]
//
// IN is a file or a glob ('dir/*.ndjson').
//
// `columns` (the default) reads the issue's 12 access_log columns, as `read_json(..., columns =
// {...})` with the types loglake writes; DuckDB then drops every other key. `all-keys` also reads
// the keys that loglake keeps in its `extra` column (`loglake gen` writes referer, session_id,
// search_term, trace (an object) and x_forwarded_for), each as a column of its own: the same
// content as loglake's output, for a like-for-like size comparison.
//
// Prints one line of JSON: {"seconds": <wall time of the COPY>, "cpu_seconds": <CPU time of the
// process during the COPY (user + system)>}. DuckDB comes from the test peers
// installed in tests/interop (scripts/install-deps.sh --npm).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const requireFromTests = createRequire(path.join(here, '..', '..', 'tests', 'interop', 'package.json'));
const { DuckDBInstance } = await import(pathToFileURL(requireFromTests.resolve('@duckdb/node-api')).href);

const [input, output, codec, variant = 'columns', threadsArg = '1'] = process.argv.slice(2);
const threads = Number(threadsArg);
if (!input || !output || !['snappy', 'zstd'].includes(codec) || !['columns', 'all-keys'].includes(variant) ||
    !(Number.isInteger(threads) && threads >= 1)) {
  console.error('usage: node duckdb_convert.mjs IN OUT.parquet snappy|zstd [columns|all-keys] [THREADS]');
  process.exit(2);
}
const quote = (s) => `'${s.replaceAll("'", "''")}'`;

// The access_log columns with the types loglake writes. DuckDB ignores keys not listed (loglake
// keeps them in `extra`, so it does a little more work per record); `all-keys` lists them too.
const columns = `{uuid: 'VARCHAR', time: 'TIMESTAMP', tenant_id: 'VARCHAR', user_id: 'VARCHAR', method: 'VARCHAR',
  path: 'VARCHAR', query: 'VARCHAR', status: 'INTEGER', duration_ms: 'DOUBLE', bytes_sent: 'BIGINT',
  remote_ip: 'VARCHAR', user_agent: 'VARCHAR', request_id: 'VARCHAR'${variant === 'all-keys'
    ? `, referer: 'VARCHAR', session_id: 'VARCHAR', search_term: 'VARCHAR', trace: 'JSON',
  x_forwarded_for: 'VARCHAR'` : ''}}`;

const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const connection = await instance.connect();
await connection.run(`SET threads = ${threads}`);
await connection.run(`SET preserve_insertion_order = ${threads === 1}`);
const started = process.hrtime.bigint();
const cpuBefore = process.cpuUsage();
await connection.run(
  `COPY (SELECT * FROM read_json(${quote(input)}, format = 'newline_delimited', columns = ${columns}))
     TO ${quote(output)} (FORMAT parquet, COMPRESSION ${codec})`);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpuBefore);
connection.closeSync();
console.log(JSON.stringify({ seconds, cpu_seconds: (cpu.user + cpu.system) / 1e6 }));
