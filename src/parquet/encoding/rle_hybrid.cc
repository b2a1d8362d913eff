#include "parquet/encoding/rle_hybrid.h"

#include <algorithm>
#include <string>

#include "parquet/encoding/bit_packing.h"
#include "parquet/encoding/bit_util.h"

namespace loglake::parquet {
namespace {

template <typename T>
void AppendLiteralRun(const T* values, size_t count, int bit_width, std::string* out) {
  const uint64_t groups = (count + 7) / 8;
  AppendUleb128(out, (groups << 1) | 1);
  if constexpr (sizeof(T) == sizeof(uint32_t)) {
    PackBits32(values, count, bit_width, out);
  } else {
    // Widen in chunks of whole groups so the packed chunks concatenate bit-exactly.
    uint32_t buf[512];
    for (size_t i = 0; i < count; i += 512) {
      const size_t m = std::min<size_t>(512, count - i);
      for (size_t j = 0; j < m; ++j) buf[j] = values[i + j];
      PackBits32(buf, m, bit_width, out);
    }
  }
  // Pad the last group to eight values.
  const uint64_t written = BytesForBits(static_cast<uint64_t>(count) * bit_width);
  out->append(groups * bit_width - written, '\0');
}

void AppendRleRun(uint32_t value, size_t count, int bit_width, std::string* out) {
  AppendUleb128(out, static_cast<uint64_t>(count) << 1);
  const int value_bytes = (bit_width + 7) / 8;
  for (int b = 0; b < value_bytes; ++b) out->push_back(static_cast<char>(value >> (8 * b)));
}

template <typename T>
void AppendHybrid(const T* v, size_t n, int bit_width, std::string* out) {
  size_t lit_start = 0;  // values [lit_start, i) wait to be bit-packed
  size_t i = 0;
  while (i < n) {
    size_t j = i + 1;
    while (j < n && v[j] == v[i]) ++j;
    const size_t run = j - i;
    if (run >= 8) {
      // Bit-packed runs hold whole groups of eight, so the pending literals borrow the first
      // few repeats to fill their last group; what remains becomes an RLE run if still >= 8.
      const size_t pending = i - lit_start;
      const size_t pad = (8 - pending % 8) % 8;
      if (run - pad >= 8) {
        if (pending + pad > 0) AppendLiteralRun(v + lit_start, pending + pad, bit_width, out);
        AppendRleRun(v[i], run - pad, bit_width, out);
        lit_start = j;
      }
    }
    i = j;
  }
  if (lit_start < n) AppendLiteralRun(v + lit_start, n - lit_start, bit_width, out);
}

}  // namespace

void AppendRleHybrid(const uint32_t* values, size_t n, int bit_width, std::string* out) {
  AppendHybrid(values, n, bit_width, out);
}

void AppendRleHybrid(const uint8_t* values, size_t n, int bit_width, std::string* out) {
  AppendHybrid(values, n, bit_width, out);
}

void AppendLengthPrefixedRleHybrid(const uint8_t* values, size_t n, int bit_width, std::string* out) {
  const size_t len_pos = out->size();
  out->append(4, '\0');
  AppendHybrid(values, n, bit_width, out);
  StoreLE<uint32_t>(out->data() + len_pos, static_cast<uint32_t>(out->size() - len_pos - 4));
}

void AppendDictionaryIndices(const uint32_t* indices, size_t n, int bit_width, std::string* out) {
  out->push_back(static_cast<char>(bit_width));
  AppendHybrid(indices, n, bit_width, out);
}

RleHybridDecoder::RleHybridDecoder(std::string_view data, int bit_width)
    : data_(Bytes(data)), size_(data.size()), bit_width_(bit_width) {}

Status RleHybridDecoder::NextRun() {
  if (pos_ >= size_) return Status::Corruption("RLE/bit-packed data ends before all values were read");
  uint64_t header;
  if (!ReadUleb128(data_, size_, &pos_, &header, 5)) {
    return Status::Corruption("RLE/bit-packed run header is truncated or too long");
  }
  const size_t avail = size_ - pos_;
  if (header & 1) {
    const uint64_t groups = header >> 1;
    const uint64_t bytes = groups * bit_width_;
    uint64_t values = groups * 8;
    if (bytes > avail) {
      // A final run whose padding was cut short: hand out only the values that are fully present.
      values = avail * 8 / bit_width_;
    }
    run_is_rle_ = false;
    lit_data_ = data_ + pos_;
    lit_index_ = 0;
    group_pos_ = 8;
    run_left_ = values;
    pos_ += std::min<uint64_t>(bytes, avail);
  } else {
    const int value_bytes = (bit_width_ + 7) / 8;
    if (static_cast<size_t>(value_bytes) > avail) return Status::Corruption("RLE run value is truncated");
    uint32_t value = 0;
    for (int b = 0; b < value_bytes; ++b) value |= static_cast<uint32_t>(data_[pos_ + b]) << (8 * b);
    pos_ += value_bytes;
    if (bit_width_ < 32 && (value >> bit_width_) != 0) {
      return Status::Corruption("RLE run value " + std::to_string(value) + " does not fit in " +
                                std::to_string(bit_width_) + " bits");
    }
    run_is_rle_ = true;
    rle_value_ = value;
    run_left_ = header >> 1;
  }
  return Status::OK();
}

size_t RleHybridDecoder::TakeFromRun(uint32_t* out, size_t n) {
  const size_t k = static_cast<size_t>(std::min<uint64_t>(n, run_left_));
  if (run_is_rle_) {
    std::fill(out, out + k, rle_value_);
    run_left_ -= k;
    return k;
  }
  size_t done = 0;
  while (done < k && group_pos_ < 8) out[done++] = group_[group_pos_++];
  const size_t whole_groups = (k - done) / 8;
  if (whole_groups > 0) {
    UnpackBits32(lit_data_ + lit_index_ / 8 * bit_width_, bit_width_, whole_groups * 8, out + done);
    lit_index_ += whole_groups * 8;
    done += whole_groups * 8;
  }
  if (done < k) {
    // Unpack one more group (or what is left of the run) and keep the unused values.
    const size_t m = static_cast<size_t>(std::min<uint64_t>(8, run_left_ - done));
    UnpackBits32(lit_data_ + lit_index_ / 8 * bit_width_, bit_width_, m, group_);
    lit_index_ += 8;
    group_pos_ = 8 - static_cast<int>(m);
    if (group_pos_ > 0) std::copy_backward(group_, group_ + m, group_ + 8);
    while (done < k) out[done++] = group_[group_pos_++];
  }
  run_left_ -= k;
  return k;
}

Status RleHybridDecoder::Decode(uint32_t* out, size_t n) {
  if (bit_width_ < 0 || bit_width_ > 32) {
    return Status::Corruption("RLE/bit-packed bit width " + std::to_string(bit_width_) + " is not in 0..32");
  }
  size_t done = 0;
  while (done < n) {
    if (run_left_ == 0) {
      RETURN_IF_ERROR(NextRun());
      continue;
    }
    done += TakeFromRun(out + done, n - done);
  }
  return Status::OK();
}

Status RleHybridDecoder::Decode(uint8_t* out, size_t n) {
  uint32_t buf[256];
  for (size_t i = 0; i < n; i += 256) {
    const size_t m = std::min<size_t>(256, n - i);
    RETURN_IF_ERROR(Decode(buf, m));
    uint32_t any_high = 0;
    for (size_t j = 0; j < m; ++j) {
      any_high |= buf[j] >> 8;
      out[i + j] = static_cast<uint8_t>(buf[j]);
    }
    if (any_high != 0) return Status::Corruption("RLE/bit-packed level value exceeds 255");
  }
  return Status::OK();
}

Status DecodeLengthPrefixedRleHybrid(std::string_view data, int bit_width, size_t n, uint8_t* out,
                                     size_t* consumed) {
  if (data.size() < 4) return Status::Corruption("level data is shorter than its 4-byte length prefix");
  const uint32_t len = LoadLE<uint32_t>(data.data());
  if (len > data.size() - 4) {
    return Status::Corruption("level data length " + std::to_string(len) + " exceeds the " +
                              std::to_string(data.size() - 4) + " bytes left in the page");
  }
  RleHybridDecoder decoder(data.substr(4, len), bit_width);
  RETURN_IF_ERROR(decoder.Decode(out, n));
  *consumed = 4 + static_cast<size_t>(len);
  return Status::OK();
}

Status DecodeDictionaryIndices(std::string_view data, size_t n, uint32_t* out) {
  if (n == 0) return Status::OK();
  if (data.empty()) return Status::Corruption("dictionary indices are missing their bit-width byte");
  const int width = static_cast<uint8_t>(data[0]);
  if (width > 32) {
    return Status::Corruption("dictionary index bit width " + std::to_string(width) + " exceeds 32");
  }
  RleHybridDecoder decoder(data.substr(1), width);
  return decoder.Decode(out, n);
}

}  // namespace loglake::parquet
