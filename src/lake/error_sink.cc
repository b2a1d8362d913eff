#include "lake/error_sink.h"

#include <unistd.h>

#include "common/file.h"
#include "common/time.h"
#include "lake/file_naming.h"
#include "lake/json_text.h"
#include "lake/partition.h"

namespace loglake::lake {
namespace {

Status WriteAndPublish(const std::string& temp, const std::string& final_path, std::string_view data) {
  {
    ASSIGN_OR_RETURN(auto file, WritableFile::Create(temp));
    RETURN_IF_ERROR(file->Append(data));
    RETURN_IF_ERROR(file->Close());
  }
  return PublishFile(temp, final_path);
}


}  // namespace

ErrorSink::ErrorSink(std::string table_dir, ErrorSinkOptions options)
    : table_dir_(std::move(table_dir)), options_(options) {}

std::string ErrorSink::errors_dir() const { return table_dir_ + "/" + kErrorsDirName; }

Status ErrorSink::Add(const RejectedRecord& record) {
  int64_t day = kUnknownDay;
  if (record.time_micros.has_value()) {
    int64_t d = PartitionDay(*record.time_micros);
    if (IsPartitionableDate(CivilFromDays(d))) day = d;
  }
  std::string& out = buffers_[day];
  const size_t before = out.size();
  out.append("{\"error\":");
  AppendJsonString(&out, record.reason);
  out.append(",\"source\":");
  AppendJsonString(&out, record.source);
  out.append(",\"line\":").append(std::to_string(record.line));
  out.append(",\"received_at\":");
  AppendJsonString(&out, FormatTimestampMicros(options_.received_micros.value_or(NowMicros())));
  out.append(",\"raw\":");
  if (!AppendJsonString(&out, record.raw)) {
    out.append(",\"raw_base64\":\"");
    AppendBase64(&out, record.raw);
    out.push_back('"');
  }
  out.append("}\n");
  buffered_bytes_ += out.size() - before;
  ++records_;
  if (buffered_bytes_ >= options_.flush_bytes) return Flush();
  return Status::OK();
}

Status ErrorSink::Flush() {
  for (auto& [day, lines] : buffers_) {
    if (lines.empty()) continue;
    RETURN_IF_ERROR(Publish(day, lines));
  }
  buffers_.clear();
  buffered_bytes_ = 0;
  return Status::OK();
}

Status ErrorSink::Publish(int64_t day, const std::string& lines) {
  std::string dir = errors_dir() + "/" +
                    (day == kUnknownDay ? std::string(kUnknownTimeDirName)
                                        : PartitionPath(PartitionLayout::kDatePath, CivilFromDays(day)));
  RETURN_IF_ERROR(dirs_.Ensure(dir));
  const std::string name =
      options_.file_namer ? options_.file_namer("errors", "ndjson") : UniqueFileName("errors", "ndjson");
  const std::string temp = dir + "/" + TempFileName(name);
  const std::string final_path = dir + "/" + name;
  Status st = WriteAndPublish(temp, final_path, lines);
  if (!st.ok()) {
    ::unlink(temp.c_str());
    return st;
  }
  ++files_written_;
  bytes_written_ += lines.size();
  published_.push_back(final_path);
  return Status::OK();
}

}  // namespace loglake::lake
