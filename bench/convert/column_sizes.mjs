// Per-column compressed sizes of loglake's output against DuckDB's, from DuckDB's
// parquet_metadata(): where the bytes of each output go, to explain the size ratios of run.sh.
//
//   node column_sizes.mjs LAKE_TABLE_DIR NAME=FILE.parquet [NAME=FILE.parquet ...]
//
// A NAME=DIR argument stands for every .parquet file under DIR (another lake table, say).
//
// Prints a Markdown table: one row per column (sum of the column chunks' total_compressed_size
// over every file and row group, dictionary pages included), then the bloom filters, everything
// else (page indexes, footers, magic numbers) and the total bytes of the files.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const requireFromTests = createRequire(path.join(here, '..', '..', 'tests', 'interop', 'package.json'));
const { DuckDBInstance } = await import(pathToFileURL(requireFromTests.resolve('@duckdb/node-api')).href);

const [lakeDir, ...others] = process.argv.slice(2);
if (!lakeDir || others.length === 0 || others.some((o) => !o.includes('='))) {
  console.error('usage: node column_sizes.mjs LAKE_TABLE_DIR NAME=FILE.parquet|DIR [NAME=FILE.parquet|DIR ...]');
  process.exit(2);
}
const quote = (s) => `'${s.replaceAll("'", "''")}'`;

function parquetFilesUnder(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '_errors') out.push(...parquetFilesUnder(p));
    } else if (entry.name.endsWith('.parquet')) {
      out.push(p);
    }
  }
  return out;
}

const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
const connection = await instance.connect();

async function sizes(files) {
  const list = `[${files.map(quote).join(', ')}]`;
  const reader = await connection.runAndReadAll(
    `SELECT path_in_schema, SUM(total_compressed_size)::BIGINT, SUM(COALESCE(bloom_filter_length, 0))::BIGINT
       FROM parquet_metadata(${list}) GROUP BY path_in_schema`);
  const columns = new Map();
  let bloom = 0;
  for (const [name, bytes, bloomBytes] of reader.getRowsJS()) {
    columns.set(name, Number(bytes));
    bloom += Number(bloomBytes);
  }
  const total = files.reduce((s, f) => s + fs.statSync(f).size, 0);
  const data = [...columns.values()].reduce((a, b) => a + b, 0);
  return { columns, bloom, other: total - data - bloom, total };
}

const outputs = [['loglake', await sizes(parquetFilesUnder(lakeDir))]];
for (const o of others) {
  const [name, file] = [o.slice(0, o.indexOf('=')), o.slice(o.indexOf('=') + 1)];
  outputs.push([name, await sizes(fs.statSync(file).isDirectory() ? parquetFilesUnder(file) : [file])]);
}
connection.closeSync();

const names = [];
for (const [, s] of outputs) for (const c of s.columns.keys()) if (!names.includes(c)) names.push(c);
const mb = (n) => (n === undefined ? '–' : (n / 1e6).toFixed(2));
console.log(`| column | ${outputs.map(([n]) => n + ' (MB)').join(' | ')} |`);
console.log(`|---|${outputs.map(() => '---:').join('|')}|`);
for (const c of names) console.log(`| ${c} | ${outputs.map(([, s]) => mb(s.columns.get(c))).join(' | ')} |`);
console.log(`| bloom filters | ${outputs.map(([, s]) => mb(s.bloom)).join(' | ')} |`);
console.log(`| page index, footer | ${outputs.map(([, s]) => mb(s.other)).join(' | ')} |`);
console.log(`| **total** | ${outputs.map(([, s]) => `**${mb(s.total)}**`).join(' | ')} |`);
