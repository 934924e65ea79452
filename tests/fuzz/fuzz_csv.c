/* util/csv.c: any bytes read as records within the bounds: a record is
 * either rejected with a reason and no fields, or has 1..CSV_MAX_FIELDS
 * fields of valid UTF-8 without NUL; line numbers never go backwards. */
#include "fuzz.h"

#include "util/csv.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fmemopen((void *)data, size ? size : 1, "r");
	if (!f)
		return 0;
	if (!size) {
		fclose(f);
		return 0;
	}
	struct csv *c = csv_open(f, 4096); /* a small bound, so that too_long is reached */
	FUZZ_ASSERT(c, "no reader");
	if (csv_read_header(c) > 0) {
		char sep = csv_separator(c);
		FUZZ_ASSERT(sep == ';' || sep == ',', "separator %d", sep);
		for (int i = 0; i < csv_header_count(c); i++)
			FUZZ_ASSERT(csv_header_name(c, i), "header %d missing", i);
		(void)csv_column(c, (const char *const[]){ "uai", "Identifiant_de_l_etablissement", NULL });
		struct csv_record rec;
		long last = 1;
		int rc;
		while ((rc = csv_next(c, &rec)) == 1) {
			FUZZ_ASSERT(rec.line > last, "line %ld after %ld", rec.line, last);
			last = rec.line;
			if (rec.error) {
				FUZZ_ASSERT(rec.nfields == 0, "rejected record keeps %d fields", rec.nfields);
				continue;
			}
			FUZZ_ASSERT(rec.nfields >= 1 && rec.nfields <= CSV_MAX_FIELDS, "%d fields", rec.nfields);
			for (int i = 0; i < rec.nfields; i++)
				FUZZ_ASSERT(utf8_valid(rec.fields[i], strlen(rec.fields[i])),
					    "field %d not UTF-8", i);
			(void)csv_field(&rec, rec.nfields + 3);
		}
	} else {
		(void)csv_header_error(c);
	}
	csv_close(c);
	fclose(f);
	return 0;
}
