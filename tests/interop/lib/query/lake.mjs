// The lake the query tests run on: `loglake gen` records (with duplicates) converted in two
// batches, so that each day has two files and several row groups per file.
import { convert, freshDir, gen, splitLines } from '../loglake.mjs';

export function buildQueryLake({ name = 'query', records, start, days, seed = 7, dupRate = 0.01, badRate = 0.001,
  rowGroupRows = 16384 }) {
  const lake = freshDir(name);
  const ndjson = gen({ records, start, days, seed, dupRate, badRate });
  const lines = splitLines(ndjson);
  // Alternate lines between the batches: every day gets a file from each, and a duplicate may
  // sit in either file of its day.
  const batches = [lines.filter((_, i) => i % 2 === 0), lines.filter((_, i) => i % 2 === 1)];
  for (const batch of batches) {
    const input = Buffer.concat(batch.flatMap((l) => [l, Buffer.from('\n')]));
    convert({ lake, input, extraArgs: ['--row-group-rows', String(rowGroupRows)] });
  }
  return lake;
}
