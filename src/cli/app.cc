#include "cli/app.h"

#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace loglake::cli {

int RunApp(int argc, char** argv) {
  CLI::App app{"loglake: access logs in, standard Parquet out, searchable with SQL."};
  app.set_version_flag("--version", LOGLAKE_VERSION);
  app.require_subcommand(1);
  int exit_code = 0;
  // REGISTER-COMMANDS (one line per subcommand, in the order `loglake --help` lists them)
  RegisterGen(app, &exit_code);
  RegisterConvert(app, &exit_code);
  RegisterInspect(app, &exit_code);
  RegisterDdl(app, &exit_code);
  RegisterQuery(app, &exit_code);
  RegisterServe(app, &exit_code);
  RegisterAgent(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return exit_code;
}

}  // namespace loglake::cli
