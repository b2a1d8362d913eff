// loglake: one binary, many subcommands; see src/cli/.
#include <malloc.h>

#include "cli/app.h"

namespace {

// The scan reads column chunks of a few MB into fresh buffers, one after another. glibc's defaults
// hand buffers that large to mmap and give freed heap tops back to the kernel, so every chunk
// paid for new zeroed pages (a needle search spent ~15% of its CPU in page faults). Keeping such
// buffers in the heap lets the next chunk reuse the pages: allocations up to 64 MiB come from the
// heap, and up to 128 MiB of free heap top is kept.
void TuneAllocator() {
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 128 << 20);
}

}  // namespace

int main(int argc, char** argv) {
  TuneAllocator();
  return loglake::cli::RunApp(argc, argv);
}
