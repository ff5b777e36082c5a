/*
 * The survey as one self-contained HTML page: inline CSS, a little inline
 * JavaScript (sortable tables, and an error marker written into the page on
 * any script error so tests/html.sh can see it), and an inline SVG heat map
 * of classes by features.  Nothing is fetched: no scripts, fonts, images or
 * style sheets from anywhere.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccpu/survey.h"
#include "esc.h"
#include "strbuf.h"
#include "xmalloc.h"

#define CELL	14	/* heat map cell size, px */
#define LEFT	120	/* room for class labels */
#define TOP	110	/* room for rotated feature names */

static void
esc(struct strbuf *sb, const char *s)
{
	struct strbuf	 t = STRBUF_INIT;
	char		*text;

	esc_adds(&t, s);		/* no control character, even here */
	text = strbuf_detach(&t);
	for (s = text; *s; s++) {
		switch (*s) {
		case '&':	strbuf_adds(sb, "&amp;"); break;
		case '<':	strbuf_adds(sb, "&lt;"); break;
		case '>':	strbuf_adds(sb, "&gt;"); break;
		case '"':	strbuf_adds(sb, "&quot;"); break;
		case '\'':	strbuf_adds(sb, "&#39;"); break;
		default:	strbuf_add(sb, s, 1); break;
		}
	}
	free(text);
}

static void
names(struct strbuf *sb, const struct ccpu_layout *l, const struct ccpu_featset *fs)
{
	char		 buf[64];
	const char	*sep = "";
	int		 b;

	if (ccpu_featset_empty(fs)) {
		strbuf_adds(sb, "<span class=\"none\">none</span>");
		return;
	}
	for (b = ccpu_featset_next(fs, 0); b >= 0; b = ccpu_featset_next(fs, b + 1)) {
		strbuf_adds(sb, sep);
		esc(sb, ccpu_layout_bit_label(l, (unsigned int)b, buf, sizeof(buf)));
		sep = " ";
	}
}

static const char css[] =
    "body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;"
    "color:#1d232a;background:#fff}"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;"
    "border-bottom:1px solid #dde3ea;padding-bottom:4px}"
    ".sub{color:#5b6673}code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;"
    "font-size:12.5px}"
    "table{border-collapse:collapse;margin:6px 0}th,td{border:1px solid #dde3ea;"
    "padding:4px 8px;vertical-align:top;text-align:left}"
    "th{background:#f3f6f9;cursor:pointer;user-select:none;white-space:nowrap}"
    "th.sorted-asc::after{content:' \\25B2'}th.sorted-desc::after{content:' \\25BC'}"
    "td.num{text-align:right;font-variant-numeric:tabular-nums}"
    ".feat{max-width:640px}.none{color:#8a949e}"
    ".sid{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;color:#5b6673}"
    ".yes{background:#d9f2e0}.no{background:#f8dcdc}.unknown{background:#eceff3}"
    ".bar{display:inline-block;height:10px;background:#3b82c4;vertical-align:middle}"
    ".plan{background:#f3f8ff;border:1px solid #c7dcf4;padding:10px 14px;"
    "border-radius:6px}"
    "#js-errors{color:#b00020;font-weight:bold}"
    "svg text{font:11px system-ui,sans-serif;fill:#1d232a}"
    ".legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;"
    "vertical-align:-2px;border:1px solid #ccd}";

/*
 * Tables with class "sortable" sort on a header click; numbers (data-v or
 * cell text) compare numerically.  Any script error lands in #js-errors, and
 * a finished render adds #render-ok, which tests/html.sh looks for.
 */
