/* The CSV reader of imports: see csv.h. One pass, byte by byte through
 * stdio's buffer; a record is kept in one growable buffer bounded by
 * max_record, its fields as offsets turned into pointers at its end. */
#include "util/csv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/text.h"

struct csv {
	FILE *f;
	size_t max_record;
	char sep;
	long line;               /* physical line of the next character */
	int back;                /* one character pushed back, or -2 */
	/* the header's raw bytes, read again by the parser once the separator is known */
	char *pending;
	size_t npending, pending_pos;
	/* the current record */
	char *data;
	size_t len, cap;
	size_t *offs;
	char **fields;
	int nfields;
	/* the header */
	char **names;
	int nnames;
	const char *header_error;
	int io_error;
};

struct csv *csv_open(FILE *f, size_t max_record)
{
	struct csv *c = calloc(1, sizeof *c);

	if (!c)
		return NULL;
	c->f = f;
	c->max_record = max_record ? max_record : CSV_RECORD_MAX;
	c->sep = ';';
	c->line = 1;
	c->back = -2;
	c->offs = calloc(CSV_MAX_FIELDS + 1, sizeof *c->offs);
	c->fields = calloc(CSV_MAX_FIELDS + 1, sizeof *c->fields);
	if (!c->offs || !c->fields) {
		csv_close(c);
		return NULL;
	}
	return c;
}

void csv_close(struct csv *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->nnames; i++)
		free(c->names[i]);
	free(c->names);
	free(c->pending);
	free(c->data);
	free(c->offs);
	free(c->fields);
	free(c);
}

/* The next byte of the file (after one pushed back), or EOF. */
static int file_getc(struct csv *c)
{
	int ch;

	if (c->back != -2) {
		ch = c->back;
		c->back = -2;
		return ch;
	}
	ch = getc_unlocked(c->f);
	if (ch == EOF && ferror(c->f))
		c->io_error = 1;
	return ch;
}

/* The next byte to parse: the header's saved bytes first. */
static int raw_getc(struct csv *c)
{
	if (c->back == -2 && c->pending_pos < c->npending)
		return (unsigned char)c->pending[c->pending_pos++];
	return file_getc(c);
}

/* After a '\r': a following '\n' belongs to the same line end. */
static void eat_lf(struct csv *c)
{
	int ch = raw_getc(c);

	if (ch != '\n' && ch != EOF)
		c->back = ch;
}

/* Appends a byte to the record, within bounds; 0, or -1 out of memory. */
static int put(struct csv *c, char ch)
{
	if (c->len + 1 > c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 256;
		char *n;

		if (ncap > c->max_record + CSV_MAX_FIELDS + 2)
			ncap = c->max_record + CSV_MAX_FIELDS + 2;
		if (ncap <= c->len)
			return -1;
		if (!(n = realloc(c->data, ncap)))
			return -1;
		c->data = n;
		c->cap = ncap;
	}
	c->data[c->len++] = ch;
	return 0;
}

enum { F_START, F_PLAIN, F_QUOTED, F_QUOTE };

int csv_next(struct csv *c, struct csv_record *rec)
{
	int state = F_START, ch, any = 0, too_long = 0, too_many = 0, oom = 0;
	size_t raw = 0;

	memset(rec, 0, sizeof *rec);
	c->len = 0;
	c->nfields = 0;
	c->offs[0] = 0;
	rec->line = c->line;
	for (;;) {
		int end_field = 0, end_record = 0;

		ch = raw_getc(c);
		if (ch == EOF) {
			if (c->io_error)
				return -1;
			if (!any)
				return 0;
			if (state == F_QUOTED)
				rec->error = "unterminated_quote";
			end_record = 1;
		} else {
			any = 1;
			raw++;
			if (state == F_QUOTED) {
				if (ch == '"') {
					state = F_QUOTE;
					continue;
				}
				if (ch == '\n' || ch == '\r') {
					if (ch == '\r')
						eat_lf(c);
					c->line++;
					ch = '\n';
				}
			} else if (ch == '\n' || ch == '\r') {
				if (ch == '\r')
					eat_lf(c);
				c->line++;
				if (state == F_START && c->nfields == 0 && c->len == 0) {
					/* a blank line: not a record */
					any = 0;
					raw = 0;
					rec->line = c->line;
					continue;
				}
				end_record = 1;
			} else if (ch == (unsigned char)c->sep) {
				end_field = 1;
			} else if (ch == '"' && state == F_START) {
				state = F_QUOTED;
				continue;
			} else if (ch == '"' && state == F_QUOTE) {
				state = F_QUOTED;   /* "" inside quotes */
			} else {
				state = F_PLAIN;    /* text after a closing quote is kept as it is */
			}
		}
		if (end_field || end_record) {
			if (!too_long && !too_many && put(c, '\0') < 0)
				oom = 1;
			if (c->nfields >= CSV_MAX_FIELDS)
				too_many = 1;
			else
				c->offs[++c->nfields] = c->len;
			state = F_START;
			if (end_record)
				break;
			continue;
		}
		if (raw > c->max_record)
			too_long = 1;
		if (!too_long && !too_many && put(c, (char)ch) < 0)
			oom = 1;
	}
	if (too_long || oom)
		rec->error = "too_long";
	else if (too_many)
		rec->error = "too_many_fields";
	if (!rec->error) {
		for (int i = 0; i < c->nfields; i++) {
			const char *s = c->data + c->offs[i];
			size_t n = c->offs[i + 1] - c->offs[i] - 1;

			if (memchr(s, '\0', n) || !utf8_valid(s, n)) {
				rec->error = "invalid_utf8";
				break;
			}
			c->fields[i] = c->data + c->offs[i];
		}
	}
	if (!rec->error) {
		rec->nfields = c->nfields;
		rec->fields = c->fields;
	}
	return 1;
}

