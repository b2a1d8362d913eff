#include "query/execution/explain.h"

#include <cstdio>

namespace loglake::query {
namespace {

std::string Layer(const char* name, const PruneCount& c) {
  return std::string("  ") + name + ": considered " + std::to_string(c.considered) + ", pruned " +
         std::to_string(c.pruned) + ", kept " + std::to_string(c.considered - c.pruned) + "\n";
}

}  // namespace

std::string FormatExplain(const QueryPlan& plan, const ScanReport& report, const QueryStats& stats) {
  std::vector<std::string> names;
  for (const Field& f : plan.table.columns) names.push_back(f.name);
  names.push_back(kDatePathColumn);

  std::string s = plan.ToString();
  s += "Scan of " + plan.table.name + " (" + lake::PartitionLayoutName(plan.table.layout) + ", " +
       std::to_string(report.threads) + (report.threads == 1 ? " thread" : " threads") + ", " +
       (report.dedup ? "dedup by " + plan.table.dedup_key : std::string("no dedup")) + ")\n";
  s += "  pruning predicates: " + report.summary.ToString(&names) + "\n";
  s += "  partition projection: " + report.projected.ToString() + "\n";
  s += "  day partitions: " + std::to_string(report.listing.days.size()) + " exist (" +
       std::to_string(report.listing.directories_read) + " directories " +
       (report.listing.walked ? "walked" : "probed") + "), " + std::to_string(stats.days_listed) + " listed";
  if (report.days_skipped_by_top_n > 0) s += ", " + std::to_string(report.days_skipped_by_top_n) + " skipped by top-N";
  s += "\n";
  s += Layer("files", stats.files);
  s += Layer("row groups by statistics", stats.row_groups_by_stats);
  s += Layer("row groups by bloom filters", stats.row_groups_by_bloom);
  s += Layer("row groups by dictionaries", stats.row_groups_by_dictionary);
  s += Layer("pages by page index", stats.pages_by_page_index);
  if (report.row_groups_skipped_by_top_n > 0) {
    s += "  row groups skipped by top-N: " + std::to_string(report.row_groups_skipped_by_top_n) + "\n";
  }
  if (report.dedup) {
    s += "  dedup: " + std::to_string(report.days_dedup_by_index) + " days by duplicate index, " +
         std::to_string(report.days_dedup_by_keys) + " days by keys";
    if (report.row_groups_rescanned_for_dedup > 0) {
      s += ", " + std::to_string(report.row_groups_rescanned_for_dedup) +
           " row groups skipped by top-N read after all for an earlier copy of a row";
    }
    s += "\n";
  }
  if (report.stopped_at_limit) s += "  stopped early: LIMIT reached\n";
  char elapsed[32];
  std::snprintf(elapsed, sizeof(elapsed), "%.3f", stats.elapsed_seconds);
  s += "  rows scanned: " + std::to_string(stats.rows_scanned) + ", bytes read: " +
       std::to_string(stats.bytes_scanned) + ", duplicates dropped: " + std::to_string(stats.duplicates_dropped) +
       ", rows returned: " + std::to_string(stats.rows_returned) + ", elapsed: " + elapsed + " s\n";
  return s;
}

}  // namespace loglake::query
