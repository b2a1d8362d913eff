// Load generator for bench/ingest: CLIENTS concurrent keep-alive connections post batches of
// BATCH NDJSON lines to `loglake serve` and time each acknowledgement.
//
//   node load.mjs URL NDJSON_FILE CLIENTS BATCH [RATE]
// RATE (records/s, optional) paces the clients together; without it they send as fast as acks
// come back. Prints one JSON object: records, bytes, seconds, records_per_s, mb_per_s,
// p50_ms, p99_ms, max_ms, failed.
import fs from 'node:fs';
import http from 'node:http';

const [url, file, clientsArg, batchArg, rateArg] = process.argv.slice(2);
const clients = Number(clientsArg);
const batchSize = Number(batchArg);
const rate = rateArg ? Number(rateArg) : 0;
const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
const bodies = [];
for (let i = 0; i < lines.length; i += batchSize) bodies.push(Buffer.from(lines.slice(i, i + batchSize).join('\n') + '\n'));

const target = new URL('/v1/tables/access_log/records', url);
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });

function post(body) {
  return new Promise((resolve, reject) => {
    const req = http.request(target, { method: 'POST', agent, headers: { 'Content-Length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const latencies = [];
let next = 0;
let failed = 0;
let bytes = 0;
const started = process.hrtime.bigint();
const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;

async function client() {
  while (next < bodies.length) {
    const i = next++;
    if (rate > 0) {
      // Batch i is due when the paced stream reaches its first record.
      const due = (i * batchSize) / rate;
      const wait = due - elapsed();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait * 1000));
    }
    const t0 = process.hrtime.bigint();
    const status = await post(bodies[i]);
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (status !== 200) failed++;
    bytes += bodies[i].length;
  }
}

await Promise.all(Array.from({ length: clients }, client));
const seconds = elapsed();
agent.destroy();
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
console.log(JSON.stringify({
  records: lines.length, bytes, seconds,
  records_per_s: lines.length / seconds, mb_per_s: bytes / 1e6 / seconds,
  p50_ms: pct(50), p99_ms: pct(99), max_ms: latencies[latencies.length - 1], failed,
}));
