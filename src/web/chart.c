/* Bar charts as SVG (see chart.h). The drawing is 640×220 user units: a left
 * margin for the scale, a bottom margin for a few labels; bars share the
 * width, and the previous period is drawn as a thin outline behind each bar. */
#include "web/chart.h"

#include <math.h>
#include <stdio.h>

#include "util/escape.h"
#include "util/text.h"

enum { W = 640, H = 220, LEFT = 48, RIGHT = 8, TOP = 12, BOTTOM = 28 };

/* A round top for the scale: 1, 2 or 5 times a power of ten. */
static double nice_max(double v)
{
	if (!(v > 0) || !isfinite(v))
		return 1;
	double p = 1;
	while (p * 10 <= v)
		p *= 10;
	while (p > v)
		p /= 10;
	double steps[] = {1, 2, 5, 10};
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
		if (v <= steps[i] * p)
			return steps[i] * p;
	return 10 * p;
}

static void number(struct buf *out, double v, int decimals)
{
	if (!isfinite(v))
		v = 0;
	buf_printf(out, "%.*f", decimals < 0 ? 0 : decimals > 3 ? 3 : decimals, v);
}

static void draw(struct buf *out, const struct chart *c)
{
	double top = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (c->rows[i].value > top)
			top = c->rows[i].value;
		if (c->compare && c->rows[i].previous > top)
			top = c->rows[i].previous;
	}
	top = nice_max(top);
	if (c->decimals == 0 && top < 4)
		top = 4; /* counts: a scale of whole numbers (0, 1, 2, 3, 4) */
	const double plot_w = W - LEFT - RIGHT, plot_h = H - TOP - BOTTOM;
	html_fmt(out, "<svg class=\"chart-svg\" viewBox=\"0 0 %d %d\" role=\"img\""
		 " aria-labelledby=\"%s-t %s-d\" preserveAspectRatio=\"xMidYMid meet\">"
		 "<title id=\"%s-t\">%s</title><desc id=\"%s-d\">",
		 W, H, c->id, c->id, c->id, c->title, c->id);
	buf_printf(out, "%zu ", c->n);
	html_fmt(out, "%s", c->key_header);
	if (c->n) {
		html_fmt(out, " (%s – %s), max ", c->rows[0].label, c->rows[c->n - 1].label);
		number(out, top, 0);
	}
	buf_puts(out, "</desc>");
	/* The scale: four lines with their values. */
	for (int g = 0; g <= 4; g++) {
		double y = TOP + plot_h - plot_h * g / 4.0;
		buf_printf(out, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>",
			   LEFT, W - RIGHT, y, y);
		buf_printf(out, "<text class=\"scale\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">",
			   LEFT - 6, y + 4);
		number(out, top * g / 4.0, top < 4 ? 1 : 0);
		buf_puts(out, "</text>");
	}
	if (c->n) {
		double slot = plot_w / (double)c->n;
		double bar = slot > 3 ? slot * 0.75 : slot;
		/* as many labels as fit side by side (11 px text: about 6.5 px a
		 * character), at most about six */
		size_t widest = 1, every, fit;
		for (size_t i = 0; i < c->n; i++) {
			size_t len = utf8_len(c->rows[i].label);
			if (len > widest)
				widest = len;
		}
		fit = (size_t)(plot_w / ((double)widest * 6.5 + 10));
		if (fit < 1)
			fit = 1;
		if (fit > 6 && c->n > 12)
			fit = 6;
		every = c->n > fit ? (c->n + fit - 1) / fit : 1;
		for (size_t i = 0; i < c->n; i++) {
			double x = LEFT + slot * (double)i + (slot - bar) / 2;
			if (c->compare) {
				double ph = plot_h * (c->rows[i].previous / top);
				buf_printf(out, "<rect class=\"previous\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\""
					   " height=\"%.1f\"/>", x, TOP + plot_h - ph, bar, ph);
			}
			double h = plot_h * (c->rows[i].value / top);
			buf_printf(out, "<rect class=\"value\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">",
				   x + (c->compare ? bar * 0.2 : 0), TOP + plot_h - h,
				   c->compare ? bar * 0.6 : bar, h);
			html_fmt(out, "<title>%s : ", c->rows[i].label);
			number(out, c->rows[i].value, c->decimals);
			buf_puts(out, "</title></rect>");
			if (i % every == 0)
				html_fmt(out, "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
					 (int)(x + bar / 2), H - 8, c->rows[i].label);
		}
	}
	buf_printf(out, "<line class=\"axis\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>",
		   LEFT, W - RIGHT, H - BOTTOM, H - BOTTOM);
	buf_puts(out, "</svg>");
}

static void table(struct buf *out, const struct chart *c)
{
	html_fmt(out, "<details class=\"chart-data\"><summary>%s</summary>"
		 "<table><caption>%s</caption><thead><tr><th scope=\"col\">%s</th>"
		 "<th scope=\"col\">%s</th>",
		 c->value_header, c->title, c->key_header, c->value_header);
	if (c->compare)
		html_fmt(out, "<th scope=\"col\">%s</th>", c->previous_header ? c->previous_header : "");
	buf_puts(out, "</tr></thead><tbody>");
	for (size_t i = 0; i < c->n; i++) {
		html_fmt(out, "<tr><th scope=\"row\">%s</th><td>", c->rows[i].label);
		number(out, c->rows[i].value, c->decimals);
		if (c->compare) {
			buf_puts(out, "</td><td>");
			number(out, c->rows[i].previous, c->decimals);
		}
		buf_puts(out, "</td></tr>");
	}
	buf_puts(out, "</tbody></table></details>");
}

void chart_bars(struct buf *out, const struct chart *c)
{
	html_fmt(out, "<figure class=\"chart\" id=\"%s\"><figcaption>%s</figcaption>", c->id, c->title);
	draw(out, c);
	table(out, c);
	buf_puts(out, "</figure>");
}
