// `loglake serve` keeps its promise: an acknowledged record is never lost, whatever happens to the
// process, and replay never doubles a file. Judged by DuckDB reading the lake's files.
//
// Short variants run in the suite; the full crash run (issue 4: 1M records, 20+ kills) is
//   LOGLAKE_CRASH_RECORDS=1000000 LOGLAKE_CRASH_KILLS=25 ctest --test-dir build/test -R serve_durability
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { freshDir, gen } from './lib/loglake.mjs';
import { openDuckDB, sqlString } from './lib/duckdb.mjs';
import { startServer, stopServer, postRecords } from './lib/server.mjs';

const RECORDS = Number(process.env.LOGLAKE_CRASH_RECORDS ?? 20000);
const KILLS = Number(process.env.LOGLAKE_CRASH_KILLS ?? 6);
const BATCH = 500;
const CLIENTS = 4;

function batchesOf(ndjson, size) {
  const lines = ndjson.toString().split('\n').filter((l) => l.length > 0);
  const out = [];
  for (let i = 0; i < lines.length; i += size) out.push(lines.slice(i, i + size));
  return out;
}

async function lakeUuids(lake) {
  const db = await openDuckDB();
  try {
    const glob = path.join(lake, 'access_log', '*', '*', '*', '*.parquet');
    const [counts] = await db.all(
      `SELECT count(*)::BIGINT AS n, count(DISTINCT uuid)::BIGINT AS distinct_n FROM read_parquet(${sqlString(glob)})`);
    const rows = await db.all(`SELECT DISTINCT uuid FROM read_parquet(${sqlString(glob)})`);
    return { rows: Number(counts.n), distinct: Number(counts.distinct_n), uuids: new Set(rows.map((r) => r.uuid)) };
  } finally {
    db.close();
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The ways a batch reaches the server: NDJSON, gzip'd NDJSON, and Firehose PutRecordBatch (one
// record per blob, as shippers send them). Each resolves to { status, accepted, json }; a batch
// counts as acknowledged only when every record of it was accepted.
const TRANSPORTS = [
  {
    name: 'ndjson',
    async send(url, batch) {
      const r = await postRecords(url, 'access_log', batch.join('\n') + '\n');
      return { status: r.status, accepted: r.json.accepted, json: r.json };
    },
  },
  {
    name: 'gzip',
    async send(url, batch) {
      const body = zlib.gzipSync(Buffer.from(batch.join('\n') + '\n'));
      const r = await postRecords(url, 'access_log', body, { 'Content-Encoding': 'gzip' });
      return { status: r.status, accepted: r.json.accepted, json: r.json };
    },
  },
  {
    name: 'firehose',
    async send(url, batch) {
      const res = await fetch(`${url}/`, {
        method: 'POST',
        headers: { 'X-Amz-Target': 'Firehose_20150804.PutRecordBatch', 'Content-Type': 'application/x-amz-json-1.1' },
        body: JSON.stringify({
          DeliveryStreamName: 'access_log',
          Records: batch.map((l) => ({ Data: Buffer.from(l + '\n').toString('base64') })),
        }),
      });
      const json = JSON.parse(await res.text());
      if (res.status !== 200) return { status: res.status, json };
      // A partly failed batch (FailedPutCount > 0) is sent again whole, like a cautious shipper.
      if (json.FailedPutCount > 0) return { status: 503, json };
      return { status: 200, accepted: json.RequestResponses.filter((x) => x.RecordId).length, json };
    },
  },
];

test(`SIGKILL ${KILLS} times while ${CLIENTS} clients send ${RECORDS} records (NDJSON, gzip, Firehose): every acknowledged record is in the lake once`,
  { timeout: 1_500_000 }, async () => {
    const dir = freshDir('serve-crash');
    const lake = path.join(dir, 'data');
    const batches = batchesOf(gen({ records: RECORDS, start: '2024-05-01', days: 2, seed: 11 }), BATCH);
    let server = await startServer({ lake });
    const port = server.port;
    let acknowledged = 0;
    let next = 0;
    let restarting = false;

    async function client() {
      while (next < batches.length) {
        const index = next++;
        const batch = batches[index];
        // Every transport a shipper uses, so kills land in the middle of each of them.
        const transport = TRANSPORTS[index % TRANSPORTS.length];
        for (;;) {
          try {
            if (!restarting) {
              const r = await transport.send(`http://127.0.0.1:${port}`, batch);
              if (r.status === 200) {
                assert.equal(r.accepted, batch.length, `${transport.name}: ${JSON.stringify(r.json)}`);
                acknowledged += batch.length;
                break;
              }
              assert.equal(r.status, 503, `${transport.name}: unexpected answer ${r.status}: ${JSON.stringify(r.json)}`);
            }
          } catch (e) {
            if (e instanceof assert.AssertionError) throw e;
            // connection refused or reset: the server is down; retry the same batch
          }
          await sleep(20);
        }
      }
    }

    const killer = (async () => {
      for (let k = 0; k < KILLS; k++) {
        // Kills after the last batch still matter: its records are then only in the WAL.
        await sleep(150 + Math.floor(Math.random() * 500));
        restarting = true;
        await stopServer(server, 'SIGKILL');
        server = await startServer({ lake, port });
        restarting = false;
      }
    })();
    await Promise.all([...Array.from({ length: CLIENTS }, client), killer]);
    const end = await stopServer(server, 'SIGTERM');
    assert.equal(end.code, 0, `SIGTERM exit: ${JSON.stringify(end)}\n${server.stderr()}`);
    assert.equal(acknowledged, RECORDS);

    const lakeState = await lakeUuids(lake);
    const sent = new Set(batches.flat().map((l) => JSON.parse(l).uuid));
    assert.equal(sent.size, RECORDS);
    for (const uuid of sent) assert.ok(lakeState.uuids.has(uuid), `acknowledged uuid ${uuid} is missing`);
    assert.equal(lakeState.distinct, RECORDS, 'the deduplicated count equals the records sent');
    // Duplicates come only from batches in flight at a kill (sent again by the client).
    assert.ok(lakeState.rows - RECORDS <= KILLS * CLIENTS * BATCH, `too many duplicate rows: ${lakeState.rows}`);
  });

test('SIGTERM: everything acknowledged is in lake files when the process exits 0', { timeout: 600_000 }, async () => {
  const dir = freshDir('serve-sigterm');
  const lake = path.join(dir, 'data');
  const server = await startServer({ lake });
  const ndjson = gen({ records: 3000, start: '2024-06-01', days: 3, seed: 5 });
  const r = await postRecords(server.url, 'access_log', ndjson);
  assert.equal(r.status, 200);
  assert.equal(r.json.accepted, 3000);
  const end = await stopServer(server, 'SIGTERM');
  assert.equal(end.code, 0, server.stderr());
  const state = await lakeUuids(lake);
  assert.equal(state.rows, 3000);
  assert.equal(state.distinct, 3000);

  // Every published file was announced once, with its own figures.
  const events = fs.readFileSync(path.join(lake, '_events', 'object_created.ndjson'), 'utf8')
    .trim().split('\n').map((l) => JSON.parse(l));
  const files = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && !e.name.startsWith('_')) walk(p);
      else if (e.name.endsWith('.parquet')) files.push(path.relative(lake, p));
    }
  };
  walk(path.join(lake, 'access_log'));
  assert.deepEqual(events.map((e) => e.key).sort(), files.sort());
  assert.equal(events.reduce((n, e) => n + e.rows, 0), 3000);
  const db = await openDuckDB();
  try {
    for (const e of events) {
      assert.equal(e.event, 'object_created');
      assert.equal(e.table, 'access_log');
      assert.equal(e.bytes, fs.statSync(path.join(lake, e.key)).size);
      const [r] = await db.all(`SELECT count(*)::BIGINT AS n, strftime(min(time), '%Y-%m-%dT%H:%M:%S.%fZ') AS lo,
        strftime(max(time), '%Y-%m-%dT%H:%M:%S.%fZ') AS hi FROM read_parquet(${sqlString(path.join(lake, e.key))})`);
      assert.equal(Number(r.n), e.rows);
      assert.equal(r.lo, e.min_time);
      assert.equal(r.hi, e.max_time);
      assert.equal(e.partition, path.dirname(e.key).slice('access_log/'.length));
    }
  } finally {
    db.close();
  }
});

