/* Export and import of a whole network, backend-neutral: one JSON document
 * per line, a header then one line per row, tables in dependency order. */
#ifndef RESPIRE_STORE_TRANSFER_H
#define RESPIRE_STORE_TRANSFER_H

#include <stdio.h>

#include "store/db.h"

/* Writes every table; returns the number of rows or -1. */
long store_export(struct db *db, FILE *out);
/* Reads an export into an empty, migrated database, in one transaction;
 * returns the number of rows or -1 (with a message in err). */
long store_import(struct db *db, FILE *in, char *err, size_t errlen);
/* The tables the export knows, NULL-terminated (tests compare them with the schema). */
extern const char *const transfer_tables[];

#endif
