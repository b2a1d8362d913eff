// `loglake agent` delivers at least once whatever is killed: the agent itself (SIGKILL, at random
// moments, while the application writes and rotates), the server (SIGKILL while the agent sends),
// or the server gone for a while as files rotate. Judged by DuckDB over the lake: every uuid
// written is present, the deduplicated count is exact, and duplicates stay within what could
// have been in flight at the kills.
//
// Short variants in the suite; the full ones (issue 5):
//   LOGLAKE_AGENT_RECORDS=200000 LOGLAKE_AGENT_KILLS=10 LOGLAKE_AGENT_OUTAGE_SECONDS=60 \
//     ctest --test-dir build/test -R agent_crash
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { freshDir, gen } from './lib/loglake.mjs';
import { stopServer } from './lib/server.mjs';
import { LogWriter, agentMetrics, caughtUp, lakeUuids, missingUuids, sleep, startAgent, startServer, stopAgent, waitFor, writeLines } from './lib/agent.mjs';

const RECORDS = Number(process.env.LOGLAKE_AGENT_RECORDS ?? 20000);
const KILLS = Number(process.env.LOGLAKE_AGENT_KILLS ?? 3);
const OUTAGE_SECONDS = Number(process.env.LOGLAKE_AGENT_OUTAGE_SECONDS ?? 3);
const BATCH = 500;
const PENDING = 4;

function agentConfig(dir) {
  const file = path.join(dir, 'agent.toml');
  fs.writeFileSync(file, `batch_max_records = ${BATCH}\nmax_pending_batches = ${PENDING}\nbatch_linger_ms = 100\n` +
    'rotate_wait_ms = 1000\nscan_interval_ms = 200\nstatus_interval_seconds = 0\nretry_initial_ms = 50\nretry_max_ms = 500\n');
  return file;
}

function setup(name, seed) {
  const dir = freshDir(name);
  const logs = path.join(dir, 'logs');
  fs.mkdirSync(logs);
  return {
    dir,
    lake: path.join(dir, 'data'),
    checkpointDir: path.join(dir, 'agent'),
    config: agentConfig(dir),
    glob: path.join(logs, 'app.log*'),
    writer: new LogWriter(path.join(logs, 'app.log')),
    lines: gen({ records: RECORDS, start: '2024-05-01', days: 2, seed }).toString().trim().split('\n'),
  };
}

async function judge(t, lines, maxDuplicates) {
  const state = await lakeUuids(t.lake);
  assert.deepEqual(missingUuids(lines, state).slice(0, 5), [], 'every line written is in the lake');
  assert.equal(state.distinct, lines.length, 'the deduplicated count is exact');
  assert.ok(state.rows - lines.length <= maxDuplicates, `${state.rows - lines.length} duplicates, at most ${maxDuplicates} expected`);
  console.log(`# ${lines.length} lines, ${state.rows - lines.length} duplicates (bound ${maxDuplicates})`);
  return state;
}

test(`the agent SIGKILLed ${KILLS} times at random while ${RECORDS} lines are written and rotated`, { timeout: 1_500_000 }, async () => {
  const t = setup('agent-kill', 31);
  const server = await startServer({ lake: t.lake });
  const start = () => startAgent({ server: server.url, checkpointDir: t.checkpointDir, config: t.config, paths: [t.glob] });
  let agent = await start();
  const sliceCount = Math.ceil(RECORDS / 200);
  // Kill after random slices, spread over the run.
  const killAt = new Set();
  while (killAt.size < KILLS) killAt.add(1 + Math.floor(Math.random() * (sliceCount - 1)));
  let slice = 0;
  let kills = 0;
  await writeLines(t.writer, t.lines, {
    slice: 200, pauseMs: 5, rotateEvery: 3000, rotation: 'rename',
    onSlice: async () => {
      if (!killAt.has(++slice)) return;
      await sleep(Math.floor(Math.random() * 200));
      const end = await stopAgent(agent, 'SIGKILL');
      assert.equal(end.signal, 'SIGKILL');
      kills++;
      agent = await start();
    },
  });
  t.writer.close();
  assert.equal(kills, KILLS);
  await waitFor(() => caughtUp(agent), 300_000, 'the agent to catch up');
  const end = await stopAgent(agent, 'SIGTERM');
  assert.equal(end.code, 0, agent.stderr());
  assert.equal((await stopServer(server)).code, 0, server.stderr());
  // Each kill may resend what was sent but not checkpointed: the batches in flight or queued.
  await judge(t, t.lines, KILLS * (PENDING + 1) * BATCH);
});