test('bad input: clear answers, and records in = records in the lake + records in _errors/', { timeout: 600_000 }, async () => {
  const dir = freshDir('serve-bad');
  const lake = path.join(dir, 'data');
  const server = await startServer({ lake });
  const good = gen({ records: 200, start: '2024-06-01', days: 1, seed: 9 }).toString().trim().split('\n');
  const bad = [
    '{"uuid":"b1","time":"2024-06-01T00:00:00Z","status":"abc"}',
    '{"uuid":"b2","time":"not a time"}',
    '{"uuid":"b3"',
    '{"uuid":"b4","time":"2024-06-01T00:00:00Z","bytes_sent":99999999999999999999999}',
  ];
  const body = [...good.slice(0, 100), ...bad, ...good.slice(100)].join('\n') + '\n';
  const r = await postRecords(server.url, 'access_log', body);
  assert.equal(r.status, 200);
  assert.equal(r.json.accepted, 200);
  assert.equal(r.json.rejected, 4);
  assert.deepEqual(r.json.errors.map((e) => e.line), [101, 102, 103, 104]);

  const notFound = await postRecords(server.url, 'no_such_table', '{}');
  assert.equal(notFound.status, 404);
  assert.match(notFound.json.error.message, /access_log/);
  const empty = await postRecords(server.url, 'access_log', '\n\n');
  assert.equal(empty.status, 400);
  const garbageGzip = await postRecords(server.url, 'access_log', 'not gzip', { 'Content-Encoding': 'zstd' });
  assert.equal(garbageGzip.status, 400);
  const unknownEncoding = await postRecords(server.url, 'access_log', 'x', { 'Content-Encoding': 'compress' });
  assert.equal(unknownEncoding.status, 415);

  const end = await stopServer(server, 'SIGTERM');
  assert.equal(end.code, 0, server.stderr());
  const state = await lakeUuids(lake);
  assert.equal(state.rows, 200);
  let errorLines = 0;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ndjson')) errorLines += fs.readFileSync(p, 'utf8').trim().split('\n').length;
    }
  };
  walk(path.join(lake, 'access_log', '_errors'));
  assert.equal(errorLines, 4);
});

