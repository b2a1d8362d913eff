// What DuckDB and hyparquet see in our files' metadata: the codec asked for, logical types,
// exact column statistics, a page index, usable split-block bloom filters on the key columns and
// the table schema in the key-value metadata.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { convert, freshDir, gen, parquetFiles, runLoglake } from './lib/loglake.mjs';
import { openDuckDB, sqlString } from './lib/duckdb.mjs';
import { bloomFilter, hyparquetMetadata, pageIndexes } from './lib/hyparquet.mjs';
import { assertBound, assertFooterStatistics, columnStats, rowGroupsOf } from './lib/stats.mjs';
import { ACCESS_LOG_ALL_COLUMNS, isoToMicros } from './lib/expected.mjs';

const CODECS = { snappy: 'SNAPPY', zstd: 'ZSTD', none: 'UNCOMPRESSED' };
const ROW_GROUP_ROWS = 7000;
const BLOOM_COLUMNS = ['uuid', 'user_id', 'request_id'];
const STRING_COLUMNS = ['uuid', 'tenant_id', 'user_id', 'method', 'path', 'query', 'remote_ip', 'user_agent',
  'request_id', 'extra'];

let db;
const files = {};  // codec -> parquet files
let allSnappyFile;  // --codec snappy --min-compression-saving 0

before(async () => {
  const dir = freshDir('metadata');
  const input = gen({ records: 20_000, start: '2024-05-01', days: 1, seed: 3, dupRate: 0.01 });
  for (const codec of Object.keys(CODECS)) {
    const lake = path.join(dir, codec);
    convert({ lake, codec, input, extraArgs: ['--row-group-rows', String(ROW_GROUP_ROWS)] });
    files[codec] = parquetFiles(lake, 'access_log');
    assert.equal(files[codec].length, 1, 'one day, one file');
  }
  const lake = path.join(dir, 'snappy-always');
  convert({ lake, codec: 'snappy', input,
    extraArgs: ['--row-group-rows', String(ROW_GROUP_ROWS), '--min-compression-saving', '0'] });
  [allSnappyFile] = parquetFiles(lake, 'access_log');
  db = await openDuckDB();
});

after(() => db?.close());

// The codec is per column chunk: PLAIN chunks the codec barely shrinks (random uuids under
// Snappy) are stored UNCOMPRESSED (--min-compression-saving); dictionary chunks keep the codec.
for (const [codec, name] of Object.entries(CODECS)) {
  test(`parquet_metadata() shows codec ${name} on every column chunk but barely compressible PLAIN ones (--codec ${codec})`, async () => {
    const rows = await db.all(`SELECT path_in_schema AS col, compression, encodings
                                 FROM parquet_metadata(${sqlString(files[codec][0])})`);
    for (const r of rows) {
      if (r.encodings.includes('RLE_DICTIONARY')) assert.equal(r.compression, name, `${r.col}: dictionary chunk`);
      else assert.ok([name, 'UNCOMPRESSED'].includes(r.compression), `${r.col}: ${r.compression}`);
    }
    const codecsOf = (col) => [...new Set(rows.filter((r) => r.col === col).map((r) => r.compression))];
    if (codec === 'snappy') assert.deepEqual(codecsOf('uuid'), ['UNCOMPRESSED'], 'random uuids: Snappy saves ~10%');
    assert.deepEqual(codecsOf('tenant_id'), [name]);
  });
}

