#include "lake/parallel_converter.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

namespace loglake::lake {

std::vector<std::vector<std::string>> ShareInputs(const std::vector<std::string>& inputs,
                                                  const std::vector<uint64_t>& sizes, size_t shares) {
  std::vector<std::vector<std::string>> out;
  if (inputs.empty() || shares == 0) return out;
  const size_t n = std::min(shares, inputs.size());
  uint64_t total = 0;
  for (size_t i = 0; i < inputs.size(); ++i) total += i < sizes.size() ? sizes[i] : 0;
  // Without any size known, inputs count one each.
  const bool sizes_known = total > 0;
  auto size_of = [&](size_t i) -> uint64_t { return !sizes_known ? 1 : i < sizes.size() ? sizes[i] : 0; };
  if (!sizes_known) total = inputs.size();
  out.resize(n);
  size_t k = 0;
  uint64_t assigned = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    // Move to the next share once this one has its part of the bytes, or when each share left
    // needs one of the inputs left.
    const size_t inputs_left = inputs.size() - i;
    const size_t shares_after = n - 1 - k;
    if (shares_after > 0 && !out[k].empty() &&
        (assigned >= total / n * (k + 1) + total % n * (k + 1) / n || inputs_left <= shares_after)) {
      ++k;
    }
    out[k].push_back(inputs[i]);
    assigned += size_of(i);
  }
  return out;
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
      table_dir_(lake_dir_ + "/" + table.name),
      table_(std::move(table)),
      options_(std::move(options)),
      threads_(threads) {}

Status ParallelConverter::ConvertFiles(const std::vector<std::string>& inputs, const std::vector<uint64_t>& sizes,
                                       const InputDone& on_input_done) {
  const std::vector<std::vector<std::string>> shares =
      ShareInputs(inputs, sizes, static_cast<size_t>(threads_));
  const size_t n = shares.size();

  // Each worker holds 1/n of the memory and of the open files, so that the limits bound the
  // whole run as they bound one Converter.
  ConverterOptions worker_options = options_;
  worker_options.buffer_budget_bytes = std::max<uint64_t>(options_.buffer_budget_bytes / std::max<size_t>(n, 1), 1 << 20);
  worker_options.max_open_files = std::max(1, options_.max_open_files / static_cast<int>(std::max<size_t>(n, 1)));
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
    for (const std::string& input : shares[k]) {
      if (stop.load()) return;
      const uint64_t read_before = c.stats().records_read;
      Status st = c.ConvertFile(input);
      if (!st.ok()) return fail(st);
      if (on_input_done) {
        std::lock_guard<std::mutex> lock(mu);
        on_input_done(input, c.stats().records_read - read_before);
      }
    }
    // A worker that was stopped does not publish its open files: the run failed, and its
    // destructor removes them, as one Converter's would.
    if (stop.load()) return;
    Status st = c.Finish();
    if (!st.ok()) fail(st);
  };
  std::vector<std::thread> threads;
  for (size_t k = 1; k < n; ++k) threads.emplace_back(run, k);
  if (n > 0) run(0);
  for (std::thread& t : threads) t.join();

  stats_ = ConvertStats();
  for (const auto& worker : workers) stats_.Add(worker->stats());
  return first_error;
}

}  // namespace loglake::lake
