// The other direction, as far as the command line reaches today: files that DuckDB writes for
// loglake's column types (each codec; format version 1, and version 2 with its DELTA_BINARY_PACKED
// and BYTE_STREAM_SPLIT encodings) open in loglake's reader, and `loglake inspect --pages` walks
// their footer, row groups, page headers and page index without error. (Row-for-row equality of loglake's reader with DuckDB is
// tested in C++, tests/unit/parquet, until a command dumps rows.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { freshDir, runLoglake } from './lib/loglake.mjs';
import { openDuckDB, sqlString } from './lib/duckdb.mjs';

const ROWS = 5000;
const VARIANTS = [
  { codec: 'snappy', version: 'V1', parquet: 'SNAPPY' },
  { codec: 'zstd', version: 'V1', parquet: 'ZSTD' },
  { codec: 'uncompressed', version: 'V1', parquet: 'UNCOMPRESSED' },
  { codec: 'snappy', version: 'V2', parquet: 'SNAPPY' },
  { codec: 'zstd', version: 'V2', parquet: 'ZSTD' },
];
const EXPECTED_TYPES = { s: 'string', i: 'int32', l: 'int64', d: 'double', b: 'bool', t: 'timestamp' };

let db;
let dir;

before(async () => {
  dir = freshDir('duckdb-files');
  db = await openDuckDB();
  for (const v of VARIANTS) {
    const file = path.join(dir, `${v.codec}-${v.version}.parquet`);
    // Every type, with nulls, repeats (dictionaries), sorted runs (DELTA) and extremes.
    await db.all(`COPY (
        SELECT CASE WHEN i % 11 = 0 THEN NULL ELSE 'user-' || (i % 97) || '-ünï' END AS s,
               CASE WHEN i % 13 = 0 THEN NULL WHEN i = 1 THEN -2147483648 WHEN i = 2 THEN 2147483647
                    ELSE (i * 7919) % 1000 END::INTEGER AS i,
               CASE WHEN i = 3 THEN -9223372036854775808 WHEN i = 4 THEN 9223372036854775807
                    ELSE i * 1000003 END::BIGINT AS l,
               CASE WHEN i % 17 = 0 THEN NULL ELSE i / 7.0 END::DOUBLE AS d,
               CASE WHEN i % 19 = 0 THEN NULL ELSE i % 3 = 0 END AS b,
               TIMESTAMPTZ '1969-12-31 00:00:00+00' + to_microseconds(i * 3600000000) AS t
          FROM range(${ROWS}) r(i))
      TO ${sqlString(file)} (FORMAT parquet, COMPRESSION ${v.codec}, ROW_GROUP_SIZE 2048,
                             PARQUET_VERSION ${v.version})`);
    v.file = file;
  }
});

after(() => db?.close());

for (const v of VARIANTS) {
  test(`loglake inspect reads DuckDB's ${v.codec} file, format ${v.version}`, async () => {
    const [{ n, codecs }] = await db.all(`SELECT count(*) AS n, (SELECT list(DISTINCT compression)
                                            FROM parquet_metadata(${sqlString(v.file)})) AS codecs
                                            FROM read_parquet(${sqlString(v.file)})`);
    assert.equal(Number(n), ROWS);
    assert.deepEqual([...codecs], [v.parquet]);
    const out = runLoglake(['inspect', '--pages', v.file]).stdout.toString();
    assert.match(out, /^loglake\s+readable$/m, 'loglake\'s reader opens the file');
    assert.match(out, new RegExp(`^rows\\s+${ROWS} in 3 row groups$`, 'm'));
    for (const [column, type] of Object.entries(EXPECTED_TYPES)) {
      assert.match(out, new RegExp(`^\\s+${column}\\s+.*-> ${type}$`, 'm'), `column ${column} maps to ${type}`);
    }
    assert.equal((out.match(new RegExp(` ${v.parquet}$`, 'gm')) ?? []).length, 3 * 6, 'codec of every chunk');
    if (v.version === 'V2') {
      assert.match(out, /encodings\s+.*DELTA_BINARY_PACKED/, 'version 2 files use DELTA encodings');
      assert.match(out, /encodings\s+.*BYTE_STREAM_SPLIT/, 'version 2 files use BYTE_STREAM_SPLIT');
    }
  });
}
