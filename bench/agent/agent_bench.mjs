// Benchmark of `loglake agent` (issue 5; bench/agent/run.sh runs it on a release build, once per
// body compression):
//  1. throughput: a file of LOGLAKE_BENCH_LINES `loglake gen` lines, from file to acknowledged by a
//     local `loglake serve`; lines/s per core = lines / the agent's CPU seconds (user + system);
//  2. steady trickle: 1,000 lines/s appended (100 every 100 ms) for LOGLAKE_BENCH_SECONDS; the
//     agent's CPU share and its peak RSS (VmHWM).
// With LOGLAKE_BENCH_FLUENTBIT (a fluent-bit binary, never part of this repository), phase 1 is
// run again by Fluent Bit (tail -> http, json_lines, the same body compression) on the same file to
// the same server, and both are printed side by side (fluentbit_run.mjs).
//
//   LOGLAKE_BIN=build/release/loglake LOGLAKE_TEST_TMP=/tmp/agent-bench node bench/agent/agent_bench.mjs
import fs from 'node:fs';
import path from 'node:path';
import { runFluentBit } from './fluentbit_run.mjs';
import { freshDir, gen } from '../../tests/interop/lib/loglake.mjs';
import { stopServer } from '../../tests/interop/lib/server.mjs';
import { agentMetrics, sleep, startAgent, startServer, stopAgent, waitFor } from '../../tests/interop/lib/agent.mjs';

const LINES = Number(process.env.LOGLAKE_BENCH_LINES ?? 500000);
const SECONDS = Number(process.env.LOGLAKE_BENCH_SECONDS ?? 30);
const TICKS = 100;  // USER_HZ (clock ticks per second in /proc/<pid>/stat) is 100 on Linux

function cpuSeconds(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;  // utime + stime
}
function memory(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(status.match(new RegExp(`${name}:\\s+(\\d+) kB`))[1]);
  return { rssMiB: kb('VmRSS') / 1024, peakMiB: kb('VmHWM') / 1024 };
}

const dir = freshDir('agent-bench');
const server = await startServer({ lake: path.join(dir, 'data'), env: { ASAN_OPTIONS: '' } });
const config = path.join(dir, 'agent.toml');
fs.writeFileSync(config, `status_interval_seconds = 0\n${process.env.LOGLAKE_BENCH_AGENT_SETTINGS ?? ''}\n`);

// 1. Throughput.
const big = path.join(dir, 'big.log');
let written = 0;
for (let seed = 1; written < LINES; seed++) {
  const n = Math.min(100000, LINES - written);
  fs.appendFileSync(big, gen({ records: n, start: '2024-05-01', days: 3, seed }));
  written += n;
}
const bytes = fs.statSync(big).size;
let agent = await startAgent({ server: server.url, checkpointDir: path.join(dir, 'ck1'), config, paths: [big] });
const t0 = Date.now();
await waitFor(async () => (await agentMetrics(agent)).loglake_agent_records_accepted_total >= LINES, 3_600_000, 'delivery');
const wall = (Date.now() - t0) / 1000;
const cpu = cpuSeconds(agent.child.pid);
const mem1 = memory(agent.child.pid);
await stopAgent(agent);
console.log(`throughput: ${LINES} lines (${(bytes / 2 ** 20).toFixed(0)} MiB) in ${wall.toFixed(1)} s wall = ${(LINES / wall).toFixed(0)} lines/s; ` +
  `agent CPU ${cpu.toFixed(2)} s = ${(LINES / cpu).toFixed(0)} lines/s per core; peak RSS ${mem1.peakMiB.toFixed(1)} MiB`);

if (process.env.LOGLAKE_BENCH_FLUENTBIT) {
  const compression = (process.env.LOGLAKE_BENCH_AGENT_SETTINGS ?? '').match(/compression = "(\w+)"/)?.[1] ?? 'gzip';
  const fb = await runFluentBit({ binary: process.env.LOGLAKE_BENCH_FLUENTBIT, dir, file: big, lines: LINES, server, compression });
  const row = (name, r) => `  ${name.padEnd(15)} ${String((LINES / r.cpu).toFixed(0)).padStart(9)} lines/s per core  ` +
    `(CPU ${r.cpu.toFixed(2)} s)  ${String((LINES / r.wall).toFixed(0)).padStart(8)} lines/s wall  peak RSS ${r.peakMiB.toFixed(1)} MiB`;
  console.log(`file -> acknowledged by loglake serve, ${LINES} lines, compression ${compression}:`);
  console.log(row('loglake agent', { cpu, wall, peakMiB: mem1.peakMiB }));
  console.log(row('Fluent Bit', fb) + (fb.rejected ? `  (${fb.rejected} records rejected by the server)` : ''));
}

// 2. Steady 1,000 lines/s.
const trickle = path.join(dir, 'trickle.log');
fs.writeFileSync(trickle, '');
const lines = gen({ records: SECONDS * 1000, start: '2024-06-01', days: 1, seed: 99 }).toString().trim().split('\n');
agent = await startAgent({ server: server.url, checkpointDir: path.join(dir, 'ck2'), config, paths: [trickle] });
await sleep(1000);
const cpuStart = cpuSeconds(agent.child.pid);
const start = Date.now();
const fd = fs.openSync(trickle, 'a');
for (let i = 0; i < lines.length; i += 100) {
  fs.writeSync(fd, lines.slice(i, i + 100).join('\n') + '\n');
  const due = start + ((i + 100) / 1000) * 1000;
  await sleep(Math.max(0, due - Date.now()));
}
fs.closeSync(fd);
await waitFor(async () => (await agentMetrics(agent)).loglake_agent_records_accepted_total >= lines.length, 60_000, 'delivery');
const elapsed = (Date.now() - start) / 1000;
const share = (cpuSeconds(agent.child.pid) - cpuStart) / elapsed;
const mem2 = memory(agent.child.pid);
await stopAgent(agent);
console.log(`steady 1,000 lines/s for ${elapsed.toFixed(0)} s: agent CPU ${(share * 100).toFixed(2)}% of a core; RSS ${mem2.rssMiB.toFixed(1)} MiB (peak ${mem2.peakMiB.toFixed(1)} MiB)`);
await stopServer(server);
fs.rmSync(dir, { recursive: true, force: true });