test('the server SIGKILLed twice while the agent sends: the agent retries until it is back', { timeout: 900_000 }, async () => {
  const t = setup('agent-server-kill', 32);
  let server = await startServer({ lake: t.lake });
  const port = server.port;
  const agent = await startAgent({ server: server.url, checkpointDir: t.checkpointDir, config: t.config, paths: [t.glob] });
  const third = Math.floor(RECORDS / 3);
  let serverKills = 0;
  await writeLines(t.writer, t.lines, {
    slice: 200, pauseMs: 5, rotateEvery: 4000, rotation: 'rename',
    onSlice: async (written) => {
      if (written === Math.ceil(third / 200) * 200 || written === Math.ceil((2 * third) / 200) * 200) {
        await stopServer(server, 'SIGKILL');
        serverKills++;
        await sleep(1000);  // the agent retries meanwhile
        server = await startServer({ lake: t.lake, port });
      }
    },
  });
  t.writer.close();
  assert.equal(serverKills, 2);
  await waitFor(async () => (await agentMetrics(agent)).loglake_agent_records_accepted_total >= RECORDS, 300_000, 'delivery');
  const m = await agentMetrics(agent);
  assert.ok(m.loglake_agent_batches_retried_total > 0, 'the agent had to retry');
  assert.equal((await stopAgent(agent)).code, 0, agent.stderr());
  assert.equal((await stopServer(server)).code, 0, server.stderr());
  // A batch stored but not answered when the server died is sent again: one per kill.
  await judge(t, t.lines, serverKills * BATCH);
});

test(`the server down for ${OUTAGE_SECONDS} s while files rotate: the files are the buffer`, { timeout: 900_000 }, async () => {
  const t = setup('agent-outage', 33);
  let server = await startServer({ lake: t.lake });
  const port = server.port;
  const agent = await startAgent({ server: server.url, checkpointDir: t.checkpointDir, config: t.config, paths: [t.glob] });
  const half = Math.floor(RECORDS / 2 / 200) * 200;
  await writeLines(t.writer, t.lines.slice(0, half), { slice: 200, pauseMs: 5, rotateEvery: 2000 });
  assert.equal((await stopServer(server, 'SIGTERM')).code, 0);
  // The outage: the application goes on writing and rotating at an even pace.
  const outageLines = t.lines.slice(half);
  const slices = Math.ceil(outageLines.length / 200);
  await writeLines(t.writer, outageLines, { slice: 200, pauseMs: Math.floor((OUTAGE_SECONDS * 1000) / slices), rotateEvery: 2000 });
  t.writer.close();
  const during = await agentMetrics(agent);
  assert.ok(during.loglake_agent_batches_retried_total > 0, 'the agent noticed the outage');
  assert.ok(during.loglake_agent_batches_queued <= PENDING, `at most ${PENDING} batches held in memory`);
  server = await startServer({ lake: t.lake, port });
  await waitFor(async () => (await agentMetrics(agent)).loglake_agent_records_accepted_total >= RECORDS, 300_000, 'delivery after the outage');
  assert.equal((await stopAgent(agent)).code, 0, agent.stderr());
  assert.equal((await stopServer(server)).code, 0, server.stderr());
  await judge(t, t.lines, 0);
});