// Pages that leave the dictionary use the DELTA encodings: the µs time column always (its values
// are nearly all distinct) DELTA_BINARY_PACKED, the uuids (stored raw) DELTA_LENGTH_BYTE_ARRAY,
// the request ids ("req-" and 16 hex digits, stored raw) DELTA_BYTE_ARRAY; status codes keep
// their dictionary. DuckDB reads every value back (generated_log compares them all; here the
// times land in their day and the request ids keep their shape).
test('parquet_metadata() shows DELTA encodings on time, uuid and request_id, a dictionary on status', async () => {
  const f = sqlString(files.snappy[0]);
  const rows = await db.all(`SELECT path_in_schema AS col, encodings FROM parquet_metadata(${f})
                              WHERE path_in_schema IN ('time', 'status', 'uuid', 'request_id')`);
  assert.ok(rows.length >= 4);
  const want = { time: 'DELTA_BINARY_PACKED', uuid: 'DELTA_LENGTH_BYTE_ARRAY', request_id: 'DELTA_BYTE_ARRAY' };
  for (const r of rows) {
    if (want[r.col]) assert.deepEqual(r.encodings.split(', ').filter((e) => e !== 'RLE'), [want[r.col]], r.col);
    else assert.ok(r.encodings.includes('RLE_DICTIONARY'), `status: ${r.encodings}`);
  }
  const [{ n, ordered }] = await db.all(`SELECT count(*)::INTEGER AS n,
      count(*) FILTER (WHERE time >= TIMESTAMPTZ '2024-05-01 00:00:00+00'
                         AND time < TIMESTAMPTZ '2024-05-02 00:00:00+00')::INTEGER AS ordered
      FROM read_parquet(${f})`);
  assert.equal(n, ordered, 'every time decodes inside its day');
  const [{ ids, shaped }] = await db.all(`SELECT count(request_id)::INTEGER AS ids,
      count(*) FILTER (WHERE regexp_full_match(request_id, 'req-[0-9a-f]{16}'))::INTEGER AS shaped
      FROM read_parquet(${f})`);
  assert.ok(ids > 0);
  assert.equal(shaped, ids, 'every request id is rebuilt whole from its shared prefix and suffix');
});

test('--min-compression-saving 0 compresses every column chunk', async () => {
  const rows = await db.all(`SELECT DISTINCT compression FROM parquet_metadata(${sqlString(allSnappyFile)})`);
  assert.deepEqual(rows.map((r) => r.compression), ['SNAPPY']);
  const chunkBytes = async (file, col) => {
    const [{ bytes }] = await db.all(`SELECT sum(total_compressed_size)::BIGINT AS bytes
                                        FROM parquet_metadata(${sqlString(file)}) WHERE path_in_schema = '${col}'`);
    return Number(bytes);
  };
  // Snappy shaves a little off PLAIN uuids (DELTA_LENGTH_BYTE_ARRAY raw is about as small, for no
  // CPU); front coding beats Snappy on the request ids.
  assert.ok(await chunkBytes(allSnappyFile, 'uuid') < await chunkBytes(files.snappy[0], 'uuid'), 'uuid');
  assert.ok(await chunkBytes(allSnappyFile, 'request_id') > await chunkBytes(files.snappy[0], 'request_id'),
    'request_id');
});

test('compression makes files smaller: zstd < snappy < none', () => {
  const size = (codec) => fs.statSync(files[codec][0]).size;
  assert.ok(size('snappy') < size('none') * 0.9, `snappy ${size('snappy')} vs none ${size('none')}`);
  assert.ok(size('zstd') < size('snappy'), `zstd ${size('zstd')} vs snappy ${size('snappy')}`);
});

