/*
 * ruleset — a rule set directory loaded into a sandbox, and the C-side
 * description of its decisions (columns, types, enumerations) that the
 * record typing needs.  The policy itself stays in Lua.
 *
 * Relies on sandbox.h (Lua), sha256.h; diag.h for the language of its
 * messages (--lang).  The ruleset owns its sandbox and
 * every string in its decision and column descriptions.
 */
#ifndef VERDICT_RULESET_H
#define VERDICT_RULESET_H

#include <stdbool.h>
#include <stddef.h>
#include "sandbox.h"

enum col_base { COL_STRING, COL_INT, COL_NUMBER, COL_BOOL, COL_DATE, COL_ENUM };

struct column_def {
	char *name, *zh;
	char *type;           /* as declared: "count", "money", ... */
	char *meaning;        /* may be NULL */
	char *meaning_zh;     /* in Chinese; may be NULL (then meaning) */
	enum col_base base;
	bool required, optional, unique;
	bool has_min, has_max;
	double min, max;
	size_t ntokens;
	char **tokens, **labels;
};

struct decision_def {
	char *name, *title_en, *title_zh;
	size_t id_col;        /* 0-based */
	bool scored;
	size_t ncols;
	struct column_def *cols;
};

struct ruleset {
	char *dir;
	char digest[65];      /* SHA-256 over the directory's files */
	char *name, *version;
	struct sandbox *sb;
	size_t ndecisions;
	struct decision_def *decisions;
	size_t nerrors;       /* load problems, "file:line: message" */
	char **errors;
};

/*
 * Load dir.  Returns NULL only for a failure to set up (message in err);
 * otherwise a ruleset whose nerrors says whether the rules are usable.
 * lang ("en" or "zh"): the language of the problems, where they have a
 * Chinese form.
 */
struct ruleset *ruleset_load(const char *dir, const struct sandbox_limits *lim, const char *lang,
			     char *err, size_t errlen);
void ruleset_free(struct ruleset *rs);

/* What ruleset_coverage is asked. */
struct coverage_query {
	size_t invalid_cases;  /* cases that stopped at INVALID */
	const char *only;      /* a decision's name, or NULL for every decision */
	const char *lang;      /* "en" or "zh" */
	const char *skip;      /* " ID1 ID2 ": rules left out of the problems, or NULL;
				  "*": every rule (unexercised rules not looked for) */
};

/*
 * After test cases were evaluated (evaluator_note_coverage), the coverage
 * table as text and the rule set's loose ends as "file:line: message"
 * problems (rules no case exercises, parameters no rule reads): of every
 * decision, or of q->only, and the parameters.  The text and the problems
 * are the caller's to free (free each, then the array).
 */
char *ruleset_coverage(struct ruleset *rs, const struct coverage_query *q, char ***problems, size_t *nproblems);

/*
 * What lint finds in the rule files' compiled code without running it
 * (src/lua/lint.lua): global names their functions read that the sandbox
 * does not provide, fields the allowed libraries lack or leave out, and
 * globals set inside a function, as "file:line: message" problems in lang
 * ("en" or "zh").  None when a file stopped part-way while loading.  0
 * with the problems (the caller's to free: each, then the array), or -1
 * with the reason in err.
 */
int ruleset_code_problems(struct ruleset *rs, const char *lang, char ***problems, size_t *nproblems,
			  char *err, size_t errlen);

/* Index of the decision called name, or -1. */
int ruleset_find(const struct ruleset *rs, const char *name);
/* The same, also by the name in another case or by the decision's Chinese
 * title or a part of it (when that names one decision only); where there
 * is none, "unknown decision 'NAME'; the rule set 'DIR' has: A, B, C"
 * appended to why (under --lang zh in Chinese, each decision with its
 * Chinese title), and where there are several, which. */
struct strbuf;
int ruleset_decision(const struct ruleset *rs, const char *name, struct strbuf *why);

/* SHA-256 over every regular file below dir (sorted relative paths; each
 * file contributes its path, a NUL, its size and its bytes), but hidden
 * ones and those deeper than RULESET_MAX_DEPTH folders (sandbox.h), which
 * include refuses. */
int ruleset_digest(const char *dir, char hex[65], char *err, size_t errlen);

/* Which rule set directory to use: the option, else $VERDICT_RULES, else
 * ./rules if it exists, else the installed one. */
const char *ruleset_default_dir(const char *option);
/* The rule set directory the option or $VERDICT_RULES names, or NULL when
 * neither does (the default is then looked for). */
const char *ruleset_named_dir(const char *option);

/* Whether dir can be read as a rule set: a directory that opens, with rule
 * files (*.lua) at its top level.  0, or -1 with "cannot read rule set
 * 'DIR': what was found; what was expected" in err (in Chinese under
 * --lang zh, as ruleset_digest's and ruleset_load's own). */
int ruleset_dir_check(const char *dir, char *err, size_t errlen);

#endif
