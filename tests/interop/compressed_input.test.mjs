// `loglake convert` of json.gz archives (as Firehose and log shippers write them): DuckDB, which
// decompresses gzip itself, reads the same records out of the .gz as it reads out of our
// Parquet. A truncated archive is converted up to the cut, the other inputs in full, and the
// command says which input could not be read to its end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

import { convert, freshDir, gen, parquetFiles, splitLines } from './lib/loglake.mjs';
import { openDuckDB, sqlFileList, sqlString } from './lib/duckdb.mjs';

let db;
let dir;
let ndjson;

before(async () => {
  dir = freshDir('compressed');
  ndjson = gen({ records: 30_000, start: '2024-05-01', days: 2, seed: 11 });
  db = await openDuckDB();
});

after(() => db?.close());

// Count and an order-free fingerprint of the rows, the same expression on both sides.
const FINGERPRINT = 'count(*) AS n, sum(hash(uuid, epoch_us("time"), status, path, remote_ip, user_id)) AS h';

test('a json.gz of two gzip members converts to the records DuckDB reads from it', async () => {
  const lines = splitLines(ndjson);
  const half = Math.floor(lines.length / 2);
  const NL = Buffer.from('\n');
  const part = (ls) => Buffer.concat(ls.flatMap((l) => [l, NL]));
  const gz = path.join(dir, 'archive.json.gz');
  fs.writeFileSync(gz, Buffer.concat([zlib.gzipSync(part(lines.slice(0, half))), zlib.gzipSync(part(lines.slice(half)))]));
  const lake = path.join(dir, 'lake-gz');
  const { summary, stdout } = convert({ lake, files: [gz] });
  assert.equal(summary.read, lines.length);
  assert.equal(summary.written, lines.length);
  assert.equal(summary.rejected, 0);
  assert.match(stdout.toString(), /1 input decompressed/);

  const [ours] = await db.all(`SELECT ${FINGERPRINT} FROM read_parquet(${sqlFileList(parquetFiles(lake, 'access_log'))})`);
  const [theirs] = await db.all(
    `SELECT ${FINGERPRINT} FROM read_json(${sqlString(gz)}, format = 'newline_delimited', compression = 'gzip',
       columns = {uuid: 'VARCHAR', "time": 'TIMESTAMP', status: 'INTEGER', path: 'VARCHAR', remote_ip: 'VARCHAR',
                  user_id: 'VARCHAR'})`);
  assert.equal(Number(ours.n), lines.length);
  assert.equal(ours.n, theirs.n);
  assert.equal(ours.h, theirs.h);
});

test('a truncated json.gz is converted up to the cut; the other inputs in full; exit 1 naming it', async () => {
  const gz = zlib.gzipSync(Buffer.from(ndjson));
  const cut = gz.subarray(0, Math.floor(gz.length * 0.6));
  const cutPath = path.join(dir, 'cut.json.gz');
  fs.writeFileSync(cutPath, cut);
  const plainPath = path.join(dir, 'after.ndjson');
  const plainLines = splitLines(ndjson).slice(0, 1000);
  fs.writeFileSync(plainPath, Buffer.concat(plainLines.flatMap((l) => [l, Buffer.from('\n')])));
  // What zlib can decompress of the cut archive: its whole lines are records, a cut line is rejected.
  const readable = zlib.gunzipSync(cut, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString();
  const wholeLines = readable.split('\n').length - 1;
  const cutLine = readable.endsWith('\n') ? 0 : 1;
  assert.ok(wholeLines > 1000 && wholeLines < 30_000);

  const lake = path.join(dir, 'lake-cut');
  const r = convert({ lake, files: [cutPath, plainPath], expectStatus: 1 });
  assert.match(r.stderr, /cannot read to its end: .*cut\.json\.gz: gzip stream is truncated/);
  assert.equal(r.summary.written, wholeLines + plainLines.length);
  assert.equal(r.summary.rejected, cutLine);
  const [ours] = await db.all(`SELECT count(*) AS n FROM read_parquet(${sqlFileList(parquetFiles(lake, 'access_log'))})`);
  assert.equal(Number(ours.n), wholeLines + plainLines.length);
});

test('a directory stands for the archives below it; hidden files and the table being written are skipped', async () => {
  const lines = splitLines(ndjson);
  const archive = path.join(dir, 'firehose');
  const NL = Buffer.from('\n');
  const hours = ['2024/05/01/00', '2024/05/01/01', '2024/05/02/13'];
  const per = Math.ceil(lines.length / hours.length);
  hours.forEach((h, i) => {
    fs.mkdirSync(path.join(archive, h), { recursive: true });
    const part = lines.slice(i * per, (i + 1) * per);
    fs.writeFileSync(path.join(archive, h, `stream-${i}.gz`), zlib.gzipSync(Buffer.concat(part.flatMap((l) => [l, NL]))));
  });
  fs.writeFileSync(path.join(archive, '.in-progress.gz'), 'not yet complete');
  const lake = path.join(archive, 'lake');  // the lake inside the tree it converts
  const { summary, stdout, stderr } = convert({ lake, files: [archive], extraArgs: ['-v'] });
  assert.equal(summary.written, lines.length);
  assert.equal(summary.rejected, 0);
  assert.match(stdout.toString(), /3 inputs decompressed/);
  // -v: one progress line per input, in path order.
  const progress = stderr.split('\n').filter((l) => l.endsWith(' records'));
  assert.deepEqual(progress.map((l) => path.relative(archive, l.slice(0, l.lastIndexOf(':')))),
    hours.map((h, i) => path.join(h, `stream-${i}.gz`)));
  // Run again: the lake's own files are not read as input.
  const again = convert({ lake, files: [archive] });
  assert.equal(again.summary.written, lines.length);
  assert.equal(again.summary.rejected, 0);
  const [ours] = await db.all(`SELECT count(DISTINCT uuid) AS n FROM read_parquet(${sqlFileList(parquetFiles(lake, 'access_log'))})`);
  assert.equal(Number(ours.n), new Set(lines.map((l) => JSON.parse(l).uuid)).size);
});
