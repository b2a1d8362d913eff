// Each subcommand lives in its own cmd_<name>.cc and registers itself on the root app here.
// A subcommand's callback stores its exit code in *exit_code.
#pragma once

#include <CLI/CLI.hpp>

namespace loglake::cli {

void RegisterGen(CLI::App& app, int* exit_code);
void RegisterConvert(CLI::App& app, int* exit_code);
void RegisterInspect(CLI::App& app, int* exit_code);
void RegisterDdl(CLI::App& app, int* exit_code);
void RegisterQuery(CLI::App& app, int* exit_code);
void RegisterServe(CLI::App& app, int* exit_code);
void RegisterAgent(CLI::App& app, int* exit_code);

}  // namespace loglake::cli
