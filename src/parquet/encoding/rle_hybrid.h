// The RLE / bit-packed hybrid encoding of Parquet, used for definition levels, dictionary indices
// and RLE-encoded booleans.
//
// A stream is a sequence of runs, each introduced by a ULEB128 header:
//   header & 1 == 0: an RLE run of (header >> 1) copies of one value stored in ceil(width / 8) bytes;
//   header & 1 == 1: (header >> 1) groups of eight values bit-packed LSB-first (width bytes a group).
// This file handles the bare stream. Its framing is the caller's business, with helpers below for
// the two framings Parquet uses: a 4-byte little-endian length prefix (data page v1 levels, RLE
// booleans) and a leading bit-width byte (dictionary indices).
//
// The decoder treats its input as untrusted: every length is checked, a run never reads past the
// end, a malformed stream is Corruption, and each step consumes input so it cannot loop forever.
// It allocates nothing; callers size the output from what they know of the page, not the stream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace loglake::parquet {

// Appends the bare hybrid encoding of values[0..n) with `bit_width` (0..32; every value must fit).
// Runs of 8 or more equal values become RLE runs; everything else is bit-packed in groups of
// eight, the last group padded with zeros (readers know the value count from the page).
void AppendRleHybrid(const uint32_t* values, size_t n, int bit_width, std::string* out);
void AppendRleHybrid(const uint8_t* values, size_t n, int bit_width, std::string* out);

// Appends a 4-byte little-endian byte length followed by the bare encoding (the v1 level form).
void AppendLengthPrefixedRleHybrid(const uint8_t* values, size_t n, int bit_width, std::string* out);

// Appends the dictionary-index form: one byte holding `bit_width`, then the bare encoding.
void AppendDictionaryIndices(const uint32_t* indices, size_t n, int bit_width, std::string* out);

class RleHybridDecoder {
 public:
  // `data` is the bare stream (no length prefix, no bit-width byte). bit_width outside 0..32 makes
  // every Decode call fail.
  RleHybridDecoder(std::string_view data, int bit_width);

  // Decodes exactly n values. Corruption when the stream ends early or is malformed; the uint8_t
  // overload also rejects values above 255.
  Status Decode(uint32_t* out, size_t n);
  Status Decode(uint8_t* out, size_t n);

  // Input bytes consumed so far (whole runs: a partially consumed run counts in full).
  size_t bytes_consumed() const { return pos_; }

 private:
  Status NextRun();
  // Copies up to `n` values of the current run to out; returns how many.
  size_t TakeFromRun(uint32_t* out, size_t n);

  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  int bit_width_;
  // Current run: `run_left_` values still to hand out. For RLE runs, all equal `rle_value_`; for
  // bit-packed runs, the next value is value `lit_index_` of the run starting at `lit_data_`.
  uint64_t run_left_ = 0;
  bool run_is_rle_ = true;
  uint32_t rle_value_ = 0;
  const uint8_t* lit_data_ = nullptr;
  uint64_t lit_index_ = 0;
  // Values of a partially consumed group of eight in a bit-packed run.
  uint32_t group_[8] = {};
  int group_pos_ = 8;
};

// Reads the v1 level form at the start of `data`: a 4-byte length, then a bare stream of that
// length holding n values. *consumed is set to 4 + the length.
Status DecodeLengthPrefixedRleHybrid(std::string_view data, int bit_width, size_t n, uint8_t* out,
                                     size_t* consumed);

// Reads the dictionary-index form (bit-width byte, then the bare stream) holding n indices.
Status DecodeDictionaryIndices(std::string_view data, size_t n, uint32_t* out);

}  // namespace loglake::parquet
