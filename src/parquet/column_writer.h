// ColumnWriter: encodes one column's values into the pages of one column chunk at a time.
// Internal to FileWriter (see writer.h for the file layout and the encoding policy).
//
// Values are encoded as they are appended: the open page keeps definition levels and either
// dictionary indices or PLAIN bytes; a finished page is compressed into the chunk buffer with its
// header. WriteChunk() then writes the dictionary page and the buffered pages to the file and
// resets the writer for the next row group.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/column.h"
#include "common/file.h"
#include "common/status.h"
#include "parquet/bloom_filter.h"
#include "parquet/compression.h"
#include "parquet/metadata.h"

namespace loglake::parquet {

struct WriterOptions;

// What WriteChunk() produced, for the footer and the page index.
struct WrittenChunk {
  ColumnChunk chunk;  // meta_data complete except the bloom filter and page index fields
  ColumnIndex column_index;
  OffsetIndex offset_index;
  std::optional<BloomFilter> bloom;  // for bloom columns
};

class ColumnWriter {
 public:
  // `compressor` is shared by the file's columns and must outlive the writer. `dictionary_hint`:
  // the distinct values the column's dictionary is expected to reach (0: unknown); its hash table
  // starts that large rather than growing there a doubling at a time.
  static std::unique_ptr<ColumnWriter> Make(const Field& field, bool bloom, const WriterOptions& options,
                                            Compressor* compressor, uint32_t dictionary_hint = 0);
  virtual ~ColumnWriter() = default;

  // Encodes rows [begin, end) of `column`, whose type matches the field.
  virtual Status Append(const Column& column, size_t begin, size_t end) = 0;
  // Uncompressed bytes held for the current chunk: finished pages, the open page, the dictionary.
  virtual uint64_t buffered_bytes() const = 0;
  // Finishes the open page and writes the chunk at file->Tell(); resets for the next chunk.
  // `last`: no chunk follows (the file is being closed), so the buffers kept for the next row
  // group (a dictionary's hash table, up to megabytes) are released instead of cleared.
  virtual Status WriteChunk(WritableFile* file, WrittenChunk* out, bool last) = 0;
  // The most entries a dictionary held among the chunks written so far that kept theirs (0 if
  // none did): a hint for the same column of the next file.
  virtual uint32_t largest_dictionary() const = 0;
};

// Schema element of a leaf column for `field` (physical, converted and logical type, repetition).
SchemaElement LeafSchemaElement(const Field& field);

}  // namespace loglake::parquet
