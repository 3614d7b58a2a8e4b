/*
 * result_json.h: read back one line of `fzreport check --format json`
 * (JSON Lines) into a struct result, so that a rollup can merge results
 * checked elsewhere with files it checks itself.
 */
#ifndef FZ_RESULT_JSON_H
#define FZ_RESULT_JSON_H

#include <stddef.h>

#include "result.h"
#include "util.h"

/*
 * Parse the JSON object line[0..len) (one object, surrounding white space
 * allowed) into r, which this function result_init()s.  On success r owns
 * copies of every string and the caller releases it with
 * result_release().  Returns 0, or -1 with err filled (column = byte
 * offset + 1 of a syntax error) and r released.
 */
int result_read_jsonl_line(const char *line, size_t len, struct result *r, struct error *err);

#endif
