/*
 * rules_yaml.c: reading the YAML tree of a rule file -- a mapping's value,
 * its allowed keys, scalars as text, numbers, booleans and lists -- with
 * every error placed at its node's line and column.  The loader
 * (rules_load.c), the kinds' own keys (kind_*.c) and the pattern lists
 * (rules_match.c) read their nodes through these; they call nothing above.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"

int
ry_error(yaml_node_t *n, struct error *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	err->line = n ? (long)n->start_mark.line + 1 : -1;
	err->column = n ? (long)n->start_mark.column + 1 : -1;
	err->offset = -1;
	return -1;
}

yaml_node_t *
ry_get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *pr;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(doc, pr->key);

		/* the first byte tells most keys apart without a call */
		if (k && k->type == YAML_SCALAR_NODE &&
		    k->data.scalar.value[0] == (yaml_char_t)key[0] &&
		    strcmp((char *)k->data.scalar.value, key) == 0)
			return yaml_document_get_node(doc, pr->value);
	}
	return NULL;
}

int
ry_keys(yaml_document_t *doc, yaml_node_t *map, const char *const *allowed, const char *what,
	struct error *err)
{
	yaml_node_pair_t *pr;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return ry_error(map, err, "%s 应为映射（键: 值）", what);
	for (pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(doc, pr->key);
		int i, ok = 0;

		if (k == NULL || k->type != YAML_SCALAR_NODE)
			return ry_error(k, err, "%s 的键应为文字", what);
		for (i = 0; allowed[i] && !ok; i++)
			if (allowed[i][0] == (char)k->data.scalar.value[0] &&
			    strcmp(allowed[i], (char *)k->data.scalar.value) == 0)
				ok = 1;
		if (!ok)
			return ry_error(k, err, "%s 中有未知的键“%s”", what,
			    (char *)k->data.scalar.value);
	}
	return 0;
}

const char *
ry_str(yaml_node_t *n, const char *what, struct error *err)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE) {
		ry_error(n, err, "“%s”应为文字", what);
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

int
ry_int(yaml_node_t *n, const char *what, long *out, struct error *err)
{
	const char *s = ry_str(n, what, err);
	char *end;

	if (s == NULL)
		return -1;
	*out = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0')
		return ry_error(n, err, "“%s”应为整数，而不是“%s”", what, s);
	return 0;
}

int
ry_double(yaml_node_t *n, const char *what, double *out, struct error *err)
{
	const char *s = ry_str(n, what, err);
	char *end;

	if (s == NULL)
		return -1;
	*out = strtod(s, &end);
	if (*s == '\0' || *end != '\0')
		return ry_error(n, err, "“%s”应为数字，而不是“%s”", what, s);
	return 0;
}

int
ry_bool(yaml_node_t *n, const char *what, int *out, struct error *err)
{
	const char *s = ry_str(n, what, err);

	if (s == NULL)
		return -1;
	if (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0 || strcmp(s, "on") == 0)
		*out = 1;
	else if (strcmp(s, "false") == 0 || strcmp(s, "no") == 0 || strcmp(s, "off") == 0)
		*out = 0;
	else
		return ry_error(n, err, "“%s”应为 true 或 false，而不是“%s”", what, s);
	return 0;
}

int
ry_strlist(yaml_document_t *doc, yaml_node_t *n, const char *what, char ***v, size_t *nv,
	struct error *err)
{
	yaml_node_item_t *it;

	if (n && n->type == YAML_SCALAR_NODE) {
		*v = xrealloc(*v, (*nv + 1) * sizeof(char *));
		(*v)[(*nv)++] = xstrdup((char *)n->data.scalar.value);
		return 0;
	}
	if (n == NULL || n->type != YAML_SEQUENCE_NODE)
		return ry_error(n, err, "“%s”应为文字或文字列表", what);
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *e = yaml_document_get_node(doc, *it);

		if (e == NULL || e->type != YAML_SCALAR_NODE)
			return ry_error(e, err, "“%s”的每一项应为文字", what);
		*v = xrealloc(*v, (*nv + 1) * sizeof(char *));
		(*v)[(*nv)++] = xstrdup((char *)e->data.scalar.value);
	}
	return 0;
}
