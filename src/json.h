/*
 * json — writing JSON strings that are valid for any input bytes.
 *
 * json_quote appends a quoted JSON string to a strbuf: ", \ and control
 * characters are escaped (\n \r \t \b \f, others as \u00XX), DEL as
 * \u007f, and every byte sequence that is not valid UTF-8 (overlong forms,
 * surrogates, > U+10FFFF, truncated) becomes U+FFFD, one per maximal
 * invalid subpart.  Valid UTF-8 passes through unchanged.
 * Relies on strbuf.h.
 */
#ifndef VERDICT_JSON_H
#define VERDICT_JSON_H

#include <stddef.h>
#include "strbuf.h"

void json_quote(struct strbuf *out, const char *s, size_t len);
/* s, known to be valid UTF-8, escaped as json_quote escapes it, without
 * the quotes. */
void json_escape_valid(struct strbuf *out, const char *s, size_t len);

/* Length of the valid UTF-8 prefix of s (len if all of it is valid). */
size_t utf8_valid_prefix(const char *s, size_t len);
/* s into out with each invalid sequence as U+FFFD, as json_quote writes
 * it (so a record's id reads the same in every output format). */
void utf8_replace_invalid(struct strbuf *out, const char *s, size_t len);

#endif