test('parquet_schema() shows the logical types', async () => {
  const rows = await db.all(`SELECT name, type, converted_type, logical_type, duckdb_type
                               FROM parquet_schema(${sqlString(files.snappy[0])}) WHERE name <> 'schema'`);
  assert.deepEqual(rows.map((r) => r.name), ACCESS_LOG_ALL_COLUMNS);
  const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
  for (const c of STRING_COLUMNS) {
    assert.equal(byName[c].type, 'BYTE_ARRAY', c);
    assert.equal(byName[c].converted_type, 'UTF8', c);
    assert.equal(byName[c].logical_type, 'StringType()', c);
    assert.equal(byName[c].duckdb_type, 'VARCHAR', c);
  }
  assert.equal(byName.time.type, 'INT64');
  assert.match(byName.time.logical_type, /^TimestampType\(isAdjustedToUTC=1, unit=.*MICROS=MicroSeconds\(\)/);
  assert.equal(byName.time.duckdb_type, 'TIMESTAMP WITH TIME ZONE');
  assert.deepEqual([byName.status.type, byName.status.converted_type, byName.status.duckdb_type],
    ['INT32', 'INT_32', 'INTEGER']);
  assert.deepEqual([byName.bytes_sent.type, byName.bytes_sent.converted_type, byName.bytes_sent.duckdb_type],
    ['INT64', 'INT_64', 'BIGINT']);
  assert.deepEqual([byName.duration_ms.type, byName.duration_ms.duckdb_type], ['DOUBLE', 'DOUBLE']);
});

test('hyparquet sees the same logical types, with bit widths and the UTC flag', () => {
  const { metadata } = hyparquetMetadata(files.snappy[0]);
  const byName = Object.fromEntries(metadata.schema.slice(1).map((e) => [e.name, e]));
  for (const c of STRING_COLUMNS) assert.deepEqual(byName[c].logical_type, { type: 'STRING' }, c);
  assert.deepEqual(byName.time.logical_type, { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' });
  assert.deepEqual(byName.status.logical_type, { type: 'INTEGER', bitWidth: 32, isSigned: true });
  assert.deepEqual(byName.bytes_sent.logical_type, { type: 'INTEGER', bitWidth: 64, isSigned: true });
  assert.match(metadata.created_by, /^loglake/);
});

test('key-value metadata holds the table schema and the writer version', async () => {
  const rows = await db.all(`SELECT decode(key) AS key, decode(value) AS value
                               FROM parquet_kv_metadata(${sqlString(files.snappy[0])})`);
  const kv = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  assert.match(kv['loglake.schema'], /name = "access_log"/);
  assert.match(kv['loglake.schema'], /time_column = "time"/);
  const version = runLoglake(['--version']).stdout.toString().trim();
  assert.equal(kv['loglake.version'], version.split(/\s+/).at(-1));
});

// DuckDB prints statistics as text; this turns them back into values of the column's type.
function fromDuckDBStat(column, text) {
  if (text === null) return undefined;
  if (column === 'time') return isoToMicros(text.replace(' ', 'T').replace(/\+00$/, 'Z'));
  if (column === 'bytes_sent') return BigInt(text);
  if (column === 'status' || column === 'duration_ms') return Number(text);
  return text;
}

test('statistics are exact: min, max and null count of every column chunk', async () => {
  const file = files.snappy[0];
  const { metadata, groups } = await assertFooterStatistics(file);  // as hyparquet decodes them
  assert.ok(metadata.row_groups.length >= 3, 'several row groups');
  const duck = await db.all(`SELECT row_group_id, path_in_schema, stats_min_value, stats_max_value, stats_null_count,
                                    min_is_exact, max_is_exact
                               FROM parquet_metadata(${sqlString(file)})`);
  for (const [g, rg] of metadata.row_groups.entries()) {
    for (const chunk of rg.columns) {
      const column = chunk.meta_data.path_in_schema[0];
      const want = columnStats(groups[g].map((r) => r[column]));
      const where = `row group ${g}, column ${column}`;
      const d = duck.find((r) => Number(r.row_group_id) === g && r.path_in_schema === column);
      assert.equal(Number(d.stats_null_count), want.nulls, `${where}: null_count (DuckDB)`);
      assertBound(fromDuckDBStat(column, d.stats_min_value), d.min_is_exact, want.min, 'min', `${where} (DuckDB)`);
      assertBound(fromDuckDBStat(column, d.stats_max_value), d.max_is_exact, want.max, 'max', `${where} (DuckDB)`);
    }
  }
});

test('every column chunk has a page index that agrees with its statistics', () => {
  const { buf, metadata } = hyparquetMetadata(files.snappy[0]);
  for (const [g, rg] of metadata.row_groups.entries()) {
    for (const chunk of rg.columns) {
      const column = chunk.meta_data.path_in_schema[0];
      const where = `row group ${g}, column ${column}`;
      const { columnIndex, offsetIndex } = pageIndexes(buf, metadata, chunk);
      assert.ok(columnIndex, `${where}: column index present`);
      assert.ok(offsetIndex, `${where}: offset index present`);
      const pages = offsetIndex.page_locations;
      assert.ok(pages.length >= 1);
      assert.equal(pages[0].offset, chunk.meta_data.data_page_offset, `${where}: first data page`);
      assert.equal(pages[0].first_row_index, 0n, `${where}: first row`);
      for (let i = 1; i < pages.length; i++) {
        assert.ok(pages[i].offset > pages[i - 1].offset && pages[i].first_row_index > pages[i - 1].first_row_index);
      }
      assert.equal(columnIndex.null_pages.length, pages.length, `${where}: one column-index entry per page`);
      const stats = chunk.meta_data.statistics;
      const nullCounts = columnIndex.null_counts.reduce((a, b) => a + BigInt(b), 0n);
      assert.equal(nullCounts, BigInt(stats.null_count), `${where}: page null counts add up`);
      const mins = columnIndex.min_values.filter((_, i) => !columnIndex.null_pages[i]);
      const maxs = columnIndex.max_values.filter((_, i) => !columnIndex.null_pages[i]);
      if (stats.min_value !== undefined) {
        assertBound(columnStats(mins).min, stats.is_min_value_exact, stats.min_value, 'min', `${where}: smallest page min`);
        assertBound(columnStats(maxs).max, stats.is_max_value_exact, stats.max_value, 'max', `${where}: largest page max`);
      }
    }
  }
});

test('bloom filters exist exactly on uuid, user_id and request_id', () => {
  const { buf, metadata } = hyparquetMetadata(files.snappy[0]);
  for (const rg of metadata.row_groups) {
    for (const chunk of rg.columns) {
      const column = chunk.meta_data.path_in_schema[0];
      assert.equal(bloomFilter(buf, metadata, chunk) !== undefined, BLOOM_COLUMNS.includes(column), column);
    }
  }
});

test('bloom filters have no false negatives and few false positives (hyparquet\'s own hashing)', async () => {
  const file = files.snappy[0];
  const { buf, metadata } = hyparquetMetadata(file);
  const groups = await rowGroupsOf(file, metadata);
  for (const [g, rg] of metadata.row_groups.entries()) {
    for (const column of BLOOM_COLUMNS) {
      const chunk = rg.columns.find((c) => c.meta_data.path_in_schema[0] === column);
      const contains = bloomFilter(buf, metadata, chunk);
      const present = new Set(groups[g].map((r) => r[column]).filter((v) => v !== null));
      for (const v of present) assert.ok(contains(v), `row group ${g}, ${column}: ${v} must be found`);
      let falsePositives = 0;
      for (let i = 0; i < 1000; i++) falsePositives += contains(`absent-${column}-${i}`) ? 1 : 0;
      assert.ok(falsePositives < 50, `row group ${g}, ${column}: ${falsePositives}/1000 false positives`);
    }
  }
});

test('DuckDB uses the bloom filters: present values are never excluded, absent ones mostly are', async () => {
  const file = files.snappy[0];
  const { metadata } = hyparquetMetadata(file);
  const groups = await rowGroupsOf(file, metadata);
  for (const column of BLOOM_COLUMNS) {
    for (const [g, rows] of groups.entries()) {
      const sample = rows.map((r) => r[column]).filter((v) => v !== null).slice(0, 25);
      for (const value of sample) {
        const probe = await db.all(`SELECT row_group_id, bloom_filter_excludes FROM parquet_bloom_probe(
                                      ${sqlString(file)}, ${sqlString(column)}, ${sqlString(value)})`);
        const here = probe.find((p) => Number(p.row_group_id) === g);
        assert.equal(here.bloom_filter_excludes, false, `${column} = ${value} is in row group ${g}`);
      }
    }
    let excluded = 0;
    let probes = 0;
    for (let i = 0; i < 40; i++) {
      const probe = await db.all(`SELECT bloom_filter_excludes FROM parquet_bloom_probe(${sqlString(file)},
                                    ${sqlString(column)}, ${sqlString(`absent-${i}`)})`);
      for (const p of probe) {
        probes++;
        excluded += p.bloom_filter_excludes ? 1 : 0;
      }
    }
    assert.ok(excluded >= probes * 0.9, `${column}: only ${excluded}/${probes} absent probes excluded`);
  }
});
