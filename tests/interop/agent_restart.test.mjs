// `loglake agent` across restarts and at shutdown: a partial last line, a torn checkpoint, an inode
// reused by a new file, SIGTERM with a slow server (delivered within the grace period, or exit 1
// and the rest sent by the next start), standard input, and the dead-letter file.
// Judged by DuckDB over the lake.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, freshDir, gen } from './lib/loglake.mjs';
import { openDuckDB, sqlString } from './lib/duckdb.mjs';
import { stopServer } from './lib/server.mjs';
import { agentMetrics, caughtUp, lakeUuids, missingUuids, startAgent, startServer, startSlowProxy, stopAgent, waitFor } from './lib/agent.mjs';

function agentConfig(dir, extra = '') {
  const file = path.join(dir, 'agent.toml');
  fs.writeFileSync(file, `batch_max_records = 500\nbatch_linger_ms = 100\nrotate_wait_ms = 1000\nscan_interval_ms = 200\nstatus_interval_seconds = 0\n${extra}`);
  return file;
}

function records(count, seed) {
  return gen({ records: count, start: '2024-07-01', days: 1, seed }).toString().trim().split('\n');
}

async function delivered(agent, n) {
  await waitFor(async () => (await agentMetrics(agent)).loglake_agent_records_accepted_total >= n, 120_000, `${n} records acknowledged`);
}

test('a partial last line waits for its newline across a restart and is sent whole, once', { timeout: 600_000 }, async () => {
  const dir = freshDir('agent-partial');
  const lake = path.join(dir, 'data');
  const log = path.join(dir, 'app.log');
  const lines = records(300, 41);
  const cut = Math.floor(lines[200].length / 2);
  fs.writeFileSync(log, lines.slice(0, 200).join('\n') + '\n' + lines[200].slice(0, cut));
  const server = await startServer({ lake });
  const args = { server: server.url, checkpointDir: path.join(dir, 'agent'), config: agentConfig(dir), paths: [log] };
  let agent = await startAgent(args);
  await delivered(agent, 200);
  // A second agent on the same checkpoint folder is refused.
  const second = spawnSync(BIN, ['agent', '--server', server.url, '--table', 'access_log', '--checkpoint-dir', args.checkpointDir, log],
    { env: { ...process.env, ASAN_OPTIONS: process.env.ASAN_OPTIONS ?? 'detect_leaks=1' } });
  assert.equal(second.status, 1);
  assert.match(second.stderr.toString(), /another loglake agent uses this checkpoint folder/);
  assert.equal((await stopAgent(agent)).code, 0, agent.stderr());
  // The application finishes the line while the agent is down.
  fs.appendFileSync(log, lines[200].slice(cut) + '\n' + lines.slice(201).join('\n') + '\n');
  agent = await startAgent(args);
  await delivered(agent, 100);
  assert.equal((await stopAgent(agent)).code, 0, agent.stderr());
  assert.equal((await stopServer(server)).code, 0, server.stderr());
  const state = await lakeUuids(lake);
  assert.deepEqual(missingUuids(lines, state), []);
  assert.equal(state.rows, 300);
  assert.equal(fs.existsSync(path.join(lake, 'access_log', '_errors')), false, 'no half line was sent');
});

test('a torn newest checkpoint: the agent says so and resumes from the previous one, losing nothing', { timeout: 600_000 }, async () => {
  const dir = freshDir('agent-torn');
  const lake = path.join(dir, 'data');
  const log = path.join(dir, 'app.log');
  const checkpointDir = path.join(dir, 'agent');
  const lines = records(3000, 42);
  const server = await startServer({ lake });
  const args = { server: server.url, checkpointDir, config: agentConfig(dir), paths: [log] };
  fs.writeFileSync(log, lines.slice(0, 1000).join('\n') + '\n');
  let agent = await startAgent(args);
  await delivered(agent, 1000);
  fs.appendFileSync(log, lines.slice(1000, 2000).join('\n') + '\n');
  await delivered(agent, 2000);
  assert.equal((await stopAgent(agent)).code, 0, agent.stderr());
  // Tear the newest slot (the one with the highest generation).
  const slots = ['checkpoint-0', 'checkpoint-1'].map((n) => path.join(checkpointDir, n));
  const generation = (f) => Number(fs.readFileSync(f, 'utf8').match(/generation (\d+)/)[1]);
  const newest = generation(slots[0]) > generation(slots[1]) ? slots[0] : slots[1];
  const text = fs.readFileSync(newest, 'utf8');
  fs.writeFileSync(newest, text.slice(0, Math.floor(text.length / 2)));
  fs.appendFileSync(log, lines.slice(2000).join('\n') + '\n');
  agent = await startAgent(args);
  await waitFor(() => /is unusable/.test(agent.stderr()), 30_000, 'the torn checkpoint to be reported');
  await delivered(agent, 1000);
  assert.equal((await stopAgent(agent)).code, 0, agent.stderr());
  assert.match(agent.stderr(), /checkpoint-\d is unusable \(.*\); starting from the previous checkpoint/);
  assert.equal((await stopServer(server)).code, 0, server.stderr());
  const state = await lakeUuids(lake);
  assert.deepEqual(missingUuids(lines, state).slice(0, 5), []);
  assert.equal(state.distinct, 3000);
  // The previous generation is at most one acknowledged batch behind.
  assert.ok(state.rows - 3000 <= 500, `${state.rows - 3000} duplicates`);
});

