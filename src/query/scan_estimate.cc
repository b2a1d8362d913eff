#include "query/scan_estimate.h"

#include <sys/stat.h>

#include "query/execution/table_source.h"
#include "query/planner/partition_projection.h"

namespace loglake::query {

DaySet ProjectedDays(const QueryPlan& plan) {
  const int time_index = plan.table.ColumnIndex(plan.table.time_column);
  return ProjectDays(plan.filter.get(), time_index, static_cast<int>(plan.table.columns.size()));
}

Result<ScanEstimate> EstimateScan(const std::string& lake_dir, const QueryPlan& plan) {
  const std::string table_dir = TableDirectory(lake_dir, plan.table.name);
  ASSIGN_OR_RETURN(DayListing listing, ListDays(table_dir, plan.table.layout, ProjectedDays(plan)));
  ScanEstimate estimate;
  estimate.days = listing.days.size();
  for (int64_t day : listing.days) {
    ASSIGN_OR_RETURN(std::vector<std::string> files, ListDayFiles(table_dir, plan.table.layout, day));
    for (const std::string& file : files) {
      struct stat st;
      // A file compacted away since the listing is simply not counted.
      if (::stat(file.c_str(), &st) != 0) continue;
      estimate.bytes += static_cast<uint64_t>(st.st_size);
      ++estimate.files;
    }
  }
  return estimate;
}

}  // namespace loglake::query
