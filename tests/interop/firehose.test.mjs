// The Firehose-compatible endpoint, driven by the real AWS SDK (@aws-sdk/client-firehose) pointed
// at `loglake serve`: PutRecord and PutRecordBatch land in the lake, errors come back in
// Firehose's shape. Judged by DuckDB reading the lake.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { FirehoseClient, PutRecordCommand, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { freshDir, gen } from './lib/loglake.mjs';
import { openDuckDB, sqlString } from './lib/duckdb.mjs';
import { startServer, stopServer } from './lib/server.mjs';

function client(url) {
  return new FirehoseClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

test('an AWS SDK Firehose client writes into the lake unchanged', { timeout: 600_000 }, async () => {
  const dir = freshDir('firehose');
  const lake = path.join(dir, 'data');
  const server = await startServer({ lake });
  const firehose = client(server.url);
  const lines = gen({ records: 1200, start: '2024-07-01', days: 2, seed: 21 }).toString().trim().split('\n');
  const encoder = new TextEncoder();

  const single = await firehose.send(new PutRecordCommand({
    DeliveryStreamName: 'access_log',
    Record: { Data: encoder.encode(lines[0] + '\n') },
  }));
  assert.equal(typeof single.RecordId, 'string');
  assert.equal(single.Encrypted, false);

  let sent = 1;
  for (let i = 1; i < lines.length; i += 500) {
    const chunk = lines.slice(i, i + 500);
    // Shippers send one record per blob, with or without a trailing newline: both work.
    const out = await firehose.send(new PutRecordBatchCommand({
      DeliveryStreamName: 'access_log',
      Records: chunk.map((l, k) => ({ Data: encoder.encode(k % 2 ? l : l + '\n') })),
    }));
    assert.equal(out.FailedPutCount, 0);
    assert.equal(out.RequestResponses.length, chunk.length);
    assert.ok(out.RequestResponses.every((r) => typeof r.RecordId === 'string'));
    sent += chunk.length;
  }
  assert.equal(sent, lines.length);

  await assert.rejects(
    firehose.send(new PutRecordCommand({ DeliveryStreamName: 'no_such_stream', Record: { Data: encoder.encode('{}') } })),
    (e) => e.name === 'ResourceNotFoundException');
  const tooMany = Array.from({ length: 501 }, () => ({ Data: encoder.encode(lines[0]) }));
  await assert.rejects(
    firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'access_log', Records: tooMany })),
    (e) => e.$metadata?.httpStatusCode === 400);

  const end = await stopServer(server, 'SIGTERM');
  assert.equal(end.code, 0, server.stderr());
  const db = await openDuckDB();
  try {
    const glob = path.join(lake, 'access_log', '*', '*', '*', '*.parquet');
    const [row] = await db.all(`SELECT count(*)::BIGINT AS n, count(DISTINCT uuid)::BIGINT AS d FROM read_parquet(${sqlString(glob)})`);
    assert.equal(Number(row.n), lines.length);
    assert.equal(Number(row.d), new Set(lines.map((l) => JSON.parse(l).uuid)).size);
  } finally {
    db.close();
  }
});

test('with tokens configured, the SDK authenticates with a token as its access key id', { timeout: 600_000 }, async () => {
  const dir = freshDir('firehose-token');
  const lake = path.join(dir, 'data');
  const config = path.join(dir, 'loglake.toml');
  const fs = await import('node:fs');
  fs.writeFileSync(config, '[[tokens]]\ntoken = "shipper-token-0123456789"\nscopes = ["ingest"]\n');
  const server = await startServer({ lake, extraArgs: ['--config', config] });
  const record = { Data: new TextEncoder().encode(gen({ records: 1, start: '2024-07-01', seed: 2 }).toString()) };
  const good = new FirehoseClient({ endpoint: server.url, region: 'us-east-1', maxAttempts: 1,
    credentials: { accessKeyId: 'shipper-token-0123456789', secretAccessKey: 'unused' } });
  const out = await good.send(new PutRecordCommand({ DeliveryStreamName: 'access_log', Record: record }));
  assert.equal(typeof out.RecordId, 'string');
  const bad = new FirehoseClient({ endpoint: server.url, region: 'us-east-1', maxAttempts: 1,
    credentials: { accessKeyId: 'not-a-token-0123456789', secretAccessKey: 'unused' } });
  await assert.rejects(bad.send(new PutRecordCommand({ DeliveryStreamName: 'access_log', Record: record })),
    (e) => e.$metadata?.httpStatusCode === 401);
  const end = await stopServer(server, 'SIGTERM');
  assert.equal(end.code, 0, server.stderr());
});
