/* The engine's version, printed by --version and recorded in every trace. */
#ifndef VERDICT_VERSION_H
#define VERDICT_VERSION_H
#define VERDICT_VERSION "0.1.0"
#endif
