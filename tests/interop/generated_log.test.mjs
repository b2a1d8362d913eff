// A big generated log (several days, duplicates, bad records) through `loglake convert`: DuckDB
// and hyparquet must read back exactly the good lines, row for row, in the right day folders,
// and every bad line must be counted and stored in _errors/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { convert, errorRecords, freshDir, gen, parquetFiles, splitLines } from './lib/loglake.mjs';
import { openDuckDB, sqlFileList } from './lib/duckdb.mjs';
import { hyparquetRows } from './lib/hyparquet.mjs';
import {
  ACCESS_LOG_ALL_COLUMNS, classifyGeneratedLine, countPerDay, expectedAccessLogRow, microsToDay,
} from './lib/expected.mjs';

const RECORDS = 200_000;
const START = '2024-02-27';  // four days across the leap day
const DAYS = 4;

let db;
let lake;
let files;
let goodRows;  // expected rows of the good lines, in input order
let badLines;
let summary;

const NULL = '\\N';

const DURATION = ACCESS_LOG_ALL_COLUMNS.indexOf('duration_ms');

// One row as text: columns joined by U+001F, NULL as \N, the time as µs, the double in
// JavaScript's shortest form, `extra` parsed and re-serialized with sorted keys (its key order is
// not part of the contract).
function rowText(values) {
  const out = values.map((v, i) => {
    if (v === null || v === undefined) return NULL;
    return i === DURATION ? String(Number(v)) : String(v);
  });
  const extra = out.length - 1;
  if (out[extra] !== NULL) {
    const obj = JSON.parse(out[extra]);
    out[extra] = JSON.stringify(Object.fromEntries(Object.entries(obj).sort(([a], [b]) => (a < b ? -1 : 1))));
  }
  return out.join('\x1f');
}

function expectedText(row) {
  return rowText(ACCESS_LOG_ALL_COLUMNS.map((c) => (c === 'extra' && row.extra ? JSON.stringify(row.extra) : row[c])));
}

// DuckDB formats every row as text in one aggregate, so that 200k rows cross into JavaScript as
// one value (per-value conversion in the node bindings is slow). Doubles print as their shortest
// round-trip form, like JavaScript's String(number).
async function duckdbRowTexts(files) {
  const columns = ACCESS_LOG_ALL_COLUMNS.map((c) =>
    c === 'time' ? 'epoch_us(time)::VARCHAR' : `coalesce("${c}"::VARCHAR, '${NULL}')`);
  const [{ text }] = await db.all(
    `SELECT string_agg(concat_ws(chr(31), ${columns.join(', ')}), chr(30)) AS text
       FROM read_parquet(${sqlFileList(files)})`);
  return text.split('\x1e').map((line) => rowText(line.split('\x1f').map((v) => (v === NULL ? null : v))));
}

function assertSameRows(actualTexts, expectedRows, reader) {
  assert.equal(actualTexts.length, expectedRows.length, `${reader}: row count`);
  const want = new Map();
  for (const r of expectedRows) {
    const k = expectedText(r);
    want.set(k, (want.get(k) ?? 0) + 1);
  }
  for (const k of actualTexts) {
    const n = want.get(k);
    if (!n) {
      const uuid = k.split('\x1f')[0];
      const expected = expectedRows.find((e) => e.uuid === uuid);
      assert.fail(`${reader}: row not in the input (or more often than in the input):\n  got      ${k}\n` +
        `  expected ${expected ? expectedText(expected) : '(no record with this uuid)'}`);
    }
    if (n === 1) want.delete(k);
    else want.set(k, n - 1);
  }
  assert.equal(want.size, 0, `${reader}: rows missing`);
}

before(async () => {
  const dir = freshDir('generated');
  lake = path.join(dir, 'lake');
  const ndjson = gen({ records: RECORDS, start: START, days: DAYS, seed: 7, dupRate: 0.002, badRate: 0.001 });
  goodRows = [];
  badLines = [];
  for (const line of splitLines(ndjson)) {
    const verdict = classifyGeneratedLine(line);
    if (verdict.record) goodRows.push(expectedAccessLogRow(verdict.record));
    else badLines.push(line);
  }
  summary = convert({ lake, input: ndjson }).summary;
  files = parquetFiles(lake, 'access_log');
  db = await openDuckDB();
});

