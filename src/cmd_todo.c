/* Commands not written yet. */
#include "cli.h"
#include "diag.h"
#define TODO(fn, name) int fn(int argc, char **argv) { (void)argc; (void)argv; diag_error(name ": not implemented yet"); return 2; }