const char *csv_field(const struct csv_record *rec, int col)
{
	if (col < 0 || col >= rec->nfields)
		return "";
	return rec->fields[col];
}

/* Reads the header's raw bytes (up to its end outside quotes) to count the
 * separators, then parses them as a record. */
int csv_read_header(struct csv *c)
{
	struct csv_record rec;
	size_t cap = 0;
	int ch, quoted = 0, semis = 0, commas = 0, text = 0, rc;

	/* the byte-order mark */
	ch = file_getc(c);
	if (ch == 0xEF) {
		int b = file_getc(c), d = file_getc(c);

		if (b != 0xBB || d != 0xBF) {
			c->header_error = "invalid_utf8";
			return -1;
		}
	} else if (ch != EOF) {
		c->back = ch;
	}
	for (;;) {
		ch = file_getc(c);
		if (ch == EOF)
			break;
		if (c->npending + 2 > cap) {
			char *n;

			cap = cap ? cap * 2 : 256;
			if (cap > c->max_record + 2)
				cap = c->max_record + 2;
			if (c->npending + 2 > cap || !(n = realloc(c->pending, cap))) {
				c->header_error = "too_long";
				return -1;
			}
			c->pending = n;
		}
		c->pending[c->npending++] = (char)ch;
		if (ch == '"') {
			quoted = !quoted;
		} else if (!quoted && (ch == '\n' || ch == '\r')) {
			if (text)
				break;
			continue;   /* blank lines before the header */
		} else if (!quoted && ch == ';') {
			semis++;
		} else if (!quoted && ch == ',') {
			commas++;
		}
		text = 1;
	}
	if (c->io_error)
		return -1;
	c->sep = commas > semis ? ',' : ';';
	rc = csv_next(c, &rec);
	if (rc <= 0)
		return rc;
	if (rec.error) {
		c->header_error = rec.error;
		return -1;
	}
	if (!(c->names = calloc((size_t)rec.nfields + 1, sizeof *c->names)))
		return -1;
	for (int i = 0; i < rec.nfields; i++) {
		if (!(c->names[i] = strdup(text_trim(rec.fields[i]))))
			return -1;
		c->nnames++;
	}
	return 1;
}

const char *csv_header_error(const struct csv *c)
{
	return c->header_error;
}

char csv_separator(const struct csv *c)
{
	return c->sep;
}

int csv_header_count(const struct csv *c)
{
	return c->nnames;
}

const char *csv_header_name(const struct csv *c, int i)
{
	return i >= 0 && i < c->nnames ? c->names[i] : NULL;
}

int csv_column(const struct csv *c, const char *const *names)
{
	for (const char *const *n = names; *n; n++)
		for (int i = 0; i < c->nnames; i++)
			if (!strcasecmp(c->names[i], *n))
				return i;
	return -1;
}

/* The first character after the leading apostrophes is = + - or @. */
static int formula_like(const char *s)
{
	while (*s == '\'')
		s++;
	return *s == '=' || *s == '+' || *s == '-' || *s == '@';
}

int csv_guarded(const char *cell)
{
	return cell && formula_like(cell);
}

void csv_unguard(char *cell)
{
	if (cell && cell[0] == '\'' && formula_like(cell))
		memmove(cell, cell + 1, strlen(cell));
}