after(() => db?.close());

test('the input has what this test needs: several days, duplicates and bad lines', () => {
  assert.equal(goodRows.length + badLines.length, RECORDS);
  const uuids = new Set(goodRows.map((r) => r.uuid));
  assert.ok(goodRows.length - uuids.size > 200, 'duplicates present');
  assert.ok(badLines.length > 100, 'bad lines present');
  assert.equal(Object.keys(countPerDay(goodRows)).length, DAYS);
});

test('convert counts every line: read = written + rejected', () => {
  assert.equal(summary.read, RECORDS);
  assert.equal(summary.written, goodRows.length);
  assert.equal(summary.rejected, badLines.length);
  assert.equal(summary.files, files.length);
});

test('DuckDB: rows per day equal the counts computed from the NDJSON', async () => {
  const rows = await db.all(
    `SELECT strftime(time AT TIME ZONE 'UTC', '%Y-%m-%d') AS day, count(*) AS n
       FROM read_parquet(${sqlFileList(files)}) GROUP BY day ORDER BY day`);
  const got = Object.fromEntries(rows.map((r) => [r.day, Number(r.n)]));
  assert.deepEqual(got, countPerDay(goodRows));
  assert.deepEqual(Object.keys(got), ['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01']);
});

test('every file sits in the folder of its rows\' UTC day', async () => {
  const rows = await db.all(
    `SELECT filename, min(epoch_us(time)) AS lo, max(epoch_us(time)) AS hi
       FROM read_parquet(${sqlFileList(files)}, filename = true) GROUP BY filename`);
  assert.equal(rows.length, files.length);
  for (const r of rows) {
    const rel = path.relative(path.join(lake, 'access_log'), r.filename).split(path.sep);
    assert.equal(rel.length, 4, `${r.filename}: yyyy/MM/dd/<file>`);
    const day = rel.slice(0, 3).join('-');
    assert.equal(microsToDay(r.lo), day, r.filename);
    assert.equal(microsToDay(r.hi), day, r.filename);
  }
});

test('DuckDB reads back exactly the good lines, duplicates included, value for value', async () => {
  assertSameRows(await duckdbRowTexts(files), goodRows, 'DuckDB');
});

test('hyparquet reads back exactly the good lines of a day', async () => {
  // One day (the leap day) keeps this pure-JavaScript reader's share of the run short.
  const dayFiles = files.filter((f) => f.includes(`${path.sep}2024${path.sep}02${path.sep}29${path.sep}`));
  assert.ok(dayFiles.length > 0);
  const texts = [];
  for (const f of dayFiles) {
    for (const r of await hyparquetRows(f)) texts.push(rowText(ACCESS_LOG_ALL_COLUMNS.map((c) => r[c])));
  }
  assertSameRows(texts, goodRows.filter((r) => microsToDay(r.time) === '2024-02-29'), 'hyparquet');
});

// The framer takes a record without the whitespace around it (a truncated line may end in a
// space), so raw texts are compared without trailing blanks.
function trimmed(bytes) {
  return Buffer.from(bytes).toString('latin1').replace(/[ \t\r]+$/, '');
}

test('every bad line is in _errors/ with a reason, exactly once', () => {
  const errors = errorRecords(lake, 'access_log');
  assert.equal(errors.length, badLines.length);
  const raws = new Map();
  for (const e of errors) {
    assert.ok(typeof e.error === 'string' && e.error.length > 0, 'reason present');
    const raw = e.raw_base64 !== undefined ? Buffer.from(e.raw_base64, 'base64') : Buffer.from(e.raw, 'utf8');
    const key = trimmed(raw);
    raws.set(key, (raws.get(key) ?? 0) + 1);
  }
  for (const line of badLines) {
    const key = trimmed(line);
    assert.ok(raws.get(key), `bad line not stored as received: ${key.slice(0, 200)}`);
    raws.set(key, raws.get(key) - 1);
  }
});
