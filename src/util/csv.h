/* A CSV reader for imports (schools, innovation records).
 *
 * - UTF-8, a leading byte-order mark skipped.
 * - The separator, ';' or ',', is detected from the header line: the one
 *   that appears more often outside quotes (';' when neither or as many).
 * - RFC 4180 quoting: a quoted field may hold the separator, doubled quotes
 *   ("" for ") and newlines. CRLF, LF and lone CR end a line. Blank lines
 *   are skipped.
 * - Each record carries its physical line number (the header is line 1): a
 *   record spanning several lines (quoted newlines) is reported at its first.
 * - Bounds: a record longer than max_record bytes is read to its end and
 *   handed back empty with error "too_long" (reading goes on with the next);
 *   at most CSV_MAX_FIELDS fields ("too_many_fields"). A record with invalid
 *   UTF-8 or a NUL byte has error "invalid_utf8"; one whose quote never
 *   closes, "unterminated_quote" (it ran to the end of the file).
 *   Rejected records keep no fields (nfields 0).
 * - Header lookup: csv_column() takes a NULL-terminated list of accepted
 *   names and matches them ASCII case-insensitively, surrounding white
 *   space ignored.
 *
 *	struct csv *c = csv_open(f, CSV_RECORD_MAX);
 *	if (!c || csv_read_header(c) <= 0) ... no header: refuse the file
 *	int col = csv_column(c, (const char *const[]){ "uai", "Identifiant", NULL });
 *	struct csv_record rec;
 *	while ((rc = csv_next(c, &rec)) == 1) {
 *		if (rec.error) ... report rec.line, rec.error; continue;
 *		const char *v = csv_field(&rec, col);   ("" when absent)
 *	}
 *	rc < 0: read error. csv_close(c) (does not close f).
 *
 * Fields stay valid until the next csv_next() or csv_close(). Not shared
 * between threads. */
#ifndef RESPIRE_UTIL_CSV_H
#define RESPIRE_UTIL_CSV_H

#include <stddef.h>
#include <stdio.h>

#define CSV_RECORD_MAX (1024 * 1024)
#define CSV_MAX_FIELDS 256

struct csv;

struct csv_record {
	long line;             /* physical line of its first character; header: 1 */
	int nfields;
	char **fields;         /* nfields NUL-terminated UTF-8 strings */
	const char *error;     /* NULL, "too_long", "too_many_fields", "invalid_utf8", "unterminated_quote" */
};

/* A reader of f (read from its current position); NULL when out of memory.
 * max_record: the longest record accepted, in bytes (0: CSV_RECORD_MAX). */
struct csv *csv_open(FILE *f, size_t max_record);
void csv_close(struct csv *c);

/* Reads the header line and detects the separator. 1 read, 0 the file is
 * empty, -1 a read error or a header that is itself rejected (see
 * csv_header_error). */
int csv_read_header(struct csv *c);
const char *csv_header_error(const struct csv *c);
/* ';' or ',' once the header is read. */
char csv_separator(const struct csv *c);
/* The header's column names. */
int csv_header_count(const struct csv *c);
const char *csv_header_name(const struct csv *c, int i);
/* Index of the first column named one of names (NULL-terminated), or -1. */
int csv_column(const struct csv *c, const char *const *names);

/* The next record into *rec: 1, 0 at the end, -1 on a read error. A
 * rejected record is 1 with rec->error set. */
int csv_next(struct csv *c, struct csv_record *rec);
/* Field col of rec, "" when col < 0 or the record is shorter. */
const char *csv_field(const struct csv_record *rec, int col);

/* Formula injection (a spreadsheet runs a cell starting with = + - @ as a
 * formula): an export writes a leading apostrophe before a cell that,
 * after its own leading apostrophes, starts with one of those (csv_guarded
 * says so); an import takes one away from such a cell (csv_unguard, in
 * place). The pair is exact: unguard(guard(v)) == v for every v, and no
 * exported cell starts with = + - @. */
int csv_guarded(const char *cell);
void csv_unguard(char *cell);

#endif