static const char js[] =
    "window.onerror=function(m,s,l){var e=document.getElementById('js-errors');"
    "if(e){e.textContent+='JS-'+'ERROR: '+m+' (line '+l+')\\n';}"
    "document.documentElement.setAttribute('data-js-error','1');};\n"
    "(function(){\n"
    "function key(td){var v=td.getAttribute('data-v');if(v===null)v=td.textContent;"
    "var n=parseFloat(v);return isNaN(n)||!/^[-0-9.]/.test(v)?v.toLowerCase():n;}\n"
    "function sortBy(th){var table=th.closest('table'),tb=table.tBodies[0];"
    "var i=Array.prototype.indexOf.call(th.parentNode.children,th);"
    "var asc=!th.classList.contains('sorted-asc');"
    "table.querySelectorAll('th').forEach(function(h){"
    "h.classList.remove('sorted-asc','sorted-desc');});"
    "th.classList.add(asc?'sorted-asc':'sorted-desc');"
    "var rows=Array.prototype.slice.call(tb.rows);"
    "rows.sort(function(a,b){var x=key(a.cells[i]),y=key(b.cells[i]);"
    "if(typeof x!==typeof y){x=String(x);y=String(y);}"
    "return (x<y?-1:x>y?1:0)*(asc?1:-1);});"
    "rows.forEach(function(r){tb.appendChild(r);});}\n"
    "document.querySelectorAll('table.sortable th').forEach(function(th){"
    "th.addEventListener('click',function(){sortBy(th);});});\n"
    "var ok=document.createElement('div');ok.id='render-ok';ok.hidden=true;"
    "ok.textContent='rendered '+document.querySelectorAll('table.sortable').length+"
    "' tables';document.body.appendChild(ok);\n"
    "})();\n";

static void
heatmap(struct strbuf *sb, const struct ccpu_survey *s, const struct ccpu_featset *cols)
{
	const struct ccpu_layout	*l = ccpu_survey_layout(s);
	const struct ccpu_survey_class	*c;
	const struct ccpu_featset	*plan = ccpu_survey_plan(s, NULL);
	char				 buf[64];
	unsigned int			 ncols = ccpu_featset_count(cols);
	size_t				 nrows = ccpu_survey_nclasses(s) + 1, i;
	unsigned int			 x;
	const char			*fill, *state;
	int				 b;

	strbuf_addf(sb, "<svg id=\"heatmap\" xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"%u\" height=\"%zu\" role=\"img\" "
	    "aria-label=\"classes by features\">\n",
	    LEFT + ncols * CELL + 10, TOP + nrows * CELL + 10);
	for (b = ccpu_featset_next(cols, 0), x = 0; b >= 0;
	    b = ccpu_featset_next(cols, b + 1), x++) {
		strbuf_addf(sb, "<text transform=\"translate(%u,%d) rotate(-60)\">",
		    LEFT + x * CELL + CELL / 2 + 3, TOP - 4);
		esc(sb, ccpu_layout_bit_label(l, (unsigned int)b, buf, sizeof(buf)));
		strbuf_adds(sb, "</text>\n");
	}
	for (i = 0; i < nrows; i++) {
		c = i + 1 < nrows ? ccpu_survey_class(s, i) : NULL;
		strbuf_addf(sb, "<text x=\"4\" y=\"%zu\">", TOP + i * CELL + CELL - 3);
		if (c != NULL)
			strbuf_addf(sb, "%s (%lu)", c->id, c->hosts);
		else
			strbuf_adds(sb, "plan");
		strbuf_adds(sb, "</text>\n");
		for (b = ccpu_featset_next(cols, 0), x = 0; b >= 0;
		    b = ccpu_featset_next(cols, b + 1), x++) {
			if (c == NULL) {
				fill = ccpu_featset_has(plan, b) ? "#1f6fb8" : "#ffffff";
				state = ccpu_featset_has(plan, b) ? "in the plan" :
				    "not in the plan";
			} else if (ccpu_featset_has(&c->used, b)) {
				fill = ccpu_featset_has(plan, b) ? "#2e9e5b" : "#9bd8b0";
				state = ccpu_featset_has(plan, b) ? "has it" :
				    "has it, the plan gives it up";
			} else if (ccpu_featset_has(&c->unknown, b)) {
				fill = "#c9ced6";
				state = "cannot tell";
			} else {
				fill = "#e35d5d";
				state = "lacks it";
			}
			strbuf_addf(sb, "<rect x=\"%u\" y=\"%zu\" width=\"%d\" "
			    "height=\"%d\" fill=\"%s\" stroke=\"#fff\"><title>",
			    LEFT + x * CELL, TOP + i * CELL, CELL, CELL, fill);
			strbuf_addf(sb, "%s: ", c != NULL ? c->id : "plan");
			esc(sb, ccpu_layout_bit_label(l, (unsigned int)b, buf, sizeof(buf)));
			strbuf_addf(sb, ": %s</title></rect>\n", state);
		}
	}
	strbuf_adds(sb, "</svg>\n<p class=\"legend\">"
	    "<span style=\"background:#2e9e5b\"></span>has it, kept by the plan"
	    "<span style=\"background:#9bd8b0\"></span>has it, given up by the plan"
	    "<span style=\"background:#e35d5d\"></span>lacks it"
	    "<span style=\"background:#c9ced6\"></span>cannot tell"
	    "<span style=\"background:#1f6fb8\"></span>in the plan</p>\n");
}

