// hyparquet, the second independent reader: pure JavaScript, with hyparquet-compressors for
// Snappy and ZSTD pages.
import fs from 'node:fs';
import { asyncBufferFromFile, parquetMetadata, parquetReadObjects, readColumnIndex, readOffsetIndex } from 'hyparquet';
import { readBloomFilter, hashParquetValue, sbbfContains } from 'hyparquet/src/bloom.js';
import { compressors } from 'hyparquet-compressors';

// Timestamps stay bigint microseconds, so nothing is lost to JS Date's milliseconds.
const parsers = { timestampFromMicroseconds: (micros) => micros };

/** Every row of one file as objects (INT64 as bigint, TIMESTAMP as bigint µs). */
export async function hyparquetRows(file) {
  return parquetReadObjects({ file: await asyncBufferFromFile(file), compressors, parsers });
}

/** The whole file and its footer (FileMetaData) as hyparquet parses it (timestamps as bigint µs). */
export function hyparquetMetadata(file) {
  const buf = fs.readFileSync(file);
  return { buf, metadata: parquetMetadata(buf, { parsers }) };
}

function readerAt(buf, offset, length) {
  const view = new DataView(buf.buffer, buf.byteOffset + Number(offset), Number(length));
  return { view, offset: 0 };
}

/** ColumnIndex and OffsetIndex of one column chunk, or undefined where absent. */
export function pageIndexes(buf, metadata, chunk) {
  const element = metadata.schema.find((e) => e.name === chunk.meta_data.path_in_schema.at(-1));
  const out = {};
  if (chunk.column_index_offset !== undefined) {
    out.columnIndex = readColumnIndex(readerAt(buf, chunk.column_index_offset, chunk.column_index_length), element,
      parsers);
  }
  if (chunk.offset_index_offset !== undefined) {
    out.offsetIndex = readOffsetIndex(readerAt(buf, chunk.offset_index_offset, chunk.offset_index_length));
  }
  return out;
}

/**
 * A membership test built from the chunk's split-block bloom filter (hyparquet's own
 * implementation of the spec), or undefined when the chunk has none.
 */
export function bloomFilter(buf, metadata, chunk) {
  const md = chunk.meta_data;
  if (md.bloom_filter_offset === undefined) return undefined;
  const length = md.bloom_filter_length ?? buf.length - Number(md.bloom_filter_offset);
  const filter = readBloomFilter(readerAt(buf, md.bloom_filter_offset, length));
  if (!filter) return undefined;
  const element = metadata.schema.find((e) => e.name === md.path_in_schema.at(-1));
  return (value) => sbbfContains(filter.blocks, hashParquetValue(value, element));
}