test('an inode reused by a new file while the agent was down is read from its start', { timeout: 600_000 }, async () => {
  const dir = freshDir('agent-inode');
  const lake = path.join(dir, 'data');
  const logs = path.join(dir, 'logs');
  fs.mkdirSync(logs);
  const log = path.join(logs, 'app.log');
  const first = records(400, 43);
  const second = records(100, 44);
  const server = await startServer({ lake });
  const args = { server: server.url, checkpointDir: path.join(dir, 'agent'), config: agentConfig(dir), paths: [log] };
  fs.writeFileSync(log, first.join('\n') + '\n');
  const oldInode = fs.statSync(log).ino;
  let agent = await startAgent(args);
  await delivered(agent, 400);
  assert.equal((await stopAgent(agent)).code, 0, agent.stderr());
  // Delete the file and create new ones until the file system hands out the old inode again (it
  // usually does at once); the new file is shorter than the checkpointed offset.
  fs.unlinkSync(log);
  let reused = false;
  for (let i = 0; i < 200 && !reused; i++) {
    const candidate = path.join(logs, `new-${i}`);
    fs.writeFileSync(candidate, second.join('\n') + '\n');
    if (fs.statSync(candidate).ino === oldInode) {
      fs.renameSync(candidate, log);
      reused = true;
    }
  }
  for (const f of fs.readdirSync(logs)) if (f.startsWith('new-')) fs.unlinkSync(path.join(logs, f));
  if (!reused) fs.writeFileSync(log, second.join('\n') + '\n');  // another inode: a plain new file
  agent = await startAgent(args);
  await delivered(agent, 100);
  assert.equal((await stopAgent(agent)).code, 0, agent.stderr());
  if (reused) assert.match(agent.stderr(), /changed while the agent was down/);
  assert.equal((await stopServer(server)).code, 0, server.stderr());
  const state = await lakeUuids(lake);
  assert.deepEqual(missingUuids([...first, ...second], state), []);
  assert.equal(state.rows, 500);
});

test('SIGTERM with a slow server: everything read is delivered within the grace period, exit 0', { timeout: 600_000 }, async () => {
  const dir = freshDir('agent-sigterm-slow');
  const lake = path.join(dir, 'data');
  const log = path.join(dir, 'app.log');
  const lines = records(5000, 45);
  const server = await startServer({ lake });
  const proxy = await startSlowProxy(server.url, 300);
  fs.writeFileSync(log, '');
  const agent = await startAgent({ server: proxy.url, checkpointDir: path.join(dir, 'agent'), config: agentConfig(dir, 'shutdown_grace_seconds = 60\n'), paths: [log] });
  fs.appendFileSync(log, lines.join('\n') + '\n');
  await waitFor(async () => (await agentMetrics(agent)).loglake_agent_batches_queued > 0, 30_000, 'batches in flight');
  // SIGTERM while 10 batches of 300 ms each are still to go.
  const end = await stopAgent(agent);
  assert.equal(end.code, 0, agent.stderr());
  assert.match(agent.stderr(), /every line read was delivered/);
  await proxy.close();
  assert.equal((await stopServer(server)).code, 0, server.stderr());
  const state = await lakeUuids(lake);
  assert.deepEqual(missingUuids(lines, state).slice(0, 5), []);
  assert.equal(state.rows, 5000);
});

test('SIGTERM when the grace period runs out: exit 1 with a clear message, and the next start sends the rest', { timeout: 600_000 }, async () => {
  const dir = freshDir('agent-sigterm-grace');
  const lake = path.join(dir, 'data');
  const log = path.join(dir, 'app.log');
  const checkpointDir = path.join(dir, 'agent');
  const lines = records(5000, 46);
  const server = await startServer({ lake });
  const proxy = await startSlowProxy(server.url, 800);
  const config = agentConfig(dir, 'shutdown_grace_seconds = 1\n');
  fs.writeFileSync(log, lines.join('\n') + '\n');
  let agent = await startAgent({ server: proxy.url, checkpointDir, config, paths: [log] });
  await waitFor(async () => (await agentMetrics(agent)).loglake_agent_batches_sent_total >= 1, 30_000, 'a first batch');
  const end = await stopAgent(agent);
  assert.equal(end.code, 1, agent.stderr());
  assert.match(agent.stderr(), /grace period ran out with \d+ batches \(\d+ records\) not acknowledged/);
  await proxy.close();
  agent = await startAgent({ server: server.url, checkpointDir, config, paths: [log] });
  await waitFor(() => caughtUp(agent), 120_000, 'the rest to be delivered');
  assert.equal((await stopAgent(agent)).code, 0, agent.stderr());
  assert.equal((await stopServer(server)).code, 0, server.stderr());
  const state = await lakeUuids(lake);
  assert.deepEqual(missingUuids(lines, state).slice(0, 5), [], agent.stderr());
  assert.equal(state.distinct, 5000);
  // Resent: at most the batches that were in flight or queued when the grace ran out.
  assert.ok(state.rows - 5000 <= 5 * 500, `${state.rows - 5000} duplicates`);
});

