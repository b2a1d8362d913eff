// The duplicate index in our files' footers (`loglake.duplicates`, docs/tables.md) checked
// against DuckDB: decoded here from the text DuckDB's parquet_kv_metadata() shows, it must list
// exactly the groups of rows that share a uuid, by the file row numbers DuckDB reports.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { convert, freshDir, gen, parquetFiles } from './lib/loglake.mjs';
import { openDuckDB, sqlString } from './lib/duckdb.mjs';

let db;
let files;

before(async () => {
  const lake = path.join(freshDir('duplicate_index'), 'lake');
  const input = gen({ records: 30_000, start: '2024-05-01', days: 2, seed: 9, dupRate: 0.02 });
  convert({ lake, input, extraArgs: ['--row-group-rows', '4000'] });
  files = parquetFiles(lake, 'access_log');
  assert.equal(files.length, 2, 'two days, one file each');
  db = await openDuckDB();
});

after(() => db?.close());

// Unsigned LEB128 varints of `bytes`, as Numbers (row numbers stay far below 2^53).
function varints(bytes) {
  const out = [];
  let value = 0;
  let shift = 0;
  for (const b of bytes) {
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) {
      out.push(value);
      value = 0;
      shift = 0;
    }
  }
  assert.equal(shift, 0, 'no truncated varint');
  return out;
}

// "1 <key column> <rows> <base64>" → { column, rows, groups: [[row, ...], ...] }.
function decodeIndex(text) {
  const [version, column, rows, payload, ...rest] = text.split(' ');
  assert.equal(version, '1');
  assert.equal(rest.length, 0);
  const v = varints(Buffer.from(payload, 'base64'));
  const groups = [];
  let pos = 1;
  let first = 0;
  for (let g = 0; g < v[0]; g++) {
    const size = v[pos++];
    first += v[pos++];
    const group = [first];
    for (let i = 1; i < size; i++) group.push(group.at(-1) + v[pos++]);
    groups.push(group);
  }
  assert.equal(pos, v.length, 'no trailing varints');
  return { column, rows: Number(rows), groups };
}

test('each file lists exactly the rows that share a uuid, as DuckDB numbers them', async () => {
  let total = 0;
  for (const file of files) {
    const kv = await db.all(`SELECT decode(value) AS value FROM parquet_kv_metadata(${sqlString(file)})
                              WHERE decode(key) = 'loglake.duplicates'`);
    assert.equal(kv.length, 1, file);
    const index = decodeIndex(kv[0].value);
    assert.equal(index.column, 'uuid');
    const [{ n }] = await db.all(`SELECT count(*) AS n FROM read_parquet(${sqlString(file)})`);
    assert.equal(index.rows, Number(n));
    const rows = await db.all(`
      SELECT list(file_row_number ORDER BY file_row_number) AS rows
        FROM read_parquet(${sqlString(file)}, file_row_number = true)
       WHERE uuid IS NOT NULL
       GROUP BY uuid HAVING count(*) > 1
       ORDER BY min(file_row_number)`);
    const expected = rows.map((r) => r.rows.map(Number));
    assert.deepEqual(index.groups, expected, file);
    total += expected.length;
  }
  assert.ok(total > 100, `only ${total} duplicate groups: the input should have hundreds`);
});