test('a full WAL answers 503 with Retry-After, stores nothing half, and accepts again once flushes free space',
  { timeout: 600_000 }, async () => {
    const dir = freshDir('serve-walfull');
    const lake = path.join(dir, 'data');
    const config = path.join(dir, 'loglake.toml');
    // A WAL of at most 400 KB in 64 KB segments, flushed every second.
    fs.writeFileSync(config, `wal_max_bytes = 400000\nwal_segment_bytes = 65536\n[[tables]]\nname = "access_log"\nbuffer_seconds = 1\n`);
    const server = await startServer({ lake, extraArgs: ['--config', config] });
    const lines = gen({ records: 4000, start: '2024-08-01', days: 1, seed: 33 }).toString().trim().split('\n');
    const batches = [];
    for (let i = 0; i < lines.length; i += 100) batches.push(lines.slice(i, i + 100));
    let acknowledged = 0;
    let refused = 0;
    for (const batch of batches) {
      for (;;) {
        const r = await postRecords(server.url, 'access_log', batch.join('\n') + '\n');
        if (r.status === 200) {
          acknowledged += batch.length;
          break;
        }
        assert.equal(r.status, 503, JSON.stringify(r.json));
        assert.match(r.json.error.message, /WAL is full/);
        assert.ok(Number(r.headers.get('retry-after')) > 0);
        refused++;
        await sleep(200);
      }
    }
    assert.equal(acknowledged, 4000);
    assert.ok(refused > 0, 'the WAL limit was never reached');
    const end = await stopServer(server, 'SIGTERM');
    assert.equal(end.code, 0, server.stderr());
    const state = await lakeUuids(lake);
    assert.equal(state.rows, 4000);
    assert.equal(state.distinct, 4000);
  });

// Each crash point of docs/ingest.md, hit for real: the server kills itself there (SIGKILL), the
// clients retry what was not acknowledged against the restarted server, and nothing is lost or
// doubled in the deduplicated view.
for (const [point, after] of [
  ['wal-written-not-synced', 3],
  ['stored-not-answered', 3],
  ['flush-marked-not-published', 1],
  ['flush-published-not-checkpointed', 1],
  ['flush-checkpointed-not-trimmed', 1],
]) {
  test(`crash at ${point}: nothing acknowledged is lost, nothing doubles`, { timeout: 600_000 }, async () => {
    const dir = freshDir(`serve-point-${point}`);
    const lake = path.join(dir, 'data');
    const config = path.join(dir, 'loglake.toml');
    fs.writeFileSync(config, '[[tables]]\nname = "access_log"\nbuffer_seconds = 1\n');
    const lines = gen({ records: 6000, start: '2024-09-01', days: 2, seed: 44 }).toString().trim().split('\n');
    const batches = [];
    for (let i = 0; i < lines.length; i += 250) batches.push(lines.slice(i, i + 250));
    let server = await startServer({ lake, extraArgs: ['--config', config],
      env: { LOGLAKE_CRASH_POINT: point, LOGLAKE_CRASH_AFTER: String(after) } });
    const port = server.port;
    let crashed = false;
    server.exited.then(() => { crashed = true; });
    for (const batch of batches) {
      for (;;) {
        try {
          const r = await postRecords(`http://127.0.0.1:${port}`, 'access_log', batch.join('\n') + '\n');
          if (r.status === 200) break;
        } catch {
          // the server died at its crash point: start it again, unarmed
        }
        if (crashed === true) {
          const end = await server.exited;
          assert.equal(end.signal, 'SIGKILL', `the server ended by ${JSON.stringify(end)}, not at its crash point`);
          server = await startServer({ lake, port, extraArgs: ['--config', config] });
          crashed = 'restarted';
        }
        await sleep(100);
      }
      // Give flushes (every second) a chance to happen between batches.
      if (batches.indexOf(batch) % 6 === 5) await sleep(600);
    }
    assert.equal(crashed, 'restarted', `the crash point ${point} was never reached`);
    const end = await stopServer(server, 'SIGTERM');
    assert.equal(end.code, 0, server.stderr());
    const state = await lakeUuids(lake);
    assert.equal(state.distinct, lines.length);
    for (const l of lines) assert.ok(state.uuids.has(JSON.parse(l).uuid));
    assert.ok(state.rows - lines.length <= 250, `${state.rows - lines.length} duplicate rows: more than the one batch in flight`);
  });
}

