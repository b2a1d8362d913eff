#include "lake/parallel_converter.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>

#include "lake/input_split.h"
#include "lake/stream_decompressor.h"

namespace loglake::lake {
namespace {

// Whether the file starts like plain JSON rather than a gzip or zstd stream.
Result<bool> IsPlainFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IOError("cannot open " + path);
  char head[kSniffBytes];
  const ssize_t n = ::pread(fd, head, sizeof(head), 0);
  ::close(fd);
  if (n < 0) return Status::IOError("cannot read " + path);
  return SniffCompression(std::string_view(head, static_cast<size_t>(n))) == StreamCompression::kNone;
}

}  // namespace

std::vector<size_t> ShareBySize(const std::vector<uint64_t>& sizes, size_t shares) {
  std::vector<size_t> firsts;
  if (sizes.empty() || shares == 0) return firsts;
  const size_t n = std::min(shares, sizes.size());
  uint64_t total = 0;
  for (uint64_t s : sizes) total += s;
  const bool sizes_known = total > 0;
  if (!sizes_known) total = sizes.size();
  firsts.push_back(0);
  uint64_t assigned = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    // Move to the next share once this one has its part of the bytes, or when each share left
    // needs one of the items left.
    const size_t k = firsts.size() - 1;
    const size_t shares_after = n - 1 - k;
    const uint64_t due = total / n * (k + 1) + total % n * (k + 1) / n;  // total * (k + 1) / n
    if (shares_after > 0 && i > firsts.back() && (assigned >= due || sizes.size() - i <= shares_after)) {
      firsts.push_back(i);
    }
    assigned += sizes_known ? sizes[i] : 1;
  }
  return firsts;
}

std::string InputPiece::Label() const {
  if (whole) return path;
  return path + " [" + std::to_string(begin) + ", " +
         (end == std::numeric_limits<uint64_t>::max() ? std::string("end") : std::to_string(end)) + ")";
}

Result<std::vector<InputPiece>> PlanPieces(const std::vector<std::string>& inputs, const std::vector<uint64_t>& sizes,
                                           int threads, uint64_t min_piece_bytes) {
  uint64_t total = 0;
  for (size_t i = 0; i < inputs.size(); ++i) total += i < sizes.size() ? sizes[i] : 0;
  const uint64_t piece_bytes = std::max(total / static_cast<uint64_t>(std::max(threads, 1)), min_piece_bytes);
  std::vector<InputPiece> pieces;
  for (size_t i = 0; i < inputs.size(); ++i) {
    InputPiece whole;
    whole.path = inputs[i];
    whole.size = i < sizes.size() ? sizes[i] : 0;
    const uint64_t size = whole.size;
    if (threads < 2 || inputs[i] == "-" || piece_bytes == 0 || size < 2 * piece_bytes) {
      pieces.push_back(std::move(whole));
      continue;
    }
    ASSIGN_OR_RETURN(const bool plain, IsPlainFile(inputs[i]));
    if (!plain) {
      pieces.push_back(std::move(whole));
      continue;
    }
    const uint64_t count = size / piece_bytes;
    std::vector<uint64_t> targets;
    for (uint64_t j = 1; j < count; ++j) targets.push_back(size / count * j + size % count * j / count);
    ASSIGN_OR_RETURN(const std::vector<uint64_t> cuts, FindRecordCuts(inputs[i], size, targets));
    if (cuts.empty()) {
      pieces.push_back(std::move(whole));
      continue;
    }
    uint64_t begin = 0;
    for (size_t c = 0; c <= cuts.size(); ++c) {
      InputPiece p;
      p.path = inputs[i];
      p.whole = false;
      p.begin = begin;
      p.end = c < cuts.size() ? cuts[c] : std::numeric_limits<uint64_t>::max();
      p.size = (c < cuts.size() ? cuts[c] : size) - begin;
      begin = p.end;
      pieces.push_back(std::move(p));
    }
  }
  return pieces;
}