test('--stdin ships standard input and exits 0 at its end; rejected and over-long lines go to the dead-letter file', { timeout: 600_000 }, async () => {
  const dir = freshDir('agent-stdin');
  const lake = path.join(dir, 'data');
  const checkpointDir = path.join(dir, 'agent');
  const lines = records(2000, 47);
  const bad = ['{"uuid":"bad-1","time":"not a time"}', '{"uuid":"bad-2"', 'x'.repeat(3000)];
  const body = [...lines.slice(0, 1000), ...bad, ...lines.slice(1000)].join('\n') + '\n';
  const server = await startServer({ lake });
  const config = agentConfig(dir, 'max_line_bytes = 2048\n');
  const child = spawn(BIN, ['agent', '--server', server.url, '--table', 'access_log', '--stdin', '--checkpoint-dir', checkpointDir, '--config', config], {
    env: { ...process.env, ASAN_OPTIONS: process.env.ASAN_OPTIONS ?? 'detect_leaks=1' },
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d.toString(); });
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  child.stdin.end(body);
  assert.equal(await exited, 0, stderr);
  assert.equal((await stopServer(server)).code, 0, server.stderr());
  const state = await lakeUuids(lake);
  assert.deepEqual(missingUuids(lines, state), []);
  assert.equal(state.rows, 2000);
  const dead = fs.readFileSync(path.join(checkpointDir, 'dead-letter.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const reasons = dead.map((d) => d.reason).join('\n');
  assert.equal(dead.length, 3, reasons);
  assert.match(reasons, /over max_line_bytes \(2048 bytes\)/);
  assert.ok(dead.some((d) => d.record === bad[0] && /rejected by the server/.test(d.reason)), reasons);
  assert.ok(dead.some((d) => d.record === bad[1] && /rejected by the server/.test(d.reason)), reasons);
});

test('a config file with two inputs ships two sets of files to two tables', { timeout: 600_000 }, async () => {
  const dir = freshDir('agent-inputs');
  const lake = path.join(dir, 'data');
  const schema = path.join(dir, 'events.toml');
  fs.writeFileSync(schema, 'name = "events"\ntime_column = "time"\ndedup_key = "uuid"\n' +
    '[[columns]]\nname = "uuid"\ntype = "string"\nnullable = false\n[[columns]]\nname = "time"\ntype = "timestamp"\n' +
    '[[columns]]\nname = "msg"\ntype = "string"\n');
  const serveConfig = path.join(dir, 'serve.toml');
  fs.writeFileSync(serveConfig, `[[tables]]\nname = "access_log"\n[[tables]]\nname = "events"\nschema = "${schema}"\n`);
  const server = await startServer({ lake, extraArgs: ['--config', serveConfig] });
  const access = records(1000, 48);
  const events = Array.from({ length: 700 }, (_, i) => JSON.stringify({ uuid: `event-${i}`, time: '2024-07-01T12:00:00Z', msg: `m${i}` }));
  fs.mkdirSync(path.join(dir, 'web'));
  fs.mkdirSync(path.join(dir, 'jobs'));
  fs.writeFileSync(path.join(dir, 'web', 'access.log'), access.join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'jobs', 'a.log'), events.slice(0, 300).join('\n') + '\n');
  const config = agentConfig(dir, `[[inputs]]\ntable = "access_log"\npaths = ["${dir}/web/*.log"]\n` +
    `[[inputs]]\nname = "job_events"\ntable = "events"\npaths = ["${dir}/jobs/*.log"]\n`);
  const agent = await startAgent({ server: server.url, table: '', checkpointDir: path.join(dir, 'agent'), config });
  await delivered(agent, 1300);
  // A new file matching the second glob is picked up.
  fs.writeFileSync(path.join(dir, 'jobs', 'b.log'), events.slice(300).join('\n') + '\n');
  await delivered(agent, 1700);
  assert.equal((await stopAgent(agent)).code, 0, agent.stderr());
  const checkpoint = fs.readdirSync(path.join(dir, 'agent')).filter((f) => f.startsWith('checkpoint-'))
    .map((f) => fs.readFileSync(path.join(dir, 'agent', f), 'utf8')).join('');
  assert.match(checkpoint, /file job_events /);
  assert.match(checkpoint, /file access_log /);
  assert.equal((await stopServer(server)).code, 0, server.stderr());
  const state = await lakeUuids(lake);
  assert.deepEqual(missingUuids(access, state), []);
  assert.equal(state.rows, 1000);
  const db = await openDuckDB();
  try {
    const [r] = await db.all(`SELECT count(*)::BIGINT AS n, count(DISTINCT uuid)::BIGINT AS d FROM read_parquet(${sqlString(path.join(lake, 'events', '**', '*.parquet'))})`);
    assert.equal(Number(r.n), 700);
    assert.equal(Number(r.d), 700);
  } finally {
    db.close();
  }
});