// Several tables in one server: each has its own WAL and flushes, and a kill in the middle of
// both streams loses and doubles nothing in either.
test('two tables, killed twice while both receive: each table holds every acknowledged record once',
  { timeout: 600_000 }, async () => {
    const dir = freshDir('serve-tables');
    const lake = path.join(dir, 'data');
    const schema = path.join(dir, 'checkout_events.toml');
    fs.writeFileSync(schema, `name = "checkout_events"
time_column = "occurred_at"
dedup_key = "event_id"
partition = "dt=YYYY-MM-DD"
[[columns]]
name = "event_id"
type = "string"
nullable = false
[[columns]]
name = "occurred_at"
type = "timestamp"
[[columns]]
name = "amount_cents"
type = "int64"
`);
    const config = path.join(dir, 'loglake.toml');
    fs.writeFileSync(config, `[[tables]]\nname = "access_log"\nbuffer_seconds = 1\n` +
      `[[tables]]\nname = "checkout_events"\nschema = ${JSON.stringify(schema)}\nbuffer_seconds = 1\n`);
    const logs = batchesOf(gen({ records: 6000, start: '2024-10-01', days: 2, seed: 71 }), 300);
    const events = [];
    for (let i = 0; i < 6000; i++) {
      const t = new Date(Date.UTC(2024, 9, 1) + i * 20_000).toISOString();
      events.push(JSON.stringify({ event_id: `ev-${i}`, occurred_at: t, amount_cents: i * 7 }));
    }
    const eventBatches = batchesOf(events.join('\n'), 300);
    let server = await startServer({ lake, extraArgs: ['--config', config] });
    const port = server.port;
    let down = false;

    async function send(table, batches) {
      for (const batch of batches) {
        for (;;) {
          try {
            if (!down) {
              const r = await postRecords(`http://127.0.0.1:${port}`, table, batch.join('\n') + '\n');
              if (r.status === 200) {
                assert.equal(r.json.accepted, batch.length, JSON.stringify(r.json));
                break;
              }
              assert.equal(r.status, 503, JSON.stringify(r.json));
            }
          } catch (e) {
            if (e instanceof assert.AssertionError) throw e;
          }
          await sleep(20);
        }
      }
    }
    const killer = (async () => {
      for (let k = 0; k < 2; k++) {
        await sleep(400 + Math.floor(Math.random() * 400));
        down = true;
        await stopServer(server, 'SIGKILL');
        server = await startServer({ lake, port, extraArgs: ['--config', config] });
        down = false;
      }
    })();
    await Promise.all([send('access_log', logs), send('checkout_events', eventBatches), killer]);
    const end = await stopServer(server, 'SIGTERM');
    assert.equal(end.code, 0, server.stderr());

    const state = await lakeUuids(lake);
    assert.equal(state.distinct, 6000);
    for (const l of logs.flat()) assert.ok(state.uuids.has(JSON.parse(l).uuid));
    const db = await openDuckDB();
    try {
      const glob = path.join(lake, 'checkout_events', 'dt=*', '*.parquet');
      const [row] = await db.all(`SELECT count(DISTINCT event_id)::BIGINT AS d, sum(DISTINCT amount_cents)::BIGINT AS s,
        count(*)::BIGINT AS n FROM read_parquet(${sqlString(glob)})`);
      assert.equal(Number(row.d), 6000);
      assert.equal(Number(row.s), 7 * (5999 * 6000) / 2);
      assert.ok(Number(row.n) - 6000 <= 2 * 300, `${Number(row.n) - 6000} duplicate events`);
    } finally {
      db.close();
    }
  });
