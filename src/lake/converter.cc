#include "lake/converter.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

#include "common/time.h"
#include "lake/file_naming.h"
#include "lake/input_split.h"
#include "lake/partition.h"

namespace loglake::lake {
namespace {

// Memory held by an open file beyond its buffered row group: column writers' open pages and
// state, and the codec context (a ZSTD context is about a megabyte).
constexpr uint64_t kFileOverheadBytes = 32 << 10;
constexpr uint64_t kZstdContextBytes = 2 << 20;

// One read(), retried when a signal interrupts it; 0 at the end of the input.
Result<size_t> ReadSome(int fd, char* dest, size_t n, const std::string& source_name) {
  while (true) {
    const ssize_t got = ::read(fd, dest, n);
    if (got >= 0) return static_cast<size_t>(got);
    if (errno != EINTR) return Status::IOError("cannot read " + source_name + ": " + std::strerror(errno));
  }
}

uint64_t RowOverhead(const std::vector<Field>& columns) {
  uint64_t n = 0;
  for (const Field& f : columns) {
    n += 1;  // validity byte
    switch (f.type) {
      case ColumnType::kString: n += 8; break;  // offset
      case ColumnType::kInt32: n += 4; break;
      case ColumnType::kBool: n += 1; break;
      case ColumnType::kInt64:
      case ColumnType::kDouble:
      case ColumnType::kTimestamp: n += 8; break;
    }
  }
  return n;
}

Status CheckOptions(const ConverterOptions& o) {
  if (o.max_record_bytes == 0) return Status::InvalidArgument("max record bytes must be positive");
  if (o.buffer_budget_bytes < (1 << 20)) {
    return Status::InvalidArgument("the buffer budget must be at least 1 MiB");
  }
  if (o.row_group_bytes == 0 || o.row_group_rows == 0) {
    return Status::InvalidArgument("row group size must be positive");
  }
  if (!(o.min_compression_saving >= 0 && o.min_compression_saving <= 1)) {
    return Status::InvalidArgument("min compression saving must be between 0 and 1");
  }
  if (o.max_file_bytes == 0) return Status::InvalidArgument("max file bytes must be positive");
  if (o.max_open_files < 1) return Status::InvalidArgument("max open files must be at least 1");
  if (o.batch_bytes == 0 || o.read_chunk_bytes == 0) {
    return Status::InvalidArgument("batch and read sizes must be positive");
  }
  if (o.idle_records == 0) return Status::InvalidArgument("idle records must be at least 1");
  return Status::OK();
}

}  // namespace

void ConvertStats::Add(const ConvertStats& other) {
  input_bytes += other.input_bytes;
  records_read += other.records_read;
  records_written += other.records_written;
  records_rejected += other.records_rejected;
  for (const auto& [reason, count] : other.rejected_by_reason) rejected_by_reason[reason] += count;
  files_written += other.files_written;
  bytes_written += other.bytes_written;
  error_files_written += other.error_files_written;
  for (const auto& [partition, day] : other.per_day) {
    DayStats& mine = per_day[partition];
    mine.records += day.records;
    mine.files += day.files;
    mine.bytes += day.bytes;
  }
  files.insert(files.end(), other.files.begin(), other.files.end());
  peak_buffered_bytes += other.peak_buffered_bytes;
  unreadable_inputs.insert(unreadable_inputs.end(), other.unreadable_inputs.begin(), other.unreadable_inputs.end());
  compressed_inputs += other.compressed_inputs;
}

Result<std::unique_ptr<Converter>> Converter::Create(const std::string& lake_dir, TableDef table,
                                                     ConverterOptions options) {
  RETURN_IF_ERROR(ValidateTableDef(table));
  RETURN_IF_ERROR(CheckOptions(options));
  if (lake_dir.empty()) return Status::InvalidArgument("no lake directory given");
  RETURN_IF_ERROR(json::CheckRecordLayout(LayoutFor(table)));
  return std::unique_ptr<Converter>(new Converter(lake_dir, std::move(table), options));
}

Converter::Converter(std::string lake_dir, TableDef table, ConverterOptions options)
    : lake_dir_(std::move(lake_dir)),
      table_dir_(TableDirectory(lake_dir_, table.name)),
      table_(std::move(table)),
      options_(options),
      reader_(table_, options.max_record_bytes),
      errors_(table_dir_, ErrorSinkOptions{options.error_flush_bytes, options.file_namer, options.received_micros}) {
  writer_options_.codec = options_.codec;
  writer_options_.zstd_level = options_.zstd_level;
  writer_options_.min_compression_saving = options_.min_compression_saving;
  writer_options_.row_group_bytes = options_.row_group_bytes;
  writer_options_.row_group_rows = options_.row_group_rows;
  writer_options_.bloom_columns = table_.bloom_columns;
  writer_options_.key_value_metadata = FileMetadataFor(table_);
  writer_options_.created_by = std::string("loglake version ") + LOGLAKE_VERSION;
  row_overhead_ = RowOverhead(table_.columns);
  day_overhead_ = sizeof(OpenDay) + table_.columns.size() * (sizeof(Column) + sizeof(Field) + 64) + 128;
  dedup_column_ = table_.dedup_key.empty() ? -1 : table_.ColumnIndex(table_.dedup_key);
}

Converter::~Converter() { RemoveTempFiles(); }

void Converter::RemoveTempFiles() {
  for (auto& [day, d] : days_) {
    if (d->file == nullptr) continue;
    (void)d->file->Close();
    ::unlink(d->temp_path.c_str());
    d->writer.reset();
    d->file.reset();
    d->duplicates.reset();
  }
}

Status Converter::ConvertFile(const std::string& path) {
  if (path == "-") return ConvertFd(STDIN_FILENO, "-");
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IOError("cannot open " + path + ": " + std::strerror(errno));
  Status st = ConvertFd(fd, path);
  ::close(fd);
  return st;
}

Status Converter::ConvertFileRange(const std::string& path, uint64_t begin, uint64_t end) {
  if (end < begin) return Status::InvalidArgument("a range of " + path + " ends before it begins");
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IOError("cannot open " + path + ": " + std::strerror(errno));
  Status st;
  if (::lseek(fd, static_cast<off_t>(begin), SEEK_SET) < 0) {
    st = Status::IOError("cannot seek in " + path + ": " + std::strerror(errno));
  } else {
    st = ConvertFdUpTo(fd, path, begin, end - begin);
  }
  ::close(fd);
  return st;
}

Status Converter::ConvertFd(int fd, const std::string& source_name) {
  return ConvertFdUpTo(fd, source_name, 0, std::numeric_limits<uint64_t>::max());
}

Status Converter::ConvertFdUpTo(int fd, const std::string& source_name, uint64_t offset, uint64_t limit) {
  BeginSource(source_name);
  lines_before_end_ = offset;
  const size_t chunk = options_.read_chunk_bytes;
  auto capped = [&limit](size_t n) { return static_cast<size_t>(std::min<uint64_t>(n, limit)); };
  // Plain JSON is read straight into the framer's buffer and parsed where it lands. The first
  // bytes tell it from a compressed stream; a pipe may hand them over one at a time.
  const size_t first = std::max(chunk, kSniffBytes);
  char* dest = reader_.PrepareFeed(first);
  size_t got = 0;
  while (got < kSniffBytes && got < limit) {
    Result<size_t> n = ReadSome(fd, dest + got, capped(first - got), source_name);
    if (!n.ok()) {
      reader_.CommitFeed(0);
      return n.status();
    }
    if (*n == 0) break;
    got += *n;
  }
  const StreamCompression compression = SniffCompression(std::string_view(dest, got));
  if (compression != StreamCompression::kNone) {
    std::string head(dest, got);
    reader_.CommitFeed(0);
    if (offset > 0 || limit != std::numeric_limits<uint64_t>::max()) {
      return Status::InvalidArgument(source_name + " is compressed: it cannot be converted in pieces");
    }
    return ConvertCompressedFd(fd, compression, std::move(head));
  }
  reader_.CommitFeed(got);
  stats_.input_bytes += got;
  limit -= got;
  RETURN_IF_ERROR(Drain());
  while (got > 0 && limit > 0) {
    dest = reader_.PrepareFeed(chunk);
    Result<size_t> n = ReadSome(fd, dest, capped(chunk), source_name);
    reader_.CommitFeed(n.ok() ? *n : 0);
    if (!n.ok()) return n.status();
    got = *n;
    stats_.input_bytes += got;
    limit -= got;
    RETURN_IF_ERROR(Drain());
  }
  return EndSource();
}

Status Converter::ConvertCompressedFd(int fd, StreamCompression compression, std::string head) {
  ++stats_.compressed_inputs;
  ASSIGN_OR_RETURN(std::unique_ptr<StreamDecompressor> decompressor,
                   StreamDecompressor::Create(compression, options_.max_zstd_window_bytes));
  const size_t chunk = options_.read_chunk_bytes;
  std::string buffer(chunk, '\0');  // for reads after the first bytes
  std::string_view pending = head;  // read, not yet decompressed
  bool at_end = false;
  uint64_t json_bytes = 0;  // decompressed from this input
  Status damage;
  while (true) {
    char* dest = reader_.PrepareFeed(chunk);
    Result<size_t> n = decompressor->Decompress(&pending, dest, chunk);
    reader_.CommitFeed(n.ok() ? *n : 0);
    if (!n.ok()) {
      damage = n.status();
      break;
    }
    if (*n > 0) {
      stats_.input_bytes += *n;
      json_bytes += *n;
      RETURN_IF_ERROR(Drain());
      continue;
    }
    // What was read is decompressed: read more, or check that the stream ended whole.
    if (at_end) {
      damage = decompressor->Finish();
      break;
    }
    ASSIGN_OR_RETURN(const size_t got, ReadSome(fd, buffer.data(), buffer.size(), source_));
    pending = std::string_view(buffer.data(), got);
    at_end = got == 0;
  }
  if (!damage.ok()) {
    // Damage ends this input, not the conversion: what came before stays converted, and a
    // record it cut is rejected like any broken line when the source ends.
    stats_.unreadable_inputs.push_back(source_ + ": " + damage.message() + "; the " + std::to_string(json_bytes) +
                                       " bytes of JSON before it were converted");
  }
  return EndSource();
}

void Converter::BeginSource(std::string source_name) {
  source_ = std::move(source_name);
  lines_before_ = 0;
  lines_before_end_ = 0;
  reader_.Reset();
  in_source_ = true;
}

Status Converter::Feed(std::string_view chunk) {
  if (!in_source_) return Status::Internal("Converter::Feed without BeginSource");
  stats_.input_bytes += chunk.size();
  reader_.Feed(chunk);
  return Drain();
}

Status Converter::EndSource() {
  if (!in_source_) return Status::OK();
  reader_.Finish();
  Status st = Drain();
  in_source_ = false;
  return st;
}

// The hot loop: one record at a time, no allocation unless a day or a file opens. The reader
// decides, by the rules every ingest path shares (record_reader.h), whether a record is a row or
// a rejection; rows go to their day's batch, rejections to the error sink with their reason.
Status Converter::Drain() {
  Rejection rejection;
  while (true) {
    switch (reader_.Next(&rejection)) {
      case RecordReader::Outcome::kNeedInput:
        return Status::OK();
      case RecordReader::Outcome::kRow:
        ++stats_.records_read;
        RETURN_IF_ERROR(AddRow(reader_.row_time(), reader_.row_bytes()));
        break;
      case RecordReader::Outcome::kRejected:
        ++stats_.records_read;
        RETURN_IF_ERROR(Reject(rejection));
        break;
    }
  }
}

Status Converter::AddRow(int64_t time, size_t text_size) {
  const int64_t day = PartitionDay(time);
  OpenDay* d = last_day_;
  if (d == nullptr || d->day != day) {
    d = DayFor(day);
    d->last_use = ++use_clock_;
    last_day_ = d;
  }
  reader_.parser().AppendTo(&d->batch);
  d->last_record = stats_.records_read;
  const uint64_t bytes = text_size + row_overhead_;
  d->batch_bytes += bytes;
  used_bytes_ += bytes;
  if (d->batch_bytes >= options_.batch_bytes) RETURN_IF_ERROR(FlushBatch(d));
  if (used_bytes_ > options_.buffer_budget_bytes) RETURN_IF_ERROR(ReduceMemory());
  if (stats_.records_read >= next_idle_check_) RETURN_IF_ERROR(RetireIdleDays());
  stats_.peak_buffered_bytes = std::max(stats_.peak_buffered_bytes, used_bytes_);
  return Status::OK();
}

Status Converter::RetireIdleDays() {
  // Checked a few times per idle period, so a day is retired between 1 and 1.25 idle periods
  // after its last record, at the cost of one scan of the open days.
  next_idle_check_ = stats_.records_read + std::max<uint64_t>(options_.idle_records / 4, 1);
  if (stats_.records_read < options_.idle_records) return Status::OK();
  const uint64_t cutoff = stats_.records_read - options_.idle_records;
  std::vector<int64_t> idle;
  for (auto& [day, d] : days_) {
    if (d->last_record < cutoff) idle.push_back(day);
  }
  std::sort(idle.begin(), idle.end());
  for (int64_t day : idle) RETURN_IF_ERROR(RetireDay(day));
  return Status::OK();
}

Status Converter::Reject(const Rejection& rejection) {
  ++stats_.records_rejected;
  ++stats_.rejected_by_reason[RejectionCategory(rejection)];
  if (lines_before_end_ > 0) {  // the first rejection in a piece of a file
    ASSIGN_OR_RETURN(lines_before_, CountNewlines(source_, lines_before_end_));
    lines_before_end_ = 0;
  }
  return errors_.Add(RejectedRecord{rejection.error.message(), source_, lines_before_ + rejection.line, rejection.time,
                                    rejection.text});
}

Converter::OpenDay* Converter::DayFor(int64_t day) {
  auto it = days_.find(day);
  if (it != days_.end()) return it->second.get();
  auto d = std::make_unique<OpenDay>();
  d->day = day;
  d->partition = PartitionPath(table_.layout, CivilFromDays(day));
  d->batch = ColumnBatch(table_.columns);
  Account(static_cast<int64_t>(day_overhead_));
  OpenDay* raw = d.get();
  days_.emplace(day, std::move(d));
  return raw;
}

Status Converter::OpenFile(OpenDay* d) {
  if (open_files_ >= options_.max_open_files) {
    OpenDay* lru = nullptr;
    for (auto& [day, other] : days_) {
      if (other.get() != d && other->writer != nullptr &&
          (lru == nullptr || other->last_use < lru->last_use)) {
        lru = other.get();
      }
    }
    if (lru != nullptr) RETURN_IF_ERROR(CloseFile(lru));
  }
  const std::string dir = table_dir_ + "/" + d->partition;
  RETURN_IF_ERROR(dirs_.Ensure(dir));
  const std::string name = options_.file_namer ? options_.file_namer("part", "parquet") : UniqueFileName("part", "parquet");
  d->temp_path = dir + "/" + TempFileName(name);
  d->final_path = dir + "/" + name;
  ASSIGN_OR_RETURN(d->file, WritableFile::Create(d->temp_path));
  writer_options_.dictionary_hints = dictionary_hints_;
  Result<std::unique_ptr<parquet::FileWriter>> writer =
      parquet::FileWriter::Create(d->file.get(), table_.columns, writer_options_);
  if (!writer.ok()) {
    (void)d->file->Close();
    ::unlink(d->temp_path.c_str());
    d->file.reset();
    return writer.status().WithContext(d->temp_path);
  }
  d->writer = std::move(writer).value();
  if (dedup_column_ >= 0) d->duplicates = std::make_unique<DuplicateTracker>();
  ++open_files_;
  uint64_t overhead = kFileOverheadBytes + (options_.codec == parquet::Codec::kZstd ? kZstdContextBytes : 0);
  d->writer_bytes = overhead;
  Account(static_cast<int64_t>(overhead));
  return Status::OK();
}

Status Converter::FlushBatch(OpenDay* d) {
  if (d->batch.num_rows() == 0) return Status::OK();
  if (d->writer == nullptr) RETURN_IF_ERROR(OpenFile(d));
  Status st = d->writer->Write(d->batch);
  if (!st.ok()) return st.WithContext("writing " + d->temp_path);
  if (d->duplicates != nullptr) d->duplicates->Add(d->batch.columns[static_cast<size_t>(dedup_column_)]);
  Account(-static_cast<int64_t>(d->batch_bytes));
  d->batch_bytes = 0;
  if (d == last_day_) {
    d->batch.Clear();  // the day being written keeps its buffers for the next rows
  } else {
    d->batch = ColumnBatch(table_.columns);  // give the memory back
  }
  uint64_t overhead = kFileOverheadBytes + (options_.codec == parquet::Codec::kZstd ? kZstdContextBytes : 0);
  uint64_t now = d->writer->buffered_bytes() + overhead;
  if (d->duplicates != nullptr) now += d->duplicates->MemoryBytes();
  Account(static_cast<int64_t>(now) - static_cast<int64_t>(d->writer_bytes));
  d->writer_bytes = now;
  if (d->file->Tell() >= options_.max_file_bytes) RETURN_IF_ERROR(CloseFile(d));
  return Status::OK();
}

Status Converter::CloseFile(OpenDay* d) {
  if (d->writer == nullptr) return Status::OK();
  if (d->duplicates != nullptr) {
    std::optional<DuplicateIndex> index = d->duplicates->Finish(table_.dedup_key);
    if (index) d->writer->AddKeyValueMetadata(kDuplicatesMetadataKey, EncodeDuplicateIndex(*index));
    d->duplicates.reset();
  }
  Status st = d->writer->Close();
  if (st.ok()) st = d->file->Close();
  if (st.ok()) st = PublishFile(d->temp_path, d->final_path);
  if (!st.ok()) return st.WithContext("writing " + d->final_path);
  const uint64_t rows = d->writer->rows_written();
  const uint64_t bytes = d->file->Tell();
  stats_.files_written += 1;
  stats_.bytes_written += bytes;
  stats_.records_written += rows;
  DayStats& day = stats_.per_day[d->partition];
  day.files += 1;
  day.bytes += bytes;
  day.records += rows;
  stats_.files.push_back(d->final_path);
  dictionary_hints_ = d->writer->dictionary_sizes();
  d->writer.reset();
  d->file.reset();
  --open_files_;
  Account(-static_cast<int64_t>(d->writer_bytes));
  d->writer_bytes = 0;
  return Status::OK();
}

Status Converter::RetireDay(int64_t day) {
  auto it = days_.find(day);
  if (it == days_.end()) return Status::OK();
  OpenDay* d = it->second.get();
  RETURN_IF_ERROR(FlushBatch(d));
  RETURN_IF_ERROR(CloseFile(d));
  Account(-static_cast<int64_t>(d->batch_bytes + day_overhead_));
  if (last_day_ == d) last_day_ = nullptr;
  days_.erase(it);
  return Status::OK();
}

Status Converter::ReduceMemory() {
  const uint64_t target = options_.buffer_budget_bytes / 4 * 3;
  while (used_bytes_ > target && !days_.empty()) {
    OpenDay* victim = nullptr;
    uint64_t most = 0;
    for (auto& [day, d] : days_) {
      uint64_t held = d->batch_bytes + d->writer_bytes;
      if (victim == nullptr || held > most) {
        victim = d.get();
        most = held;
      }
    }
    if (victim->batch_bytes > victim->writer_bytes) {
      // Encoded and compressed in its writer, the rows take less room than in the batch.
      RETURN_IF_ERROR(FlushBatch(victim));
    } else {
      RETURN_IF_ERROR(RetireDay(victim->day));
    }
  }
  return Status::OK();
}

Status Converter::Finish() {
  if (finished_) return Status::Internal("Converter::Finish called twice");
  RETURN_IF_ERROR(EndSource());
  std::vector<int64_t> days;
  days.reserve(days_.size());
  for (auto& [day, d] : days_) days.push_back(day);
  std::sort(days.begin(), days.end());
  for (int64_t day : days) RETURN_IF_ERROR(RetireDay(day));
  RETURN_IF_ERROR(errors_.Flush());
  stats_.error_files_written = errors_.files_written();
  finished_ = true;
  return Status::OK();
}

}  // namespace loglake::lake
