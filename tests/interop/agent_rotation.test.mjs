// `loglake agent` through log rotation at a high write rate: rename+create and copytruncate every
// few thousand lines. Judged by DuckDB over the lake: every uuid written is there, each once.
//
// Short variant in the suite; the full one (issue 5):
//   LOGLAKE_AGENT_RECORDS=300000 LOGLAKE_AGENT_ROTATE_EVERY=5000 ctest --test-dir build/test -R agent_rotation
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { freshDir, gen } from './lib/loglake.mjs';
import { stopServer } from './lib/server.mjs';
import { LogWriter, agentMetrics, lakeUuids, missingUuids, startAgent, startServer, stopAgent, waitFor, writeLines } from './lib/agent.mjs';

const RECORDS = Number(process.env.LOGLAKE_AGENT_RECORDS ?? 20000);
const ROTATE_EVERY = Number(process.env.LOGLAKE_AGENT_ROTATE_EVERY ?? 2000);

function agentConfig(dir, extra = '') {
  const file = path.join(dir, 'agent.toml');
  fs.writeFileSync(file, `batch_max_records = 500\nbatch_linger_ms = 100\nrotate_wait_ms = 1000\nscan_interval_ms = 200\nstatus_interval_seconds = 0\n${extra}`);
  return file;
}

// The third case runs without inotify (watch = "poll", as on a file system inotify cannot watch):
// the scans alone must find every rotation.
for (const [rotation, settings] of [['rename', ''], ['copytruncate', ''], ['rename', 'watch = "poll"\npoll_interval_ms = 100\n']]) {
  const how = settings ? ', polling without inotify' : '';
  test(`${rotation} rotation every ${ROTATE_EVERY} lines while writing ${RECORDS} lines as fast as possible${how}: every line once`,
    { timeout: 900_000 }, async () => {
      const dir = freshDir(`agent-${rotation}${settings ? '-poll' : ''}`);
      const lake = path.join(dir, 'data');
      const logs = path.join(dir, 'logs');
      fs.mkdirSync(logs);
      const lines = gen({ records: RECORDS, start: '2024-05-01', days: 2, seed: rotation === 'rename' ? (settings ? 23 : 21) : 22 }).toString().trim().split('\n');
      const server = await startServer({ lake });
      const writer = new LogWriter(path.join(logs, 'app.log'));
      const agent = await startAgent({
        server: server.url, checkpointDir: path.join(dir, 'agent'), config: agentConfig(dir, settings), paths: [path.join(logs, 'app.log*')],
      });
      await writeLines(writer, lines, { slice: 250, rotateEvery: ROTATE_EVERY, rotation });
      writer.close();
      assert.equal(writer.rotations, Math.floor(RECORDS / ROTATE_EVERY));
      await waitFor(async () => (await agentMetrics(agent)).loglake_agent_records_accepted_total >= RECORDS, 300_000,
        'the agent to deliver every line');
      const m = await agentMetrics(agent);
      const end = await stopAgent(agent, 'SIGTERM');
      assert.equal(end.code, 0, agent.stderr());
      assert.equal(m.loglake_agent_lines_read_total, RECORDS, agent.stderr());
      assert.equal(m.loglake_agent_records_rejected_total, 0);
      assert.equal((await stopServer(server)).code, 0, server.stderr());

      const state = await lakeUuids(lake);
      assert.deepEqual(missingUuids(lines, state).slice(0, 5), []);
      assert.equal(state.distinct, RECORDS);
      assert.equal(state.rows, RECORDS, 'no line sent twice without a crash');
    });
}
