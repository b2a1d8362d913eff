// `loglake convert --threads`: an archive of files shared among threads, and one large NDJSON file
// cut into pieces of whole records. DuckDB reads the same rows from our Parquet as from the
// input; the rejected records and the lines they name are those of a one-thread conversion.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

import { convert, errorRecords, freshDir, gen, parquetFiles, splitLines } from './lib/loglake.mjs';
import { openDuckDB, sqlFileList, sqlString } from './lib/duckdb.mjs';

let db;
let dir;

before(async () => {
  dir = freshDir('parallel');
  db = await openDuckDB();
});

after(() => db?.close());

// Count and an order-free fingerprint of the rows, the same expression on both sides.
const FINGERPRINT = 'count(*) AS n, sum(hash(uuid, epoch_us("time"), status, path, remote_ip, user_id)) AS h';
const COLUMNS = `{uuid: 'VARCHAR', "time": 'TIMESTAMP', status: 'INTEGER', path: 'VARCHAR', remote_ip: 'VARCHAR',
                  user_id: 'VARCHAR'}`;

test('--threads 3 converts an archive of files on three threads to the records DuckDB reads from it', async () => {
  const lines = splitLines(gen({ records: 30_000, start: '2024-05-01', days: 2, seed: 11 }));
  const archive = path.join(dir, 'many');
  fs.mkdirSync(archive, { recursive: true });
  const NL = Buffer.from('\n');
  const files = 7;
  const per = Math.ceil(lines.length / files);
  for (let i = 0; i < files; ++i) {
    const part = Buffer.concat(lines.slice(i * per, (i + 1) * per).flatMap((l) => [l, NL]));
    // Plain and gzip mixed, as a migration may find them.
    fs.writeFileSync(path.join(archive, `part-${i}.json${i % 2 ? '.gz' : ''}`), i % 2 ? zlib.gzipSync(part) : part);
  }
  const lake = path.join(dir, 'lake-threads');
  const { summary, stdout, stderr } = convert({ lake, files: [archive], extraArgs: ['--threads', '3', '-v'] });
  assert.equal(summary.read, lines.length);
  assert.equal(summary.written, lines.length);
  assert.equal(summary.rejected, 0);
  assert.match(stdout.toString(), /3 inputs decompressed/);
  // -v: every input reported once (in whatever order the threads finish them).
  const progress = stderr.split('\n').filter((l) => l.endsWith(' records')).map((l) => path.basename(l.slice(0, l.lastIndexOf(':'))));
  assert.deepEqual(progress.sort(), Array.from({ length: files }, (_, i) => `part-${i}.json${i % 2 ? '.gz' : ''}`).sort());

  const [ours] = await db.all(`SELECT ${FINGERPRINT} FROM read_parquet(${sqlFileList(parquetFiles(lake, 'access_log'))})`);
  const [theirs] = await db.all(
    `SELECT ${FINGERPRINT} FROM read_json(${sqlString(path.join(archive, 'part-*'))}, format = 'newline_delimited',
       columns = ${COLUMNS})`);
  assert.equal(Number(ours.n), lines.length);
  assert.equal(ours.n, theirs.n);
  assert.equal(ours.h, theirs.h);
});

test('--threads 2 cuts one large NDJSON file into pieces: the same rows and rejections as one thread', async () => {
  // ~34 MB: over twice the 16 MiB smallest piece, so two pieces.
  const ndjson = gen({ records: 80_000, start: '2024-05-01', days: 3, seed: 21, badRate: 0.002 });
  assert.ok(ndjson.length > 2 * 16 * 1024 * 1024, `${ndjson.length} bytes`);
  const file = path.join(dir, 'big.ndjson');
  fs.writeFileSync(file, ndjson);
  const one = convert({ lake: path.join(dir, 'lake-one'), files: [file], extraArgs: ['--threads', '1'] });
  const two = convert({ lake: path.join(dir, 'lake-two'), files: [file], extraArgs: ['--threads', '2', '-v'] });
  // -v: a progress line per piece, the two pieces meeting at one cut, right after a newline.
  const pieces = two.stderr.split('\n').filter((l) => l.endsWith(' records'))
    .map((l) => l.match(/ \[(\d+), (\d+|end)\): \d+ records$/)).sort((a, b) => Number(a[1]) - Number(b[1]));
  assert.equal(pieces.length, 2);
  assert.equal(pieces[0][1], '0');
  assert.equal(pieces[1][2], 'end');
  assert.equal(pieces[0][2], pieces[1][1]);
  assert.equal(ndjson[Number(pieces[1][1]) - 1], 0x0a);
  assert.equal(two.summary.read, one.summary.read);
  assert.equal(two.summary.written, one.summary.written);
  assert.equal(two.summary.rejected, one.summary.rejected);
  assert.ok(one.summary.rejected > 50, `${one.summary.rejected} rejected`);
  // The file was cut: the day the two pieces share (the middle one) gets a file from each.
  assert.equal(two.summary.files, one.summary.files + 1);

  const fingerprint = async (lake) => (await db.all(
    `SELECT ${FINGERPRINT} FROM read_parquet(${sqlFileList(parquetFiles(lake, 'access_log'))})`))[0];
  const [a, b] = [await fingerprint(path.join(dir, 'lake-one')), await fingerprint(path.join(dir, 'lake-two'))];
  assert.equal(Number(b.n), two.summary.written);
  assert.equal(a.n, b.n);
  assert.equal(a.h, b.h);
  // DuckDB reading the good lines of the input itself finds the same rows.
  const good = path.join(dir, 'good.ndjson');
  const rejectedLines = new Set(errorRecords(path.join(dir, 'lake-one'), 'access_log').map((e) => e.line));
  fs.writeFileSync(good, Buffer.concat(splitLines(ndjson).filter((_, i) => !rejectedLines.has(i + 1)).flatMap((l) => [l, Buffer.from('\n')])));
  const [theirs] = await db.all(
    `SELECT ${FINGERPRINT} FROM read_json(${sqlString(good)}, format = 'newline_delimited', columns = ${COLUMNS})`);
  assert.equal(theirs.n, b.n);
  assert.equal(theirs.h, b.h);
  // The same rejected records, naming the same lines of the file.
  const rejections = (lake) => errorRecords(lake, 'access_log').map((e) => `${e.line} ${e.error} ${e.raw}`).sort();
  assert.deepEqual(rejections(path.join(dir, 'lake-two')), rejections(path.join(dir, 'lake-one')));
});
