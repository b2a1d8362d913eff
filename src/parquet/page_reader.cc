#include "parquet/page_reader.h"

namespace loglake::parquet {

namespace {

// DEFLATE cannot expand input by more than about 1032:1.
constexpr int64_t kMaxGzipRatio = 1032;

std::string Int(int64_t v) { return std::to_string(v); }

}  // namespace

Status PageReader::CheckSizes(const PageHeader& h) const {
  if (h.compressed_page_size < 0 || h.uncompressed_page_size < 0) {
    return Status::Corruption("page header has a negative size");
  }
  if (static_cast<uint64_t>(h.compressed_page_size) > chunk_.size() - pos_) {
    return Status::Corruption("page of " + Int(h.compressed_page_size) + " bytes runs past the end of the column chunk (" +
                              Int(static_cast<int64_t>(chunk_.size() - pos_)) + " bytes left)");
  }
  if (h.uncompressed_page_size > kMaxPageBytes) {
    return Status::Corruption("page claims " + Int(h.uncompressed_page_size) + " uncompressed bytes, more than the " +
                              Int(kMaxPageBytes) + " accepted");
  }
  if (codec_ == Codec::kGzip &&
      h.uncompressed_page_size > int64_t{h.compressed_page_size} * kMaxGzipRatio + 1024) {
    return Status::Corruption("GZIP page of " + Int(h.compressed_page_size) + " bytes cannot expand to the " +
                              Int(h.uncompressed_page_size) + " bytes its header claims");
  }
  return Status::OK();
}

Status PageReader::NextHeader(Page* page) {
  if (AtEnd()) return Status::Corruption("no page left in the column chunk");
  page->offset = static_cast<int64_t>(pos_);
  page->data = {};
  page->v2_definition_levels = {};
  size_t header_size = 0;
  RETURN_IF_ERROR(DeserializeFrom(chunk_.substr(pos_), &page->header, &header_size));
  pos_ += header_size;
  RETURN_IF_ERROR(CheckSizes(page->header));
  body_ = chunk_.substr(pos_, static_cast<size_t>(page->header.compressed_page_size));
  return Status::OK();
}

void PageReader::SkipBody() {
  pos_ += body_.size();
  body_ = {};
}

std::string_view PageReader::TakeStoredBody() {
  const std::string_view body = body_;
  SkipBody();
  return body;
}

Result<std::string_view> PageReader::DecompressStored(std::string_view stored, int32_t uncompressed_size,
                                                      uint64_t want, std::string* out) {
  if (codec_ == Codec::kUncompressed) {
    if (stored.size() != static_cast<size_t>(uncompressed_size)) {
      return Status::Corruption("uncompressed page holds " + Int(static_cast<int64_t>(stored.size())) +
                                " bytes, its header says " + Int(uncompressed_size));
    }
    return stored;
  }
  const uint64_t size = static_cast<uint64_t>(uncompressed_size);
  if (want >= size) {
    RETURN_IF_ERROR(decompressor_.Decompress(codec_, stored, size, out));
  } else {
    RETURN_IF_ERROR(decompressor_.DecompressPrefix(codec_, stored, size, want, out));
  }
  return std::string_view(*out);
}

Status PageReader::ReadBody(Page* page) {
  const std::string_view body = body_;
  SkipBody();
  const PageHeader& h = page->header;
  if (h.type == PageType::DATA_PAGE_V2) {
    if (!h.data_page_header_v2) return Status::Corruption("DATA_PAGE_V2 without a data_page_header_v2");
    const DataPageHeaderV2& v2 = *h.data_page_header_v2;
    if (v2.definition_levels_byte_length < 0 || v2.repetition_levels_byte_length < 0) {
      return Status::Corruption("DATA_PAGE_V2 has a negative level length");
    }
    const int64_t levels = int64_t{v2.definition_levels_byte_length} + v2.repetition_levels_byte_length;
    if (levels > h.compressed_page_size || levels > h.uncompressed_page_size) {
      return Status::Corruption("DATA_PAGE_V2 levels (" + Int(levels) + " bytes) exceed the page size");
    }
    // Repetition levels come first; a flat column has none worth reading.
    page->v2_definition_levels =
        body.substr(static_cast<size_t>(v2.repetition_levels_byte_length),
                    static_cast<size_t>(v2.definition_levels_byte_length));
    const std::string_view values = body.substr(static_cast<size_t>(levels));
    const uint64_t values_size = static_cast<uint64_t>(h.uncompressed_page_size - levels);
    if (codec_ == Codec::kUncompressed || !v2.is_compressed.value_or(true)) {
      if (values.size() != values_size) {
        return Status::Corruption("uncompressed DATA_PAGE_V2 holds " + Int(static_cast<int64_t>(values.size())) +
                                  " value bytes, its header says " + Int(static_cast<int64_t>(values_size)));
      }
      page->data = values;
      return Status::OK();
    }
    RETURN_IF_ERROR(decompressor_.Decompress(codec_, values, values_size, &buffer_));
    page->data = buffer_;
    return Status::OK();
  }

  if (codec_ == Codec::kUncompressed) {
    if (body.size() != static_cast<size_t>(h.uncompressed_page_size)) {
      return Status::Corruption("uncompressed page holds " + Int(static_cast<int64_t>(body.size())) +
                                " bytes, its header says " + Int(h.uncompressed_page_size));
    }
    page->data = body;
    return Status::OK();
  }
  RETURN_IF_ERROR(decompressor_.Decompress(codec_, body, static_cast<uint64_t>(h.uncompressed_page_size), &buffer_));
  page->data = buffer_;
  return Status::OK();
}

}  // namespace loglake::parquet