static void
affinity(struct strbuf *sb, const struct ccpu_survey *s, size_t idx)
{
	json_t	*a;
	char	*t;
	bool	 by_labels;

	if ((a = ccpu_survey_affinity(s, idx, &by_labels)) == NULL)
		return;
	t = json_dumps(a, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	strbuf_addf(sb, "<details><summary>Kubernetes nodeAffinity (%s)</summary>"
	    "<pre class=\"mono\">", by_labels ? "NFD labels" : "host names");
	if (t != NULL)
		esc(sb, t);
	strbuf_adds(sb, "</pre></details>\n");
	free(t);
	json_decref(a);
}

/* The planner's split: one row per image class. */
static void
split(struct strbuf *sb, const struct ccpu_survey *s)
{
	const struct ccpu_survey_split	*sp = ccpu_survey_split(s);
	const struct ccpu_layout	*l = ccpu_survey_layout(s);
	const struct ccpu_survey_class	*c;
	char				 buf[CCPU_VALUE_MAX];
	size_t				 i;
	unsigned int			 j;

	if (sp == NULL)
		return;
	strbuf_adds(sb, "<h2>Image classes</h2>\n");
	if (sp->skipped[0]) {
		strbuf_adds(sb, "<p>No split: ");
		esc(sb, sp->skipped);
		strbuf_adds(sb, ".</p>\n");
		return;
	}
	strbuf_addf(sb, "<p>At most %u images, each with its own value (%s). "
	    "Checkpoint each on a host that has every feature of its class, e.g. "
	    "one of its members. Gain over one image: <b>%" PRIu64 "</b> (weight "
	    "kept over all hosts: %" PRIu64 " instead of %" PRIu64 ").", sp->k,
	    sp->exact ? "exact search" : "greedy merging",
	    sp->score - sp->single_score, sp->score, sp->single_score);
	if (sp->merged > 0)
		strbuf_addf(sb, " The %zu smallest CPU classes (%lu hosts) are "
		    "merged into one first: the planner takes at most %u.",
		    sp->merged, sp->merged_hosts, CCPU_PLAN_MAX_HOSTS - 1);
	if (sp->excluded > 0) {
		strbuf_adds(sb, " Left out, lacking a feature every value needs:");
		for (i = 0; i < ccpu_survey_nclasses(s); i++)
			if ((c = ccpu_survey_class(s, i))->image_class < 0)
				strbuf_addf(sb, " %s", c->id);
		strbuf_adds(sb, ".");
	}
	strbuf_adds(sb, "</p>\n<table class=\"sortable\" id=\"image-classes\"><thead>"
	    "<tr><th>image class</th><th>hosts</th><th>CPU classes</th>"
	    "<th>value</th><th>keeps over one image</th></tr></thead><tbody>\n");
	for (j = 0; j < sp->nimages; j++) {
		ccpu_jvm_format_value(l, &sp->images[j].value, buf, sizeof(buf));
		strbuf_addf(sb, "<tr><td class=\"num\">%u</td><td class=\"num\">%lu"
		    "</td><td>", j + 1, sp->images[j].hosts);
		for (i = 0; i < ccpu_survey_nclasses(s); i++)
			if ((c = ccpu_survey_class(s, i))->image_class == (int)j)
				strbuf_addf(sb, "%s ", c->id);
		strbuf_addf(sb, "</td><td class=\"mono\">%s</td><td class=\"feat\">",
		    buf);
		names(sb, l, &sp->images[j].kept);
		strbuf_adds(sb, "</td></tr>\n");
	}
	strbuf_adds(sb, "</tbody></table>\n");
}

char *
ccpu_survey_html(const struct ccpu_survey *s)
{
	const struct ccpu_layout	*l = ccpu_survey_layout(s);
	const struct ccpu_survey_class	*c;
	const struct ccpu_survey_image	*im;
	const struct ccpu_survey_error	*e;
	const struct ccpu_featset	*plan;
	struct strbuf			 sb = STRBUF_INIT;
	struct ccpu_featset		 cols = *ccpu_survey_union(s), lost;
	char				 buf[CCPU_VALUE_MAX], nb[64];
	unsigned long			 hosts = ccpu_survey_hosts(s), n;
	size_t				 i, j;
	bool				 valid;
	int				 b;

	plan = ccpu_survey_plan(s, &valid);
	for (i = 0; i < ccpu_survey_nclasses(s); i++)
		ccpu_featset_or(&cols, &ccpu_survey_class(s, i)->unknown);

	strbuf_adds(&sb, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width\">"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	    "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
	    "<title>crac-cpu survey</title>\n<style>");
	strbuf_adds(&sb, css);
	strbuf_adds(&sb, "</style></head>\n<body>\n<pre id=\"js-errors\"></pre>\n");
	strbuf_addf(&sb, "<h1>CPU survey</h1>\n<p class=\"sub\">%lu hosts in %zu CPU "
	    "classes, JVM layout <code>%s</code>", hosts, ccpu_survey_nclasses(s),
	    ccpu_layout_name(l));
	if (ccpu_survey_nfd_hosts(s))
		strbuf_addf(&sb, ", %lu derived from NFD labels", ccpu_survey_nfd_hosts(s));
	if (ccpu_survey_nerrors(s))
		strbuf_addf(&sb, ", %lu unreadable entr%s", ccpu_survey_nerrors(s),
		    ccpu_survey_nerrors(s) == 1 ? "y" : "ies");
	strbuf_adds(&sb, ".</p>\n");

	/* The plan first: it is the answer most readers came for. */
	ccpu_jvm_format_value(l, plan, buf, sizeof(buf));
	strbuf_addf(&sb, "<h2>Fleet-wide value</h2>\n<div class=\"plan\" id=\"plan\">"
	    "<code>-XX:CPUFeatures=%s</code>%s<br>", buf, valid ? "" :
	    " <b>not a usable value: use generic</b>");
	names(&sb, l, plan);
	strbuf_adds(&sb, "</div>\n");
	affinity(&sb, s, (size_t)-1);
	split(&sb, s);
	strbuf_adds(&sb, "<h2>Classes by features</h2>\n");
	heatmap(&sb, s, &cols);

	ccpu_featset_minus(&lost, ccpu_survey_union(s), plan);
	if (!ccpu_featset_empty(&lost)) {
		strbuf_adds(&sb, "<h2>What the value costs</h2>\n<table class=\"sortable\" "
		    "id=\"cost\"><thead><tr><th>feature</th><th>hosts that have it</th>"
		    "<th>classes that lack it</th></tr></thead><tbody>\n");
		for (b = ccpu_featset_next(&lost, 0); b >= 0;
		    b = ccpu_featset_next(&lost, b + 1)) {
			strbuf_adds(&sb, "<tr><td>");
			esc(&sb, ccpu_layout_bit_label(l, (unsigned int)b, nb, sizeof(nb)));
			n = ccpu_survey_feature_hosts(s, b);
			strbuf_addf(&sb, "</td><td class=\"num\" data-v=\"%lu\">%lu</td><td>",
			    n, n);
			for (i = 0; i < ccpu_survey_nclasses(s); i++)
				if (!ccpu_featset_has(&ccpu_survey_class(s, i)->used, b))
					strbuf_addf(&sb, "%s ", ccpu_survey_class(s, i)->id);
			strbuf_adds(&sb, "</td></tr>\n");
		}
		strbuf_adds(&sb, "</tbody></table>\n");
	}

	strbuf_adds(&sb, "<h2>Classes</h2>\n<table class=\"sortable\" id=\"classes\">"
	    "<thead><tr><th>class</th><th>hosts</th><th>CPUs</th><th>example hosts</th>"
	    "<th>value</th><th>loses to the plan</th><th>blocks</th></tr></thead>"
	    "<tbody>\n");
	for (i = 0; i < ccpu_survey_nclasses(s); i++) {
		c = ccpu_survey_class(s, i);
		ccpu_jvm_format_value(l, &c->used, buf, sizeof(buf));
		strbuf_addf(&sb, "<tr><td data-v=\"%zu\">%s <span class=\"sid\" "
		    "title=\"stable id: from the class's features, the same in "
		    "every survey\">%s</span></td><td class=\"num\">%lu</td><td>",
		    i + 1, c->id, c->stable_id, c->hosts);
		if (c->uarch.from != CCPU_UARCH_NONE) {
			strbuf_adds(&sb, "<b>");
			esc(&sb, c->uarch.name);
			strbuf_addf(&sb, "</b> <span class=\"sid\">(%s)</span><br>",
			    ccpu_uarch_from_name(c->uarch.from));
		}
		for (j = 0; j < c->nmodels; j++) {
			/* The vendor string comes from the input: escaped. */
			strbuf_adds(&sb, j ? "<br>" : "");
			esc(&sb, c->models[j].vendor);
			strbuf_addf(&sb, " family %u model %u", c->models[j].family,
			    c->models[j].model);
			if (c->models[j].brand[0]) {
				strbuf_adds(&sb, " (");
				esc(&sb, c->models[j].brand);
				strbuf_adds(&sb, ")");
			}
			strbuf_addf(&sb, ": %lu", c->models[j].hosts);
		}
		if (c->nfd_hosts)
			strbuf_addf(&sb, "<br><i>%lu from NFD labels</i>", c->nfd_hosts);
		strbuf_adds(&sb, "</td><td>");
		for (j = 0; j < c->nexamples; j++) {
			if (j)
				strbuf_adds(&sb, ", ");
			esc(&sb, c->examples[j]);
		}
		strbuf_addf(&sb, "</td><td class=\"mono\">%s</td><td class=\"feat\">", buf);
		names(&sb, l, &c->lost);
		strbuf_adds(&sb, "</td><td class=\"feat\">");
		names(&sb, l, &c->gain);
		strbuf_adds(&sb, "</td></tr>\n");
	}
	strbuf_adds(&sb, "</tbody></table>\n");

	strbuf_adds(&sb, "<h2>Features</h2>\n<table class=\"sortable\" id=\"features\">"
	    "<thead><tr><th>bit</th><th>feature</th><th>hosts</th><th>share</th>"
	    "<th>unknown</th></tr></thead><tbody>\n");
	for (b = ccpu_featset_next(&cols, 0); b >= 0; b = ccpu_featset_next(&cols, b + 1)) {
		n = ccpu_survey_feature_hosts(s, b);
		strbuf_addf(&sb, "<tr><td class=\"num\">%d</td><td>", b);
		esc(&sb, ccpu_layout_bit_label(l, (unsigned int)b, nb, sizeof(nb)));
		strbuf_addf(&sb, "</td><td class=\"num\">%lu</td><td data-v=\"%lu\">"
		    "<span class=\"bar\" style=\"width:%lupx\"></span> %lu%%</td>"
		    "<td class=\"num\">%lu</td></tr>\n", n, n,
		    hosts ? n * 120 / hosts : 0, hosts ? n * 100 / hosts : 0,
		    ccpu_survey_feature_unknown(s, b));
	}
	strbuf_adds(&sb, "</tbody></table>\n");

	if (ccpu_survey_nimages(s) > 0) {
		strbuf_adds(&sb, "<h2>Which classes can restore which images</h2>\n"
		    "<table class=\"sortable\" id=\"images\"><thead><tr><th>class</th>"
		    "<th>hosts</th>");
		for (j = 0; j < ccpu_survey_nimages(s); j++) {
			strbuf_adds(&sb, "<th>");
			esc(&sb, ccpu_survey_image(s, j)->name);
			strbuf_adds(&sb, "</th>");
		}
		strbuf_adds(&sb, "</tr></thead><tbody>\n");
		for (i = 0; i < ccpu_survey_nclasses(s); i++) {
			c = ccpu_survey_class(s, i);
			strbuf_addf(&sb, "<tr><td data-v=\"%zu\">%s</td><td class=\"num\">"
			    "%lu</td>", i + 1, c->id, c->hosts);
			for (j = 0; j < ccpu_survey_nimages(s); j++) {
				im = ccpu_survey_image(s, j);
				switch (im->restore[i]) {
				case CCPU_RESTORE_YES:
					strbuf_adds(&sb, "<td class=\"yes\">yes</td>");
					break;
				case CCPU_RESTORE_NO:
					strbuf_adds(&sb, "<td class=\"no\">no: missing ");
					names(&sb, l, &im->missing[i]);
					strbuf_adds(&sb, "</td>");
					break;
				case CCPU_RESTORE_UNKNOWN:
					strbuf_adds(&sb, "<td class=\"unknown\">cannot tell: ");
					names(&sb, l, &im->missing[i]);
					strbuf_adds(&sb, "</td>");
					break;
				}
			}
			strbuf_adds(&sb, "</tr>\n");
		}
		strbuf_adds(&sb, "</tbody></table>\n");
		for (j = 0; j < ccpu_survey_nimages(s); j++) {
			im = ccpu_survey_image(s, j);
			ccpu_jvm_format_value(l, &im->value, buf, sizeof(buf));
			strbuf_adds(&sb, "<p><b>");
			esc(&sb, im->name);
			strbuf_addf(&sb, "</b> <code>%s</code>: restores on %lu of %lu hosts",
			    buf, im->hosts_yes, hosts);
			if (im->hosts_unknown)
				strbuf_addf(&sb, ", %lu cannot tell", im->hosts_unknown);
			strbuf_adds(&sb, "</p>\n");
			affinity(&sb, s, j);
		}
	}

	if (ccpu_survey_nerrors(s) > 0) {
		strbuf_addf(&sb, "<h2>Unreadable entries (%lu)</h2>\n<table class=\"sortable\" "
		    "id=\"errors\"><thead><tr><th>file</th><th>line</th><th>error</th></tr>"
		    "</thead><tbody>\n", ccpu_survey_nerrors(s));
		for (i = 0; i < ccpu_survey_nerrors_listed(s); i++) {
			e = ccpu_survey_error(s, i);
			strbuf_adds(&sb, "<tr><td>");
			esc(&sb, e->file);
			strbuf_addf(&sb, "</td><td class=\"num\">%lu</td><td>", e->line);
			esc(&sb, e->msg);
			strbuf_adds(&sb, "</td></tr>\n");
		}
		strbuf_adds(&sb, "</tbody></table>\n");
	}
	strbuf_adds(&sb, "<script>\n");
	strbuf_adds(&sb, js);
	strbuf_adds(&sb, "</script>\n</body></html>\n");
	return strbuf_detach(&sb);
}
