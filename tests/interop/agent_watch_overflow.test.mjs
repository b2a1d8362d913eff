// `loglake agent` when the kernel drops inotify events: a real IN_Q_OVERFLOW, made without touching
// the machine-wide limit. The agent is stopped (SIGSTOP) so that it reads no events; meanwhile
// more writes than /proc/sys/fs/inotify/max_queued_events fill its queue, and only then a new log
// file is created, so that its creation event is certainly lost. With scan_interval_ms at an hour,
// the only thing that can make the agent find the file is the overflow asking for a rescan (checked:
// with the overflow's rescan removed from directory_watcher.cc, this test fails).
// Judged by DuckDB over the lake: every line of both files, once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { freshDir, gen } from './lib/loglake.mjs';
import { stopServer } from './lib/server.mjs';
import { agentMetrics, lakeUuids, missingUuids, startAgent, startServer, stopAgent, waitFor } from './lib/agent.mjs';

function records(count, seed) {
  return gen({ records: count, start: '2024-07-01', days: 1, seed }).toString().trim().split('\n');
}

test('an inotify queue overflow makes the agent rescan: a file created while events were lost is shipped whole', { timeout: 300_000 }, async () => {
  const limit = Number(fs.readFileSync('/proc/sys/fs/inotify/max_queued_events', 'utf8'));
  assert.ok(limit > 0, 'max_queued_events is readable');
  const dir = freshDir('agent-overflow');
  const lake = path.join(dir, 'data');
  const logs = path.join(dir, 'logs');
  fs.mkdirSync(logs);
  const first = records(300, 71);
  const late = records(500, 72);
  const more = first.splice(200);  // 200 lines now, 100 written while the agent is stopped
  fs.writeFileSync(path.join(logs, 'app.log'), first.join('\n') + '\n');
  // The noise files exist before the agent watches: their creation would ask for a rescan by itself.
  const noiseFiles = ['noise-a.tmp', 'noise-b.tmp'].map((f) => path.join(logs, f));
  for (const f of noiseFiles) fs.writeFileSync(f, '');
  const config = path.join(dir, 'agent.toml');
  // An hour between scans: no timer finds the new file within this test.
  fs.writeFileSync(config, 'scan_interval_ms = 3600000\nbatch_linger_ms = 100\nstatus_interval_seconds = 0\nwatch = "inotify"\n');
  const server = await startServer({ lake });
  const agent = await startAgent({ server: server.url, checkpointDir: path.join(dir, 'agent'), config, paths: [path.join(logs, '*.log')] });
  const accepted = async () => (await agentMetrics(agent)).loglake_agent_records_accepted_total;
  await waitFor(async () => (await accepted()) >= 200, 60_000, 'the first 200 lines acknowledged');
  assert.equal((await agentMetrics(agent)).loglake_agent_watch_overflows_total, 0);

  agent.child.kill('SIGSTOP');
  try {
    // Writes alternate between two files outside the glob: the kernel merges an event only with an
    // identical last one, so each write is one queued event.
    const noise = noiseFiles.map((f) => fs.openSync(f, 'a'));
    for (let i = 0; i < limit + 100; i++) fs.writeSync(noise[i % 2], 'x');
    for (const fd of noise) fs.closeSync(fd);
    // The queue is full: these events are dropped.
    fs.writeFileSync(path.join(logs, 'late.log'), late.join('\n') + '\n');
    fs.appendFileSync(path.join(logs, 'app.log'), more.join('\n') + '\n');
  } finally {
    agent.child.kill('SIGCONT');
  }

  await waitFor(async () => (await accepted()) >= 800, 60_000, 'late.log (created while events were lost) and the rest of app.log acknowledged');
  const metrics = await agentMetrics(agent);
  assert.equal(metrics.loglake_agent_watch_overflows_total, 1, 'the overflow is counted');
  assert.equal(metrics.loglake_agent_open_files, 2);
  assert.equal((await stopAgent(agent)).code, 0, agent.stderr());
  assert.equal((await stopServer(server)).code, 0, server.stderr());
  const state = await lakeUuids(lake);
  assert.deepEqual(missingUuids([...first, ...more, ...late], state), []);
  assert.equal(state.rows, 800, 'every line once');
});
