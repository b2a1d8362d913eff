#include "ingest/lake_sink.h"

#include <fmt/format.h>

#include "common/file.h"
#include "common/time.h"
#include "ingest/record_batch.h"
#include "parquet/reader.h"

namespace loglake::ingest {
namespace {

// The event of a published file, its figures read back from the file's footer.
Result<ObjectCreated> DescribeFile(const std::string& lake_dir, const lake::TableDef& table, const std::string& path,
                                   const FlushRange& range) {
  ObjectCreated e;
  e.table = table.name;
  e.key = path.rfind(lake_dir + "/", 0) == 0 ? path.substr(lake_dir.size() + 1) : path;
  const size_t table_end = e.key.find('/');
  const size_t name_start = e.key.rfind('/');
  if (table_end != std::string::npos && name_start > table_end) {
    e.partition = e.key.substr(table_end + 1, name_start - table_end - 1);
  }
  ASSIGN_OR_RETURN(std::shared_ptr<RandomAccessFile> file, RandomAccessFile::Open(path));
  ASSIGN_OR_RETURN(std::unique_ptr<parquet::FileReader> reader, parquet::FileReader::Open(file));
  e.rows = static_cast<uint64_t>(reader->num_rows());
  e.bytes = reader->file_size();
  const int time_col = reader->ColumnIndexOf(table.time_column);
  for (int rg = 0; time_col >= 0 && rg < reader->num_row_groups(); ++rg) {
    ASSIGN_OR_RETURN(std::optional<parquet::ColumnStatistics> stats, reader->ReadStatistics(rg, time_col));
    if (!stats) continue;
    if (stats->min && std::holds_alternative<int64_t>(*stats->min)) {
      const int64_t v = std::get<int64_t>(*stats->min);
      e.min_time_micros = e.min_time_micros ? std::min(*e.min_time_micros, v) : v;
    }
    if (stats->max && std::holds_alternative<int64_t>(*stats->max)) {
      const int64_t v = std::get<int64_t>(*stats->max);
      e.max_time_micros = e.max_time_micros ? std::max(*e.max_time_micros, v) : v;
    }
  }
  e.wal_id = range.wal_id;
  e.wal_from = range.from;
  e.published_micros = NowMicros();
  return e;
}

}  // namespace

Status LakeFlushSink::Publish(const FlushRange& range, const EntryReader& entries) {
  lake::ConverterOptions options = options_;
  uint64_t seq = 0;
  options.file_namer = [&](std::string_view prefix, std::string_view extension) {
    return fmt::format("{}-{}-{:020}-{:06}.{}", prefix, range.wal_id, range.from, seq++, extension);
  };
  std::unique_ptr<lake::Converter> converter;
  RETURN_IF_ERROR(entries([&](Lsn lsn, std::string_view payload) -> Status {
    ASSIGN_OR_RETURN(RecordBatch batch, DecodeRecordBatch(payload));
    if (converter == nullptr) {
      // Rejected records of this flush carry the arrival time of its first request.
      options.received_micros = batch.received_micros;
      ASSIGN_OR_RETURN(converter, lake::Converter::Create(lake_dir_, table_, options));
    }
    converter->BeginSource(std::string(batch.source) + " (wal " + std::to_string(lsn) + ")");
    RETURN_IF_ERROR(converter->Feed(batch.body));
    return converter->EndSource();
  }));
  report_ = FlushReport{};
  if (converter == nullptr) return Status::OK();
  RETURN_IF_ERROR(converter->Finish());
  const lake::ConvertStats& stats = converter->stats();
  report_ = FlushReport{stats.records_written, stats.records_rejected, stats.files_written, stats.bytes_written};
  if (events_ == nullptr) return Status::OK();
  std::vector<ObjectCreated> events;
  for (const std::string& path : stats.files) {
    ASSIGN_OR_RETURN(ObjectCreated e, DescribeFile(lake_dir_, table_, path, range));
    events.push_back(std::move(e));
  }
  return events_->Append(events);
}

}  // namespace loglake::ingest
