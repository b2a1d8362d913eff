// Row: the values of the record being parsed, one Slot per column, as both of the record
// parser's paths (the fast path of fast_path.h and the simdjson walk of record_parser.cc) leave
// them for RecordParser::AppendTo.
//
// Slots are never cleared: a slot belongs to the current record only when its `seen` equals the
// row's generation, which Begin() advances. String values are views into the record's text
// (kView), or into the row's scratch buffer when they had to be rewritten (unescaped strings,
// compacted objects), or the row's extra object (the extra column).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace loglake::json {

enum class SlotSource : uint8_t { kView, kScratch, kExtra };

struct Slot {
  uint64_t seen = 0;  // == Row::generation when the record has this key
  bool has_value = false;
  SlotSource source = SlotSource::kView;
  int64_t i = 0;  // int32, int64, timestamp, bool
  double d = 0;
  const char* str = nullptr;  // kView
  size_t offset = 0;          // kScratch
  size_t len = 0;
};

struct Row {
  std::vector<Slot> slots;
  uint64_t generation = 0;
  std::string scratch;  // rewritten string values (kScratch)
  std::string extra;    // the extra column's object, being built
  std::optional<int64_t> time;

  // Starts a new record: every slot is unset.
  void Begin() {
    ++generation;
    scratch.clear();
    extra.clear();
    time.reset();
  }
  void SetView(Slot& slot, const char* data, size_t size) {
    slot.has_value = true;
    slot.source = SlotSource::kView;
    slot.str = data;
    slot.len = size;
  }
};

}  // namespace loglake::json
