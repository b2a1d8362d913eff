// `loglake agent` to an https:// server: a Node https proxy (certificates made by the `openssl`
// command, a test CA and server certificates signed by it) in front of a real `loglake serve`.
// Trusted through tls_ca_file, every line arrives once; an untrusted certificate (system CA store,
// another CA, a certificate for another name) sends nothing, says why, and loses nothing: once the
// CA is given, the same checkpoint delivers everything. tls_insecure_skip_verify accepts any
// certificate. Bad TLS settings stop the agent at start (exit 2). Judged by DuckDB over the lake.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, freshDir, gen } from './lib/loglake.mjs';
import { stopServer } from './lib/server.mjs';
import { agentMetrics, lakeUuids, missingUuids, startAgent, startServer, startSlowProxy, stopAgent, waitFor } from './lib/agent.mjs';

let pki;  // { dir, ca, otherCa, server: { key, cert }, wrongName: { key, cert } }

function openssl(args, cwd) {
  const r = spawnSync('openssl', args, { cwd });
  if (r.error) throw new Error(`the openssl command is needed (Debian package openssl): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed:\n${r.stderr}`);
}

// A CA, and a key + certificate signed by it for `names` (subjectAltName entries).
function makeCa(dir, name) {
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.pem`], dir);
  return name;
}
function makeCert(dir, ca, name, names) {
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${name}`,
    '-keyout', `${name}.key`, '-out', `${name}.csr`], dir);
  fs.writeFileSync(path.join(dir, `${name}.ext`), `subjectAltName=${names}\n`);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', '2',
    '-extfile', `${name}.ext`, '-out', `${name}.pem`], dir);
  return { key: fs.readFileSync(path.join(dir, `${name}.key`)), cert: fs.readFileSync(path.join(dir, `${name}.pem`)) };
}

before(() => {
  const dir = freshDir('agent-tls-pki');
  makeCa(dir, 'test-ca');
  makeCa(dir, 'other-ca');
  pki = {
    dir,
    ca: path.join(dir, 'test-ca.pem'),
    otherCa: path.join(dir, 'other-ca.pem'),
    server: makeCert(dir, 'test-ca', 'server', 'IP:127.0.0.1,DNS:localhost'),
    wrongName: makeCert(dir, 'test-ca', 'elsewhere', 'DNS:logs.elsewhere.example'),
  };
});

function records(count, seed) {
  return gen({ records: count, start: '2024-07-01', days: 1, seed }).toString().trim().split('\n');
}

function agentConfig(dir, extra = '') {
  const file = path.join(dir, `agent-${Math.random().toString(36).slice(2)}.toml`);
  fs.writeFileSync(file, `batch_max_records = 500\nbatch_linger_ms = 100\nstatus_interval_seconds = 0\nshutdown_grace_seconds = 1\n${extra}`);
  return file;
}

async function deliveredAll(agent, n) {
  await waitFor(async () => (await agentMetrics(agent)).loglake_agent_records_accepted_total >= n, 120_000, `${n} records acknowledged`);
}