Result<std::unique_ptr<ParallelConverter>> ParallelConverter::Create(const std::string& lake_dir, TableDef table,
                                                                     ConverterOptions options, int threads) {
  if (threads < 1) return Status::InvalidArgument("threads must be at least 1");
  // The checks of one worker's Converter are the checks of all (each gets a share of the limits).
  RETURN_IF_ERROR(Converter::Create(lake_dir, table, options).status());
  return std::unique_ptr<ParallelConverter>(new ParallelConverter(lake_dir, std::move(table), options, threads));
}

ParallelConverter::ParallelConverter(std::string lake_dir, TableDef table, ConverterOptions options, int threads)
    : lake_dir_(std::move(lake_dir)),
      table_dir_(TableDirectory(lake_dir_, table.name)),
      table_(std::move(table)),
      options_(std::move(options)),
      threads_(threads) {}

Status ParallelConverter::ConvertFiles(const std::vector<std::string>& inputs, const std::vector<uint64_t>& sizes,
                                       const InputDone& on_input_done, uint64_t min_piece_bytes) {
  ASSIGN_OR_RETURN(const std::vector<InputPiece> pieces, PlanPieces(inputs, sizes, threads_, min_piece_bytes));
  std::vector<uint64_t> piece_sizes;
  for (const InputPiece& p : pieces) piece_sizes.push_back(p.size);
  std::vector<size_t> firsts = ShareBySize(piece_sizes, static_cast<size_t>(threads_));
  const size_t n = firsts.size();
  firsts.push_back(pieces.size());

  // Each worker holds 1/n of the memory and of the open files, so that the limits bound the
  // whole run as they bound one Converter.
  ConverterOptions worker_options = options_;
  if (n > 1) {
    worker_options.buffer_budget_bytes = std::max<uint64_t>(options_.buffer_budget_bytes / n, 1 << 20);
    worker_options.max_open_files = std::max(1, options_.max_open_files / static_cast<int>(n));
  }
  std::vector<std::unique_ptr<Converter>> workers;
  for (size_t k = 0; k < n; ++k) {
    ASSIGN_OR_RETURN(std::unique_ptr<Converter> worker, Converter::Create(lake_dir_, table_, worker_options));
    workers.push_back(std::move(worker));
  }

  std::atomic<bool> stop{false};
  std::mutex mu;  // guards first_error and on_input_done's calls
  Status first_error;
  auto fail = [&](const Status& st) {
    std::lock_guard<std::mutex> lock(mu);
    if (first_error.ok()) first_error = st;
    stop.store(true);
  };
  auto run = [&](size_t k) {
    Converter& c = *workers[k];
    for (size_t i = firsts[k]; i < firsts[k + 1]; ++i) {
      if (stop.load()) return;
      const InputPiece& piece = pieces[i];
      const uint64_t read_before = c.stats().records_read;
      Status st = piece.whole ? c.ConvertFile(piece.path) : c.ConvertFileRange(piece.path, piece.begin, piece.end);
      if (!st.ok()) return fail(st);
      if (on_input_done) {
        std::lock_guard<std::mutex> lock(mu);
        on_input_done(piece.Label(), c.stats().records_read - read_before);
      }
    }
    // A worker that was stopped does not publish its open files: the run failed, and its
    // destructor removes them, as one Converter's would.
    if (stop.load()) return;
    Status st = c.Finish();
    if (!st.ok()) fail(st);
  };
  std::vector<std::thread> threads;
  for (size_t k = 1; k < n && !stop.load(); ++k) {
    try {
      threads.emplace_back(run, k);
    } catch (const std::system_error& e) {  // no thread to be had: the run fails, as on an I/O error
      fail(Status::Internal(std::string("cannot start a conversion thread: ") + e.what()));
    }
  }
  if (n > 0) run(0);
  for (std::thread& t : threads) t.join();

  stats_ = ConvertStats();
  for (const auto& worker : workers) stats_.Add(worker->stats());
  return first_error;
}

}  // namespace loglake::lake
