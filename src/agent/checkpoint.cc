#include "agent/checkpoint.h"

#include <zlib.h>

#include <cinttypes>
#include <cstdio>
#include <filesystem>

#include "common/file.h"

namespace loglake::agent {
namespace {

constexpr std::string_view kMagic = "loglake-agent-checkpoint 1\n";

uint32_t Crc32(std::string_view bytes) {
  return static_cast<uint32_t>(
      crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

// Paths may hold any byte but '\0'; the format is line-based, so control bytes and '%' are
// written as %XX.
std::string EscapePath(std::string_view path) {
  std::string out;
  for (unsigned char c : path) {
    if (c < 0x20 || c == '%' || c == 0x7f) {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

bool HexValue(char c, int* v) {
  if (c >= '0' && c <= '9') *v = c - '0';
  else if (c >= 'A' && c <= 'F') *v = c - 'A' + 10;
  else if (c >= 'a' && c <= 'f') *v = c - 'a' + 10;
  else return false;
  return true;
}

bool UnescapePath(std::string_view text, std::string* out) {
  out->clear();
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      *out += text[i];
      continue;
    }
    int hi = 0, lo = 0;
    if (i + 2 >= text.size()) return false;
    if (!HexValue(text[i + 1], &hi) || !HexValue(text[i + 2], &lo)) return false;
    *out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return true;
}

// Splits off the next space-separated field of *rest.
std::string_view NextField(std::string_view* rest) {
  const size_t space = rest->find(' ');
  std::string_view field = rest->substr(0, space);
  *rest = space == std::string_view::npos ? std::string_view() : rest->substr(space + 1);
  return field;
}

bool ParseU64(std::string_view text, int base, uint64_t* out) {
  if (text.empty() || text.size() > 20) return false;
  uint64_t v = 0;
  for (char c : text) {
    int d = 0;
    if (base == 16) {
      if (!HexValue(c, &d)) return false;
    } else {
      if (c < '0' || c > '9') return false;
      d = c - '0';
    }
    const uint64_t next = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
    if (next / static_cast<uint64_t>(base) != v) return false;  // overflow
    v = next;
  }
  *out = v;
  return true;
}

}  // namespace

std::string EncodeCheckpoint(const CheckpointState& state) {
  std::string out(kMagic);
  out += "generation " + std::to_string(state.generation) + "\n";
  for (const CheckpointEntry& e : state.entries) {
    char fp[17];
    std::snprintf(fp, sizeof fp, "%016" PRIx64, e.identity.fingerprint);
    out += "file " + e.input + " " + std::to_string(e.identity.device) + " " + std::to_string(e.identity.inode) + " " +
           std::to_string(e.identity.fingerprint_bytes) + " " + fp + " " + std::to_string(e.offset) + " " +
           EscapePath(e.path) + "\n";
  }
  char crc[32];
  std::snprintf(crc, sizeof crc, "crc32 %08x\n", Crc32(out));
  out += crc;
  return out;
}

Result<CheckpointState> DecodeCheckpoint(std::string_view text) {
  if (text.empty()) return Status::Corruption("the file is empty");
  if (text.substr(0, kMagic.size()) != kMagic) return Status::Corruption("it does not start with '" + std::string(kMagic.substr(0, kMagic.size() - 1)) + "'");
  if (text.back() != '\n') return Status::Corruption("it is torn: the last line is incomplete");
  const size_t last_line = text.rfind('\n', text.size() - 2);
  const std::string_view crc_line = text.substr(last_line + 1, text.size() - last_line - 2);
  uint64_t stored_crc = 0;
  if (crc_line.substr(0, 6) != "crc32 " || !ParseU64(crc_line.substr(6), 16, &stored_crc)) {
    return Status::Corruption("it is torn: the closing crc32 line is missing");
  }
  const std::string_view body = text.substr(0, last_line + 1);
  if (Crc32(body) != stored_crc) return Status::Corruption("its CRC-32 does not match its content");

  CheckpointState state;
  std::string_view rest = body.substr(kMagic.size());
  int line_number = 1;
  bool have_generation = false;
  while (!rest.empty()) {
    ++line_number;
    const size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = rest.substr(nl + 1);
    const auto bad = [&](const std::string& why) {
      return Status::Corruption("line " + std::to_string(line_number) + ": " + why);
    };
    const std::string_view kind = NextField(&line);
    if (kind == "generation") {
      if (!ParseU64(line, 10, &state.generation)) return bad("bad generation");
      have_generation = true;
    } else if (kind == "file") {
      CheckpointEntry e;
      uint64_t fp_bytes = 0;
      e.input = std::string(NextField(&line));
      if (e.input.empty() || !ParseU64(NextField(&line), 10, &e.identity.device) ||
          !ParseU64(NextField(&line), 10, &e.identity.inode) || !ParseU64(NextField(&line), 10, &fp_bytes) ||
          fp_bytes > kFingerprintMaxBytes || !ParseU64(NextField(&line), 16, &e.identity.fingerprint) ||
          !ParseU64(NextField(&line), 10, &e.offset) || !UnescapePath(line, &e.path) || e.path.empty()) {
        return bad("bad file entry");
      }
      e.identity.fingerprint_bytes = static_cast<uint32_t>(fp_bytes);
      state.entries.push_back(std::move(e));
    } else {
      return bad("unknown line kind '" + std::string(kind) + "'");
    }
  }
  if (!have_generation) return Status::Corruption("no generation line");
  return state;
}

Result<CheckpointStore> CheckpointStore::Open(const std::string& dir) {
  RETURN_IF_ERROR(CreateDirectories(dir));
  return CheckpointStore(dir);
}

std::string CheckpointStore::SlotPath(int slot) const { return dir_ + "/checkpoint-" + std::to_string(slot); }

Result<CheckpointStore::Loaded> CheckpointStore::Load() {
  Loaded loaded;
  bool found = false;
  for (int slot = 0; slot < 2; ++slot) {
    const std::string path = SlotPath(slot);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) continue;
    std::string text;
    RETURN_IF_ERROR(ReadFileToString(path, &text));
    Result<CheckpointState> state = DecodeCheckpoint(text);
    if (!state.ok()) {
      loaded.problems.push_back("checkpoint " + path + " is unusable (" + state.status().message() + ")");
      continue;
    }
    if (!found || state->generation > loaded.state.generation) {
      loaded.state = std::move(*state);
      loaded.slot = path;
      newest_slot_ = slot;
      found = true;
    }
  }
  generation_ = loaded.state.generation;
  return loaded;
}

Status CheckpointStore::Save(std::vector<CheckpointEntry> entries) {
  CheckpointState state;
  state.generation = generation_ + 1;
  state.entries = std::move(entries);
  const int slot = 1 - newest_slot_;
  RETURN_IF_ERROR(WriteFileAtomically(SlotPath(slot), EncodeCheckpoint(state)));
  generation_ = state.generation;
  newest_slot_ = slot;
  return Status::OK();
}

}  // namespace loglake::agent
