/* Charts as SVG written by the server: no script, a <title> and <desc> for
 * screen readers, and the same figures in a table under each chart (the
 * chart is a picture of the table, never the only place a number is). */
#ifndef RESPIRE_WEB_CHART_H
#define RESPIRE_WEB_CHART_H

#include <stddef.h>

#include "util/buf.h"

struct chart_row {
	const char *label;          /* a day, an hour, a kind: plain text */
	double value;
	double previous;            /* the same row in the previous period (when chart.compare) */
};

struct chart {
	const char *id;             /* unique in the page, [a-z0-9-] (ids of <title>, <desc>) */
	const char *title;          /* the figure's caption and the table's */
	const char *key_header;     /* the table's first column ("Jour") */
	const char *value_header;   /* the table's value column ("Propositions") */
	const char *previous_header;/* the comparison column ("Période précédente"), with compare */
	const struct chart_row *rows;
	size_t n;
	int compare;                /* draw and list rows[i].previous too */
	int decimals;               /* digits after the point in the table (0 for counts) */
};

/* Writes <figure class="chart"> with a bar chart and its data table. */
void chart_bars(struct buf *out, const struct chart *c);

#endif
