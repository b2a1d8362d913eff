// Bad input is never dropped: each rejected record is counted and stored under _errors/ with the
// reason, where it came from (source and line) and its exact text, filed under its day when its
// time could be read and under unknown-time/ otherwise.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { convert, errorRecords, freshDir, parquetFiles } from './lib/loglake.mjs';
import { isoToMicros } from './lib/expected.mjs';

// [bytes of the line, expected reason (regex) or null for a good record, expected error folder]
const CASES = [
  [Buffer.from('{"uuid":"g1","time":"2024-05-01T09:00:00Z","status":200}'), null],
  [Buffer.from('{"uuid":"e2","time":"2024-05-01T10:00:00Z","status":"OK"}'), /status/, '2024/05/01'],
  [Buffer.from('{"uuid":"e3","status":200}'), /time/, 'unknown-time'],
  [Buffer.from('{"uuid":"e4","time":"yesterday"}'), /time/, 'unknown-time'],
  [Buffer.concat([Buffer.from('{"uuid":"e5","time":"2024-05-02T10:00:00Z","user_agent":"bad '),
    Buffer.from([0xff, 0xc3, 0x28]), Buffer.from(' bytes"}')]), /UTF-8/i],
  [Buffer.from('{"uuid":"e6","time":"2024-05-03T10:00:00Z","path":"/api/v1/ord'), /malformed|incomplete/],
  [Buffer.from('{"uuid":"e7","time":"2024-05-01T10:00:00Z",,"status":200}'), /malformed/],
  [Buffer.from('{"uuid":"e8","time":"2024-05-01T10:00:00Z","bytes_sent":9223372036854775808}'), /bytes_sent/, '2024/05/01'],
  [Buffer.from('{"uuid":"e9","time":"2024-05-01T10:00:00Z","status":200,"status":201}'), /duplicate key/],
  [Buffer.from('42'), /not an object/, 'unknown-time'],
  [Buffer.from(`{"uuid":"e11","time":"2024-05-01T10:00:00Z","path":"${'x'.repeat(5000)}"}`), /size limit/],
  [Buffer.from('{"uuid":"g2","time":"2024-05-04T09:00:00Z","status":204}'), null],
];
const MAX_RECORD_BYTES = 2048;

let lake;
let inputPath;
let summary;
let errors;
let startedAt;

before(() => {
  const dir = freshDir('errors');
  lake = path.join(dir, 'lake');
  inputPath = path.join(dir, 'input.ndjson');
  fs.writeFileSync(inputPath, Buffer.concat(CASES.flatMap(([bytes]) => [bytes, Buffer.from('\n')])));
  startedAt = BigInt(Date.now()) * 1000n;
  ({ summary } = convert({ lake, files: [inputPath], extraArgs: ['--max-record-bytes', String(MAX_RECORD_BYTES)] }));
  errors = errorRecords(lake, 'access_log');
});

test('every record is counted: good ones written, bad ones rejected', () => {
  const bad = CASES.filter(([, reason]) => reason).length;
  assert.equal(summary.read, CASES.length);
  assert.equal(summary.written, CASES.length - bad);
  assert.equal(summary.rejected, bad);
  assert.equal(errors.length, bad);
  assert.equal(parquetFiles(lake, 'access_log').length, 2);
});

test('each error names its reason, source and line, and keeps the exact text', () => {
  CASES.forEach(([bytes, reason, folder], i) => {
    if (!reason) return;
    const lineNo = i + 1;
    const e = errors.find((x) => x.line === lineNo);
    assert.ok(e, `line ${lineNo}: no error record`);
    assert.match(e.error, reason, `line ${lineNo}`);
    assert.equal(e.source, inputPath, `line ${lineNo}: source`);
    const received = isoToMicros(e.received_at);
    assert.ok(received >= startedAt - 60_000_000n && received <= BigInt(Date.now()) * 1000n + 60_000_000n,
      `line ${lineNo}: received_at ${e.received_at}`);
    if (/size limit/.test(e.error)) {
      // Over-long records keep their beginning.
      assert.ok(e.raw.length > 0 && e.raw.length <= MAX_RECORD_BYTES, `line ${lineNo}: kept ${e.raw.length} bytes`);
      assert.ok(bytes.toString().startsWith(e.raw), `line ${lineNo}: kept text is the record's beginning`);
    } else if (e.raw_base64 !== undefined) {
      assert.deepEqual(Buffer.from(e.raw_base64, 'base64'), bytes, `line ${lineNo}: raw_base64 gives the bytes back`);
      assert.ok(e.raw.includes('\ufffd'), `line ${lineNo}: invalid bytes show as U+FFFD in raw`);
    } else {
      assert.equal(e.raw, bytes.toString(), `line ${lineNo}: raw`);
    }
    if (folder) {
      const rel = path.relative(path.join(lake, 'access_log', '_errors'), path.dirname(e.file)).split(path.sep).join('/');
      assert.equal(rel, folder, `line ${lineNo}: error folder`);
    }
  });
});

test('invalid UTF-8 gets raw_base64; valid text does not', () => {
  const withBase64 = errors.filter((e) => e.raw_base64 !== undefined).map((e) => e.line);
  assert.deepEqual(withBase64, [5]);
});

test('a truncated record is filed under the day of its time, read from its text (docs/json-rules.md)', () => {
  const e = errors.find((x) => x.line === 6);
  const rel = path.relative(path.join(lake, 'access_log', '_errors'), path.dirname(e.file)).split(path.sep).join('/');
  assert.equal(rel, '2024/05/03');
});
