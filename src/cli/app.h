// The `loglake` command line: one binary, one subcommand per job (see README).
#pragma once

namespace loglake::cli {

// Parses argv, runs the chosen subcommand, returns the process exit code.
int RunApp(int argc, char** argv);

}  // namespace loglake::cli
