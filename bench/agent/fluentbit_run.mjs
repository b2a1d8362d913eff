// The peer in bench/agent: Fluent Bit shipping the same file to the same `loglake serve`, for a
// side-by-side figure. Fluent Bit is not part of loglake and is never committed: build it from its
// public source and point LOGLAKE_BENCH_FLUENTBIT at the binary (docs/agent.md, Performance, says
// how it was built). Its pipeline is the usual one for JSON lines: in_tail with the json parser
// (each line becomes a record), out_http with format json_lines, Json_Date_Key off (the line's own
// keys only), the same body compression, 2 output workers (its default), bounded memory
// (Mem_Buf_Limit, like the agent's max_pending_batches) and a tail DB (its checkpoint).
//
// Done when the server has accepted (or rejected) as many more records as the file has lines;
// its CPU is read from /proc like the agent's.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { waitFor } from '../../tests/interop/lib/agent.mjs';

const TICKS = 100;  // USER_HZ

async function serverRecords(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  let n = 0;
  for (const m of text.matchAll(/^loglake_ingest_records_(?:accepted|rejected)_total\{table="access_log"\} (\d+)$/gm)) n += Number(m[1]);
  return n;
}

/**
 * Runs `binary` on `file` (`lines` lines) to `server` ({ url }); resolves to { cpu, wall, peakMiB,
 * rejected } once the server has them all.
 */
export async function runFluentBit({ binary, dir, file, lines, server, compression }) {
  const port = new URL(server.url).port;
  const fbDir = fs.mkdtempSync(path.join(dir, 'fluent-bit-'));
  fs.writeFileSync(path.join(fbDir, 'parsers.conf'), '[PARSER]\n    Name   json\n    Format json\n');
  const conf = path.join(fbDir, 'fluent-bit.conf');
  fs.writeFileSync(conf, `[SERVICE]
    Flush             1
    Grace             1
    Log_Level         warn
    Parsers_File      ${path.join(fbDir, 'parsers.conf')}

[INPUT]
    Name              tail
    Path              ${file}
    Read_from_Head    true
    Parser            json
    Buffer_Chunk_Size 1M
    Buffer_Max_Size   1M
    Mem_Buf_Limit     16M
    DB                ${path.join(fbDir, 'tail.db')}

[OUTPUT]
    Name              http
    Match             *
    Host              127.0.0.1
    Port              ${port}
    URI               /v1/tables/access_log/records
    Format            json_lines
    Json_Date_Key     false
    Compress          ${compression}
    Retry_Limit       False
`);
  const rejectedBefore = await rejected(server.url);
  const before = await serverRecords(server.url);
  const child = spawn(binary, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => { log += d.toString(); });
  child.stderr.on('data', (d) => { log += d.toString(); });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const t0 = Date.now();
  try {
    await Promise.race([
      waitFor(async () => (await serverRecords(server.url)) - before >= lines, 3_600_000, 'Fluent Bit delivery'),
      exited.then(({ code, signal }) => { throw new Error(`fluent-bit exited (${code ?? signal}):\n${log}`); }),
    ]);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  const wall = (Date.now() - t0) / 1000;
  const fields = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const cpu = (Number(fields[11]) + Number(fields[12])) / TICKS;
  const peakMiB = Number(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/)[1]) / 1024;
  child.kill('SIGTERM');
  await exited;
  return { cpu, wall, peakMiB, rejected: (await rejected(server.url)) - rejectedBefore };
}

async function rejected(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = text.match(/^loglake_ingest_records_rejected_total\{table="access_log"\} (\d+)$/m);
  return m ? Number(m[1]) : 0;
}
