// `loglake inspect FILE.parquet`: what a Parquet file holds and how it is laid out — schema,
// key-value metadata, row groups, column chunks (encodings, codec, sizes, statistics), page index
// and bloom filters — read from the footer (and, with --pages, the page headers).
//
// Works on any Parquet file whose footer decodes, including ones using types loglake's reader
// does not support (it says so). A damaged file is reported on stderr with exit code 1, after
// whatever could be shown.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "cli/commands.h"
#include "common/file.h"
#include "parquet/compression.h"
#include "parquet/input_source.h"
#include "parquet/metadata.h"
#include "parquet/page_reader.h"
#include "parquet/reader.h"
#include "parquet/schema.h"
#include "parquet/statistics.h"

namespace loglake::cli {
namespace {

using parquet::ColumnChunk;
using parquet::ColumnMetaData;
using parquet::FileMetaData;
using parquet::SchemaElement;

struct InspectFlags {
  std::string path;
  bool pages = false;
  int row_group = -1;
  size_t max_value_bytes = 200;
};

// Display form of free text (metadata values): control characters escaped, long text shortened.
std::string Printable(const std::string& s, size_t max_bytes) {
  std::string out;
  for (size_t i = 0; i < s.size() && i < max_bytes; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  if (s.size() > max_bytes) out += fmt::format("... ({} bytes in all)", s.size());
  return out;
}

// "1 page", "3 pages".
std::string Count(size_t n, const char* noun) { return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s"); }

std::string Join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
  return out;
}

// A schema element in depth-first order, with its depth and dotted path.
struct SchemaNode {
  size_t index;
  int depth;
  std::string path;
};

// Walks the depth-first schema list. *leaves receives the leaf elements in column-chunk order.
// Returns false when the children counts do not add up (the walk stops there).
bool WalkSchema(const std::vector<SchemaElement>& schema, std::vector<SchemaNode>* nodes, std::vector<size_t>* leaves) {
  struct Open {
    int64_t remaining;
    std::string path;
  };
  std::vector<Open> open;
  for (size_t i = 0; i < schema.size(); ++i) {
    const SchemaElement& e = schema[i];
    if (i > 0 && open.empty()) return false;  // elements after the root's subtree
    const std::string path = i == 0 ? "" : (open.back().path.empty() ? "" : open.back().path + ".") + e.name;
    nodes->push_back({i, static_cast<int>(open.size()), path});
    if (i > 0) --open.back().remaining;
    const int32_t children = e.num_children.value_or(0);
    if (children > 0) {
      open.push_back({children, path});
    } else if (i > 0) {
      leaves->push_back(i);
    } else {
      break;  // a root without children
    }
    while (!open.empty() && open.back().remaining == 0) open.pop_back();
  }
  return open.empty();
}

void PrintSchema(const FileMetaData& md, const std::vector<SchemaNode>& nodes) {
  fmt::print("\nschema ({} elements)\n", md.schema.size());
  size_t width = 4;
  for (const SchemaNode& n : nodes) width = std::max(width, md.schema[n.index].name.size() + 2 * n.depth);
  for (const SchemaNode& n : nodes) {
    if (n.index == 0) continue;
    const SchemaElement& e = md.schema[n.index];
    std::string type;
    if (e.num_children.value_or(0) > 0) {
      type = fmt::format("group of {}", *e.num_children);
      if (e.logical_type) type += " " + e.logical_type->ToString();
    } else {
      type = parquet::DescribeLeafType(e);
    }
    std::string loglake_type;
    parquet::TimeUnit unit;
    if (e.type) {
      Result<ColumnType> mapped = parquet::MapLeafType(e, &unit);
      loglake_type = mapped.ok() ? std::string("-> ") + ColumnTypeName(*mapped) : "(not readable by loglake)";
    }
    const std::string rep = e.repetition_type ? parquet::RepetitionName(*e.repetition_type) : "";
    std::string line = fmt::format("  {:<{}}  {:<8}  {}  {}", std::string(2 * (n.depth - 1), ' ') + e.name, width,
                                   rep, type, loglake_type);
    line.erase(line.find_last_not_of(' ') + 1);
    fmt::print("{}\n", line);
  }
}

void PrintKeyValues(const std::optional<std::vector<parquet::KeyValue>>& kvs, const InspectFlags& flags,
                    const char* indent) {
  if (!kvs || kvs->empty()) return;
  for (const parquet::KeyValue& kv : *kvs) {
    fmt::print("{}{} = {}\n", indent, Printable(kv.key, flags.max_value_bytes),
               kv.value ? Printable(*kv.value, flags.max_value_bytes) : "(no value)");
  }
}

std::string FormatStatistics(const parquet::Statistics& s, const SchemaElement& leaf) {
  std::vector<std::string> parts;
  const std::optional<std::string>& min = s.min_value ? s.min_value : s.min;
  const std::optional<std::string>& max = s.max_value ? s.max_value : s.max;
  const char* legacy = s.min_value || s.max_value ? "" : " (legacy min/max)";
  if (min) parts.push_back("min " + parquet::FormatPlainValue(*min, leaf) + (s.is_min_value_exact == false ? " (bound)" : ""));
  if (max) parts.push_back("max " + parquet::FormatPlainValue(*max, leaf) + (s.is_max_value_exact == false ? " (bound)" : ""));
  if (s.null_count) parts.push_back(fmt::format("nulls {}", *s.null_count));
  if (s.distinct_count) parts.push_back(fmt::format("distinct {}", *s.distinct_count));
  if (parts.empty()) return "empty";
  return Join(parts, ", ") + ((min || max) ? legacy : "");
}

// Lists the page headers of one chunk. Returns the error that stopped the walk, if any.
Status PrintPages(const parquet::InputSource& in, const ColumnMetaData& meta) {
  const auto [offset, length] = parquet::ColumnChunkByteRange(meta);
  if (offset < 0 || length < 0 || static_cast<uint64_t>(offset) > in.size() ||
      static_cast<uint64_t>(length) > in.size() - static_cast<uint64_t>(offset)) {
    return Status::Corruption(fmt::format("column chunk [{}, +{}) lies outside the file", offset, length));
  }
  std::string chunk;
  RETURN_IF_ERROR(in.ReadAt(static_cast<uint64_t>(offset), static_cast<size_t>(length), &chunk));
  Result<parquet::Codec> codec = parquet::FromThrift(meta.codec);
  parquet::PageReader pages(chunk, codec.ok() ? *codec : parquet::Codec::kUncompressed);
  while (!pages.AtEnd()) {
    const uint64_t at = static_cast<uint64_t>(offset) + pages.position();
    parquet::Page page;
    RETURN_IF_ERROR(pages.NextHeader(&page).WithContext(fmt::format("page at offset {}", at)));
    pages.SkipBody();
    const parquet::PageHeader& h = page.header;
    std::string what;
    if (h.data_page_header) {
      what = fmt::format("{} values, {}", h.data_page_header->num_values,
                         parquet::EncodingName(h.data_page_header->encoding));
    } else if (h.data_page_header_v2) {
      const parquet::DataPageHeaderV2& v2 = *h.data_page_header_v2;
      what = fmt::format("{} values ({} nulls, {} rows), {}{}", v2.num_values, v2.num_nulls, v2.num_rows,
                         parquet::EncodingName(v2.encoding), v2.is_compressed.value_or(true) ? "" : ", not compressed");
    } else if (h.dictionary_page_header) {
      what = fmt::format("{} values, {}", h.dictionary_page_header->num_values,
                         parquet::EncodingName(h.dictionary_page_header->encoding));
    }
    fmt::print("        {:<15} at {:<9} {:>8} -> {:>8} bytes  {}\n", parquet::PageTypeName(h.type), at,
               h.compressed_page_size, h.uncompressed_page_size, what);
  }
  return Status::OK();
}

// Prints one column chunk; returns the first damage found in it.
Status PrintColumnChunk(const parquet::InputSource& in, uint64_t footer_offset, const FileMetaData& md,
                        const ColumnChunk& chunk, size_t col, const std::optional<size_t>& leaf,
                        const InspectFlags& flags) {
  static const SchemaElement kUnknownLeaf;
  const SchemaElement& element = leaf ? md.schema[*leaf] : kUnknownLeaf;
  if (!chunk.meta_data) {
    fmt::print("    column {}: no metadata (encrypted or stored elsewhere)\n", col);
    return Status::OK();
  }
  const ColumnMetaData& meta = *chunk.meta_data;
  fmt::print("    column {} '{}'  {}  {}\n", col, Join(meta.path_in_schema, "."), parquet::TypeName(meta.type),
             parquet::CodecName(meta.codec));
  std::vector<std::string> encodings;
  for (parquet::Encoding e : meta.encodings) encodings.push_back(parquet::EncodingName(e));
  fmt::print("      encodings   {}\n", Join(encodings, ", "));
  fmt::print("      values      {}\n", meta.num_values);
  fmt::print("      bytes       {} compressed, {} uncompressed\n", meta.total_compressed_size, meta.total_uncompressed_size);
  std::string pages = fmt::format("data at {}", meta.data_page_offset);
  if (meta.dictionary_page_offset) pages = fmt::format("dictionary at {}, ", *meta.dictionary_page_offset) + pages;
  fmt::print("      pages       {}\n", pages);
  fmt::print("      statistics  {}\n", meta.statistics ? FormatStatistics(*meta.statistics, element) : "none");
  PrintKeyValues(meta.key_value_metadata, flags, "      metadata    ");

  Status damage;
  std::vector<std::string> index;
  if (chunk.column_index_offset) {
    Result<parquet::ColumnIndex> ci = parquet::ReadColumnIndex(in, chunk);
    if (ci.ok()) {
      index.push_back(fmt::format("column index at {} ({} bytes, {}, {})", *chunk.column_index_offset,
                                  chunk.column_index_length.value_or(0), Count(ci->null_pages.size(), "page"),
                                  parquet::BoundaryOrderName(ci->boundary_order)));
    } else {
      index.push_back("column index unreadable");
      damage = ci.status();
    }
  }
  if (chunk.offset_index_offset) {
    Result<parquet::OffsetIndex> oi = parquet::ReadOffsetIndex(in, chunk);
    if (oi.ok()) {
      index.push_back(fmt::format("offset index at {} ({} bytes, {})", *chunk.offset_index_offset,
                                  chunk.offset_index_length.value_or(0), Count(oi->page_locations.size(), "page")));
    } else {
      index.push_back("offset index unreadable");
      if (damage.ok()) damage = oi.status();
    }
  }
  fmt::print("      page index  {}\n", index.empty() ? "none" : Join(index, "; "));
  if (meta.bloom_filter_offset) {
    Result<std::string> bloom = parquet::ReadBloomFilterBytes(in, meta, footer_offset);
    if (bloom.ok()) {
      fmt::print("      bloom       {} bytes at {} (split-block, xxHash)\n", bloom->size(), *meta.bloom_filter_offset);
    } else {
      fmt::print("      bloom       unreadable\n");
      if (damage.ok()) damage = bloom.status();
    }
  } else {
    fmt::print("      bloom       none\n");
  }
  if (flags.pages) {
    Status st = PrintPages(in, meta);
    if (!st.ok()) {
      fmt::print("        (page list stops: {})\n", st.message());
      if (damage.ok()) damage = st;
    }
  }
  return damage.WithContext(fmt::format("column {}", col));
}

int RunInspect(const InspectFlags& flags) {
  const auto fail = [](const Status& st) {
    fmt::print(stderr, "loglake inspect: {}\n", st.ToString());
    return 1;
  };
  Result<std::shared_ptr<RandomAccessFile>> file = RandomAccessFile::Open(flags.path);
  if (!file.ok()) return fail(file.status());
  const std::shared_ptr<parquet::InputSource> in = parquet::InputSource::FromFile(*file);
  uint64_t footer_offset = 0;
  Result<FileMetaData> footer = parquet::ReadFileMetaData(*in, &footer_offset);
  if (!footer.ok()) return fail(footer.status());
  const FileMetaData& md = *footer;
  if (flags.row_group >= static_cast<int>(md.row_groups.size())) {
    return fail(Status::InvalidArgument(
        fmt::format("--row-group {}: the file has {} row groups", flags.row_group, md.row_groups.size())));
  }

  fmt::print("file        {}\n", flags.path);
  fmt::print("size        {} bytes (footer {} bytes)\n", in->size(), in->size() - 8 - footer_offset);
  fmt::print("created by  {}\n", md.created_by ? Printable(*md.created_by, flags.max_value_bytes) : "(not recorded)");
  fmt::print("version     {}\n", md.version);
  fmt::print("rows        {} in {}\n", md.num_rows, Count(md.row_groups.size(), "row group"));

  // Whether loglake's reader accepts the file, and if not why (checks layout, not page contents).
  Result<std::unique_ptr<parquet::FileReader>> reader = parquet::FileReader::Open(in);
  Status damage;
  if (reader.ok()) {
    fmt::print("loglake     readable\n");
  } else if (reader.status().code() == StatusCode::kUnimplemented ||
             reader.status().code() == StatusCode::kResourceExhausted) {
    fmt::print("loglake     not readable: {}\n", reader.status().message());
  } else {
    fmt::print("loglake     DAMAGED: {}\n", reader.status().message());
    damage = reader.status();
  }

  std::vector<SchemaNode> nodes;
  std::vector<size_t> leaves;
  const bool schema_ok = WalkSchema(md.schema, &nodes, &leaves);
  PrintSchema(md, nodes);
  if (!schema_ok) {
    fmt::print("  (the schema's children counts do not add up: the list is malformed)\n");
    if (damage.ok()) damage = Status::Corruption(flags.path + ": malformed schema");
  }
  if (md.key_value_metadata && !md.key_value_metadata->empty()) {
    fmt::print("\nkey-value metadata ({})\n", md.key_value_metadata->size());
    PrintKeyValues(md.key_value_metadata, flags, "  ");
  }

  for (size_t g = 0; g < md.row_groups.size(); ++g) {
    if (flags.row_group >= 0 && static_cast<size_t>(flags.row_group) != g) continue;
    const parquet::RowGroup& rg = md.row_groups[g];
    fmt::print("\nrow group {}: {} rows, {} bytes uncompressed", g, rg.num_rows, rg.total_byte_size);
    if (rg.total_compressed_size) fmt::print(", {} compressed", *rg.total_compressed_size);
    if (rg.file_offset) fmt::print(", at offset {}", *rg.file_offset);
    fmt::print("\n");
    for (size_t c = 0; c < rg.columns.size(); ++c) {
      const std::optional<size_t> leaf = c < leaves.size() ? std::optional<size_t>(leaves[c]) : std::nullopt;
      Status st = PrintColumnChunk(*in, footer_offset, md, rg.columns[c], c, leaf, flags);
      if (!st.ok() && damage.ok()) damage = st.WithContext(fmt::format("{}: row group {}", flags.path, g));
    }
  }
  if (!damage.ok()) return fail(damage);
  return 0;
}

}  // namespace

void RegisterInspect(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<InspectFlags>();
  CLI::App* cmd = app.add_subcommand(
      "inspect",
      "Show what a Parquet file holds and how it is laid out: schema (physical, logical and loglake "
      "types), key-value metadata, row groups, column chunks (encodings, codec, sizes, statistics), "
      "page index and bloom filters. Reads the footer, plus the page headers with --pages. Exit code 1 "
      "when the file is damaged.");
  cmd->add_option("FILE", flags->path, "The Parquet file to inspect")->required();
  cmd->add_flag("--pages", flags->pages,
                "Also list every page of every column chunk: type, offset, compressed and uncompressed size, "
                "value count and encoding");
  cmd->add_option("--row-group", flags->row_group, "Show only this row group (0-based); the default shows all");
  cmd->add_option("--max-value-bytes", flags->max_value_bytes,
                  "Shorten metadata values longer than this many bytes")
      ->capture_default_str();
  cmd->callback([flags, exit_code] { *exit_code = RunInspect(*flags); });
}

}  // namespace loglake::cli
