// loglake: one binary, many subcommands; see src/cli/.
#include "cli/app.h"

int main(int argc, char** argv) { return loglake::cli::RunApp(argc, argv); }