test('https with tls_ca_file (--tls-ca-file): every line arrives through TLS, once', { timeout: 300_000 }, async () => {
  const dir = freshDir('agent-tls');
  const lake = path.join(dir, 'data');
  const log = path.join(dir, 'app.log');
  const lines = records(2000, 81);
  fs.writeFileSync(log, lines.join('\n') + '\n');
  const server = await startServer({ lake });
  const proxy = await startSlowProxy(server.url, 0, { tls: pki.server });
  assert.match(proxy.url, /^https:\/\//);
  const agent = await startAgent({ server: proxy.url, checkpointDir: path.join(dir, 'agent'), config: agentConfig(dir),
    extraArgs: ['--tls-ca-file', pki.ca], paths: [log] });
  await deliveredAll(agent, lines.length);
  assert.equal((await stopAgent(agent)).code, 0, agent.stderr());
  assert.ok(proxy.requests() >= 4, `batches of 500 went through the https proxy (${proxy.requests()} requests)`);
  await proxy.close();
  assert.equal((await stopServer(server)).code, 0, server.stderr());
  const state = await lakeUuids(lake);
  assert.deepEqual(missingUuids(lines, state), []);
  assert.equal(state.rows, lines.length);
});

test('an untrusted certificate sends nothing and says why; with the CA given, the same checkpoint delivers everything once', { timeout: 300_000 }, async () => {
  const dir = freshDir('agent-tls-untrusted');
  const lake = path.join(dir, 'data');
  const log = path.join(dir, 'app.log');
  const lines = records(1000, 82);
  fs.writeFileSync(log, lines.join('\n') + '\n');
  const server = await startServer({ lake });
  const proxy = await startSlowProxy(server.url, 0, { tls: pki.server });
  const elsewhere = await startSlowProxy(server.url, 0, { tls: pki.wrongName });
  const checkpointDir = path.join(dir, 'agent');

  const refused = async (url, extra, reason) => {
    const agent = await startAgent({ server: url, checkpointDir, config: agentConfig(dir, extra), paths: [log] });
    await waitFor(() => reason.test(agent.stderr()), 60_000, `the agent to log ${reason}`);
    const m = await agentMetrics(agent);
    assert.equal(m.loglake_agent_records_accepted_total, 0);
    assert.ok(m.loglake_agent_batches_retried_total >= 1, 'a refused certificate is retried like an outage');
    // Nothing acknowledged: the grace period (1 s) runs out, exit 1, the checkpoint keeps the files at 0.
    assert.equal((await stopAgent(agent)).code, 1, agent.stderr());
    assert.match(agent.stderr(), /"level":"error"/);
  };
  // The system's CA store does not know the test CA.
  await refused(proxy.url, '', /cannot reach https:\/\/127\.0\.0\.1:\d+: SSLServerVerification: the server's certificate is not signed by a CA in the system's CA certificates \(set tls_ca_file/);
  // Another CA.
  await refused(proxy.url, `tls_ca_file = "${pki.otherCa}"\n`, /not signed by a CA in tls_ca_file .*other-ca\.pem/);
  // The right CA, but a certificate for another host.
  await refused(elsewhere.url, `tls_ca_file = "${pki.ca}"\n`, /the server's certificate does not name the host of https:\/\/127\.0\.0\.1/);
  // cpp-httplib checks the certificate once the handshake is done, and then closes without a request.
  assert.equal(proxy.requests() + elsewhere.requests(), 0, 'no request went over an untrusted connection');

  const agent = await startAgent({ server: proxy.url, checkpointDir, config: agentConfig(dir, `tls_ca_file = "${pki.ca}"\n`), paths: [log] });
  await deliveredAll(agent, lines.length);
  assert.equal((await stopAgent(agent)).code, 0, agent.stderr());
  await proxy.close();
  await elsewhere.close();
  assert.equal((await stopServer(server)).code, 0, server.stderr());
  const state = await lakeUuids(lake);
  assert.deepEqual(missingUuids(lines, state), []);
  assert.equal(state.rows, lines.length, 'nothing was sent twice');
});

test('tls_insecure_skip_verify = true accepts a certificate no CA vouches for', { timeout: 300_000 }, async () => {
  const dir = freshDir('agent-tls-insecure');
  const lake = path.join(dir, 'data');
  const log = path.join(dir, 'app.log');
  const lines = records(500, 83);
  fs.writeFileSync(log, lines.join('\n') + '\n');
  const server = await startServer({ lake });
  const proxy = await startSlowProxy(server.url, 0, { tls: pki.wrongName });
  const agent = await startAgent({ server: proxy.url, checkpointDir: path.join(dir, 'agent'),
    config: agentConfig(dir, 'tls_insecure_skip_verify = true\n'), paths: [log] });
  await deliveredAll(agent, lines.length);
  assert.equal((await stopAgent(agent)).code, 0, agent.stderr());
  await proxy.close();
  assert.equal((await stopServer(server)).code, 0, server.stderr());
  assert.equal((await lakeUuids(lake)).rows, lines.length);
});

test('bad TLS settings stop the agent at start with exit 2 and a clear message', () => {
  const dir = freshDir('agent-tls-config');
  const run = (server, extra) => spawnSync(BIN, ['agent', '--server', server, '--table', 'access_log', '--checkpoint-dir',
    path.join(dir, 'agent'), '--config', agentConfig(dir, extra), path.join(dir, '*.log')],
  { env: { ...process.env, ASAN_OPTIONS: process.env.ASAN_OPTIONS ?? 'detect_leaks=1' } });
  const cases = [
    ['http://127.0.0.1:1', `tls_ca_file = "${pki.ca}"\n`, /tls_ca_file and tls_insecure_skip_verify apply to https:\/\/ servers only/],
    ['https://127.0.0.1:1', `tls_ca_file = "${path.join(dir, 'nope.pem')}"\n`, /tls_ca_file .*nope\.pem cannot be read/],
    ['https://127.0.0.1:1', `tls_ca_file = "${path.join(pki.dir, 'test-ca.key')}"\n`, /holds no PEM certificate/],
    ['https://127.0.0.1:1', 'tls_insecure_skip_verify = "yes"\n', /tls_insecure_skip_verify: expected true or false/],
  ];
  for (const [server, extra, message] of cases) {
    const r = run(server, extra);
    assert.equal(r.status, 2, r.stderr.toString());
    assert.match(r.stderr.toString(), message);
  }
});
