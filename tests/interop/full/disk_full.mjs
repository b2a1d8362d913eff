// The disk-full run of issue 4 (full variant; needs a small filesystem of its own, so it is not
// in the ctest suite — scripts/disk-full-test.sh mounts a tmpfs and runs it):
// `loglake serve` with its lake and WAL on a nearly full filesystem answers 503 + Retry-After
// ("disk full") and stores nothing half; when space is freed it accepts again by itself, and
// DuckDB then finds every acknowledged record, each once after dedup, in readable files.
// The short variant in the suite is serve_durability's WAL-limit test (same answers, same
// invariants) plus the WAL's failed-write unit test.
//
//   LOGLAKE_BIN=build/release/loglake LOGLAKE_DISK_DIR=/mnt/small node tests/interop/full/disk_full.mjs
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { gen } from '../lib/loglake.mjs';
import { openDuckDB, sqlString } from '../lib/duckdb.mjs';
import { startServer, stopServer, postRecords } from '../lib/server.mjs';

const disk = process.env.LOGLAKE_DISK_DIR;
if (!disk) throw new Error('set LOGLAKE_DISK_DIR to a directory on a small filesystem of its own');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const freeBytes = () => { const s = fs.statfsSync(disk); return s.bavail * s.bsize; };

const lake = path.join(disk, 'data');
fs.rmSync(lake, { recursive: true, force: true });
const config = path.join(disk, 'loglake.toml');
fs.writeFileSync(config, 'wal_segment_bytes = 1048576\n[[tables]]\nname = "access_log"\nbuffer_seconds = 1\n');
const lines = gen({ records: 40000, start: '2024-10-01', days: 2, seed: 77 }).toString().trim().split('\n');
const batches = [];
for (let i = 0; i < lines.length; i += 200) batches.push(lines.slice(i, i + 200).join('\n') + '\n');

const server = await startServer({ lake, extraArgs: ['--config', config] });
// Leave ~4 MB: enough to start, far too little for 17 MB of records.
const filler = path.join(disk, 'filler');
fs.writeFileSync(filler, Buffer.alloc(Math.max(0, freeBytes() - 4 * 1024 * 1024)));
console.log(`free after filling: ${freeBytes()} bytes`);

let refused = 0;
let freed = false;
for (const body of batches) {
  for (;;) {
    const r = await postRecords(server.url, 'access_log', body);
    if (r.status === 200) break;
    assert.equal(r.status, 503, JSON.stringify(r.json));
    assert.ok(Number(r.headers.get('retry-after')) > 0);
    refused++;
    if (refused === 20 && !freed) {
      console.log(`503 x${refused} (${r.json.error.message}); freeing space`);
      fs.rmSync(filler);
      freed = true;
    }
    await sleep(100);
  }
}
assert.ok(refused >= 20, `the disk never filled (${refused} refusals)`);
const end = await stopServer(server, 'SIGTERM');
assert.equal(end.code, 0, server.stderr());

const db = await openDuckDB();
const glob = path.join(lake, 'access_log', '*', '*', '*', '*.parquet');
const [row] = await db.all(`SELECT count(*)::BIGINT AS n, count(DISTINCT uuid)::BIGINT AS d FROM read_parquet(${sqlString(glob)})`);
db.close();
assert.equal(Number(row.d), lines.length, 'every acknowledged record is in the lake');
assert.ok(Number(row.n) >= lines.length);
console.log(`ok: ${lines.length} records acknowledged and in the lake (${row.n} rows before dedup), ${refused} requests refused with 503 while the disk was full`);
