/*
 * The survey as one self-contained HTML page, laid out as a dashboard: a
 * header saying when, by which crac-cpu, in which layout and from what;
 * summary cards; the restore matrix (which CPU class restores which image,
 * colour and glyph); then the detail: the fleet-wide value, the image
 * classes, an inline SVG heat map of classes by features grouped by family
 * (data/relevance.def), the cost, class, feature and error tables.  Inline
 * CSS and a little inline JavaScript (sortable tables, copy, downloads of
 * host lists built from JSON embedded in the page, and an error marker
 * written into the page on any script error so tests/html.sh can see it).
 * Nothing is fetched: no scripts, fonts, images or style sheets from
 * anywhere, and the Content-Security-Policy forbids it.
 *
 * Colours.  "Restores" and "does not" are Okabe and Ito's bluish green and
 * vermillion (colour-blind safe: under deuteranopia they stay apart, grey
 * against olive), darkened to the same WCAG 2 relative luminance so that
 * neither shouts: #00846e L = 0.1763, #ce4700 L = 0.1763 (the earlier
 * #2e9e5b and #e35d5d: 0.2579 and 0.2495, and olive twins under
 * deuteranopia).  White glyphs on either: contrast (1.05 / 0.2263) 4.64:1;
 * body text #1d232a on white 15.8:1, secondary text #5b6673 5.84:1, text on
 * the "cannot tell" grey #e3e7ec 12.8:1.  The plan's blue is Okabe-Ito's
 * #0072b2 (white on it 5.19:1).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ccpu/survey.h"
#include "esc.h"
#include "strbuf.h"
#include "survey_impl.h"
#include "xmalloc.h"

#define YES	"#00846e"	/* L 0.1763 */
#define NO	"#ce4700"	/* L 0.1763 */
#define DOUBT	"#e3e7ec"	/* cannot tell */
#define GIVEN	"#9fd6c8"	/* heat map: has it, given up by the plan (a tint of YES) */
#define LACKS	"#ffffff"	/* heat map: lacks it (an empty cell) */
#define HATCH	"url(#hatch)"	/* heat map: cannot tell (grey stripes) */
#define PLAN	"#0072b2"

#define CELL	14	/* heat map cell size, px */
#define GAP	8	/* between feature families */
#define LEFT	250	/* room for class labels */
#define BAND	18	/* the family band above the feature names */
#define CHAR_W	7	/* px a character of a feature name takes, at most */
#define LABEL	34	/* bytes of a class label in the heat map */
#define NOTE_SETS	8	/* distinct informational-only sets noted per image */
#define NOTE_CLASSES	12	/* classes named per note; the rest counted */
#define COST_CLASSES	6	/* classes named in a cost row before folding them away */

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

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

static enum ccpu_rel_class
family(const struct ccpu_layout *l, unsigned int bit)
{
	char	buf[CCPU_LABEL_MAX];

	return ccpu_relevance(ccpu_layout_bit_label(l, bit, buf, sizeof(buf))).rclass;
}

static void
label(struct strbuf *sb, const struct ccpu_layout *l, unsigned int bit)
{
	char	buf[CCPU_LABEL_MAX];

	esc(sb, ccpu_layout_bit_label(l, bit, buf, sizeof(buf)));
}

static void
none(struct strbuf *sb)
{
	strbuf_adds(sb, "<span class=\"none\">none</span>");
}

/* The members of fs, space separated, in bit order. */
static void
names(struct strbuf *sb, const struct ccpu_layout *l, const struct ccpu_featset *fs)
{
	const char	*sep = "";
	int		 b;

	if (ccpu_featset_empty(fs)) {
		none(sb);
		return;
	}
	for (b = ccpu_featset_next(fs, 0); b >= 0; b = ccpu_featset_next(fs, b + 1)) {
		strbuf_adds(sb, sep);
		label(sb, l, (unsigned int)b);
		sep = " ";
	}
}

/* The members of fs by family, each group led by the family's name. */
static void
grouped(struct strbuf *sb, const struct ccpu_layout *l, const struct ccpu_featset *fs)
{
	unsigned int	k;
	bool		open;
	int		b;

	if (ccpu_featset_empty(fs)) {
		none(sb);
		return;
	}
	for (k = 0; k < CCPU_REL_COUNT; k++) {
		open = false;
		for (b = ccpu_featset_next(fs, 0); b >= 0;
		    b = ccpu_featset_next(fs, b + 1)) {
			if (family(l, (unsigned int)b) != (enum ccpu_rel_class)k)
				continue;
			if (!open)
				strbuf_addf(sb, "<span class=\"grp\"><span class=\"fam\">"
				    "%s</span>", ccpu_rel_class_name(k));
			strbuf_adds(sb, " ");
			label(sb, l, (unsigned int)b);
			open = true;
		}
		if (open)
			strbuf_adds(sb, "</span> ");
	}
}

/* The model with the most hosts, the first on a tie; NULL when none. */
static const struct ccpu_survey_model *
top_model(const struct ccpu_survey_class *c)
{
	size_t	i, k = 0;

	if (c->nmodels == 0)
		return NULL;
	for (i = 1; i < c->nmodels; i++)
		if (c->models[i].hosts > c->models[k].hosts)
			k = i;
	return &c->models[k];
}

/*
 * A CPU brand as people say it, into buf: without "(R)", "(TM)", the clock
 * after " @ " and repeated spaces ("Intel Xeon Gold 6330 CPU").
 */
static const char *
short_brand(char *buf, size_t size, const char *brand)
{
	static const char *const noise[] = { "(R)", "(r)", "(TM)", "(tm)" };
	size_t			 n = 0, i, len;
	const char		*s = brand;

	while (*s != '\0' && n + 1 < size) {
		if (strncmp(s, " @ ", 3) == 0)
			break;
		for (i = 0; i < nitems(noise); i++) {
			len = strlen(noise[i]);
			if (strncmp(s, noise[i], len) == 0)
				break;
		}
		if (i < nitems(noise)) {
			s += len;
			continue;
		}
		if (*s == ' ' && (n == 0 || buf[n - 1] == ' ')) {
			s++;
			continue;
		}
		buf[n++] = *s++;
	}
	while (n > 0 && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
	return buf;
}

/* What the class's CPU is called: its top model's brand, else vendor family/model. */
static const char *
class_cpu(const struct ccpu_survey_class *c, char *buf, size_t size)
{
	const struct ccpu_survey_model	*m = top_model(c);

	if (m == NULL)
		snprintf(buf, size, "unknown CPU");
	else if (m->brand[0] != '\0')
		short_brand(buf, size, m->brand);
	else
		snprintf(buf, size, "%s family %u model %u", m->vendor,
		    m->family, m->model);
	return buf;
}

/* "zen4 · AMD EPYC 9654 96-Core Processor", plain (to be escaped). */
static const char *
class_plain(const struct ccpu_survey_class *c, char *buf, size_t size)
{
	char	cpu[64];

	class_cpu(c, cpu, sizeof(cpu));
	if (c->uarch.from != CCPU_UARCH_NONE)
		snprintf(buf, size, "%s \xc2\xb7 %s", c->uarch.name, cpu);
	else
		snprintf(buf, size, "%s", cpu);
	return buf;
}

/* A class by its CPU, the rank and stable id after it. */
static void
class_name(struct strbuf *sb, const struct ccpu_survey_class *c)
{
	char	cpu[64];

	strbuf_adds(sb, "<span class=\"cname\">");
	if (c->uarch.from != CCPU_UARCH_NONE) {
		strbuf_addf(sb, "<b title=\"named by %s\">", c->uarch.from ==
		    CCPU_UARCH_TABLE ? "crac-cpu's table (data/microarch.def)" :
		    "libcpuid");
		esc(sb, c->uarch.name);
		strbuf_adds(sb, "</b> ");
	}
	esc(sb, class_cpu(c, cpu, sizeof(cpu)));
	strbuf_addf(sb, "</span> <span class=\"sid\" title=\"rank in this report; "
	    "stable id: from the class's features, the same in every survey\">"
	    "%s&#8201;&#183;&#8201;%s</span>", c->id, c->stable_id);
}

/*
 * A short reference to a class, "zen4 c2", a link to its row in the class
 * table; a space after it, for lists.
 */
static void
class_ref(struct strbuf *sb, const struct ccpu_survey_class *c)
{
	char	cpu[64];

	strbuf_addf(sb, "<a class=\"cref\" href=\"#class-%s\">", c->id);
	if (c->uarch.from != CCPU_UARCH_NONE)
		esc(sb, c->uarch.name);
	else
		esc(sb, class_cpu(c, cpu, sizeof(cpu)));
	strbuf_addf(sb, " <span class=\"sid\">%s</span></a> ", c->id);
}

static const char css[] =
    ":root{--yes:" YES ";--no:" NO ";--doubt:" DOUBT ";--plan:" PLAN ";"
    "--ink:#1d232a;--dim:#5b6673;--line:#dde3ea;--pale:#f3f6f9}"
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;"
    "margin:0;color:var(--ink);background:#fff}"
    "main{max-width:1320px;margin:0 auto;padding:20px 28px 40px}"
    "header{border-bottom:1px solid var(--line);padding-bottom:10px}"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:30px 0 8px;"
    "border-bottom:1px solid var(--line);padding-bottom:4px}"
    ".meta{color:var(--dim);margin:0}.meta b{color:var(--ink);font-weight:600}"
    "code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px}"
    ".cards{display:grid;grid-template-columns:repeat(4,1fr);"
    "gap:12px;margin:16px 0 4px}"
    "@media (max-width:800px){.cards{grid-template-columns:repeat(2,1fr)}}"
    ".card{border:1px solid var(--line);border-radius:8px;padding:10px 14px;"
    "background:var(--pale)}.card.wide{grid-column:span 2}"
    ".card h3{font-size:12px;font-weight:600;text-transform:uppercase;"
    "letter-spacing:.04em;color:var(--dim);margin:0 0 2px}"
    ".card .big{font-size:26px;font-weight:650;line-height:1.2}"
    ".card .big code{font-size:15px;user-select:all;word-break:break-all}"
    ".card p{margin:2px 0 0;color:var(--dim);font-size:13px}"
    ".card.warn{border-color:" NO ";background:#fff}"
    "button{font:inherit;font-size:12px;border:1px solid #aab4bf;"
    "border-radius:4px;background:#fff;color:var(--ink);padding:1px 8px;"
    "cursor:pointer}"
    "button:focus-visible,a:focus-visible{outline:2px solid var(--plan);"
    "outline-offset:1px}"
    "table{border-collapse:collapse;margin:6px 0}th,td{border:1px solid var(--line);"
    "padding:4px 8px;vertical-align:top;text-align:left}"
    "th{background:var(--pale);white-space:nowrap;font-weight:600}"
    "th button.sort{border:0;background:none;padding:0;font-weight:600;"
    "font-size:inherit;display:inline-flex;gap:4px;align-items:center}"
    "th .ind{color:#8a949e;font-size:10px}"
    "th[aria-sort=ascending] .ind,th[aria-sort=descending] .ind{color:var(--plan)}"
    "td.num{text-align:right;font-variant-numeric:tabular-nums}"
    ".feat{max-width:560px}.none{color:var(--dim)}"
    ".sid{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:11.5px;"
    "color:var(--dim);white-space:nowrap}"
    "a.cref{white-space:nowrap;margin-right:6px;color:inherit;"
    "text-decoration:none;border-bottom:1px dotted #aab4bf}"
    "a.cref:hover{border-bottom-color:var(--ink)}"
    "tr:target{outline:2px solid var(--plan)}"
    ".grp{display:inline-block;margin-right:8px}"
    ".fam{font-size:11px;color:var(--dim);text-transform:uppercase;"
    "letter-spacing:.03em}"
    ".g{display:inline-block;min-width:1.6em;text-align:center;font-weight:700;"
    "border-radius:3px;padding:0 4px;color:#fff}"
    ".g.yes{background:var(--yes)}.g.no{background:var(--no)}"
    ".g.unknown{background:var(--doubt);color:var(--ink)}"
    "#matrix td.r{text-align:center;white-space:nowrap}"
    "#matrix td.r small{font-size:11px;color:var(--dim);margin-left:4px}"
    "#matrix td.r.info .g{outline:2px dashed var(--no);outline-offset:1px;"
    "background:#fff;color:" NO "}"
    ".img-sum{display:grid;grid-template-columns:minmax(160px,auto) 1fr;"
    "gap:6px 16px;align-items:center;margin:8px 0 14px;max-width:980px}"
    ".stack{display:flex;height:14px;border-radius:3px;overflow:hidden;"
    "background:var(--doubt);min-width:240px}"
    ".stack span{display:block}.stack .y{background:var(--yes)}"
    ".stack .n{background:var(--no)}"
    ".note{border-left:4px solid var(--plan);background:#f3f8ff;padding:6px 12px;"
    "margin:8px 0;max-width:1100px}.note code{white-space:nowrap}"
    ".plan{background:#f3f8ff;border:1px solid #c7dcf4;padding:10px 14px;"
    "border-radius:6px}"
    ".scroll{overflow-x:auto}"
    "details summary{cursor:pointer}"
    "#js-errors{color:#b00020;font-weight:bold}#js-errors:empty{display:none}"
    "svg text{font:11px system-ui,sans-serif;fill:var(--ink)}"
    "#heatmap rect{stroke:#e1e6eb}#heatmap .k{fill:" YES "}#heatmap .v{fill:" GIVEN "}"
    "#heatmap .l{fill:" LACKS "}#heatmap .d{fill:" HATCH "}#heatmap .p{fill:" PLAN "}"
    "svg .band{fill:var(--pale);stroke:var(--line)}"
    "svg .famname{font-size:10px;font-weight:600;text-transform:uppercase;"
    "fill:var(--dim)}"
    ".legend span.sw{display:inline-block;width:12px;height:12px;"
    "margin:0 4px 0 12px;vertical-align:-2px;border:1px solid #ccd}"
    "a.dl{font-size:12px;white-space:nowrap}";

/*
 * Tables with class "sortable" get a button in each header (keyboard
 * focusable, an arrow showing the order, aria-sort on the header) that
 * sorts on a click; numbers (data-v or cell text) compare numerically.
 * Buttons with class "copy" copy the text of the element data-for names.
 * Links with class "dl" become downloads of host lists built from the JSON
 * in #survey-data: nothing is fetched.  Any script error lands in
 * #js-errors; a finished render adds #render-ok (with the page's height,
 * for a full-page screenshot), which tests/html.sh looks for.
 */
static const char js[] =
    "window.onerror=function(m,s,l){var e=document.getElementById('js-errors');"
    "if(e){e.textContent+='JS-'+'ERROR: '+m+' (line '+l+')\\n';}"
    "document.documentElement.setAttribute('data-js-error','1');};\n"
    "(function(){\n"
    "function key(td){var v=td.getAttribute('data-v');if(v===null)v=td.textContent;"
    "var n=parseFloat(v);return isNaN(n)||!/^[-0-9.]/.test(v)?v.toLowerCase():n;}\n"
    "function sortBy(th){var table=th.closest('table'),tb=table.tBodies[0];"
    "var i=th.cellIndex,asc=th.getAttribute('aria-sort')!=='ascending';"
    "table.querySelectorAll('thead th').forEach(function(h){"
    "h.setAttribute('aria-sort','none');"
    "h.querySelector('.ind').textContent='\\u25B4\\u25BE';});"
    "th.setAttribute('aria-sort',asc?'ascending':'descending');"
    "th.querySelector('.ind').textContent=asc?'\\u25B2':'\\u25BC';"
    "var rows=Array.prototype.slice.call(tb.rows);"
    "rows.sort(function(a,b){var x=key(a.cells[i]),y=key(b.cells[i]);"
    "if(typeof x!==typeof y){x=String(x);y=String(y);}"
    "return (x<y?-1:x>y?1:0)*(asc?1:-1);});"
    "rows.forEach(function(r){tb.appendChild(r);});}\n"
    "document.querySelectorAll('table.sortable thead th').forEach(function(th){"
    "var b=document.createElement('button');b.type='button';b.className='sort';"
    "while(th.firstChild)b.appendChild(th.firstChild);"
    "var ind=document.createElement('span');ind.className='ind';"
    "ind.setAttribute('aria-hidden','true');ind.textContent='\\u25B4\\u25BE';"
    "b.appendChild(ind);th.appendChild(b);th.setAttribute('aria-sort','none');"
    "b.title='sort by this column';"
    "b.addEventListener('click',function(){sortBy(th);});});\n"
    "document.querySelectorAll('button.copy').forEach(function(b){"
    "b.addEventListener('click',function(){"
    "var el=document.getElementById(b.getAttribute('data-for')),t=el.textContent;"
    "function done(){b.textContent='Copied';"
    "setTimeout(function(){b.textContent='Copy';},1500);}"
    "function select(){var r=document.createRange();r.selectNodeContents(el);"
    "var s=window.getSelection();s.removeAllRanges();s.addRange(r);"
    "if(document.execCommand('copy'))done();}"
    "if(navigator.clipboard&&window.isSecureContext)"
    "navigator.clipboard.writeText(t).then(done,select);else select();});});\n"
    "var data=JSON.parse(document.getElementById('survey-data').textContent);\n"
    "function cell(v){v=String(v);if(/^[=+\\-@\\t\\r]/.test(v))v=\"'\"+v;"
    "return /[\",\\n\\r]|^[ ']| $/.test(v)?'\"'+v.replace(/\"/g,'\"\"')+'\"':v;}\n"
    "function blob(text,type){return URL.createObjectURL("
    "new Blob([text],{type:type+';charset=utf-8'}));}\n"
    "var all=['class,stable_id,uarch,cpu,class_hosts,value,host'];\n"
    "data.classes.forEach(function(c){c.list.forEach(function(h){"
    "all.push([c.id,c.stable_id,c.uarch,c.cpu,c.host_count,c.value,h].map(cell).join(','));"
    "});});\n"
    "document.querySelectorAll('a.dl').forEach(function(a){"
    "var i=a.getAttribute('data-class');"
    "if(i===null){a.href=blob(all.join('\\n')+'\\n','text/csv');return;}"
    "var c=data.classes[+i];a.href=blob(c.list.join('\\n')+'\\n','text/plain');});\n"
    "var ok=document.createElement('div');ok.id='render-ok';ok.hidden=true;"
    "ok.textContent='rendered '+document.querySelectorAll('table.sortable').length+"
    "' tables';document.body.appendChild(ok);"
    "ok.setAttribute('data-height',document.documentElement.scrollHeight);\n"
    "})();\n";

/* "2025-01-31T12:00:00Z" */
static void
iso_time(struct strbuf *sb, int64_t t)
{
	struct tm	tm;
	time_t		tt = (time_t)t;
	char		buf[32];

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, sizeof(buf), "@%" PRId64, t);
	strbuf_addf(sb, "<time datetime=\"%s\">%s</time>", buf, buf);
}

static void
header(struct strbuf *sb, const struct ccpu_survey *s)
{
	const struct ccpu_layout	*l = ccpu_survey_layout(s);
	const char			*base, *name, *summary;
	size_t				 i;

	strbuf_adds(sb, "<header><h1>CRaC CPU survey</h1>\n<p class=\"meta\">");
	if (s->has_inputs) {
		strbuf_adds(sb, "Generated <b>");
		iso_time(sb, s->generated);
		strbuf_adds(sb, "</b> &#183; ");
	}
	/* The x86-64 layout, unless there are aarch64 hosts only. */
	name = ccpu_layout_name(l);
	summary = ccpu_layout_summary(l);
	if (ccpu_survey_hosts(s) == 0 && ccpu_survey_a64_hosts(s) > 0) {
		name = ccpu_a64_layout_name(ccpu_survey_a64_layout(s));
		summary = ccpu_a64_layout_summary(ccpu_survey_a64_layout(s));
	}
	strbuf_addf(sb, "crac-cpu <b>%s</b> &#183; JVM layout <b><code>%s</code></b> "
	    "<span title=\"", CCPU_VERSION, name);
	esc(sb, summary);
	strbuf_adds(sb, "\">(");
	esc(sb, summary);
	strbuf_adds(sb, ")</span>");
	if (s->has_inputs) {
		strbuf_addf(sb, " &#183; <span id=\"inputs\"><b>%zu</b> input%s:",
		    s->ninputs, s->ninputs == 1 ? "" : "s");
		/* The last part of each path; the whole of it on hover. */
		for (i = 0; i < s->ninputs && i < CCPU_SURVEY_INPUTS; i++) {
			base = strrchr(s->inputs[i], '/');
			base = base != NULL && base[1] != '\0' ? base + 1 : s->inputs[i];
			strbuf_adds(sb, i ? ", <code title=\"" : " <code title=\"");
			esc(sb, s->inputs[i]);
			strbuf_adds(sb, "\">");
			esc(sb, base);
			strbuf_adds(sb, "</code>");
		}
		if (s->ninputs > CCPU_SURVEY_INPUTS)
			strbuf_addf(sb, " and %zu more", s->ninputs - CCPU_SURVEY_INPUTS);
		strbuf_adds(sb, "</span>");
	}
	strbuf_adds(sb, "</p></header>\n");
}

static void
cards(struct strbuf *sb, const struct ccpu_survey *s)
{
	const struct ccpu_layout	*l = ccpu_survey_layout(s);
	const struct ccpu_survey_split	*sp = ccpu_survey_split(s);
	const struct ccpu_survey_class	*c;
	const struct ccpu_featset	*plan;
	struct ccpu_featset		 lost, costly;
	unsigned int			 bits[3];
	char				 buf[CCPU_VALUE_MAX];
	unsigned long			 hosts = ccpu_survey_hosts(s), n;
	size_t				 i, nbits;
	bool				 valid;
	int				 b;

	plan = ccpu_survey_plan(s, &valid);
	strbuf_adds(sb, "<section class=\"cards\" id=\"cards\" aria-label=\"summary\">\n");

	strbuf_addf(sb, "<div class=\"card\" id=\"card-hosts\"><h3>Hosts</h3>"
	    "<div class=\"big\">%lu</div><p>", hosts);
	if (ccpu_survey_nfd_hosts(s))
		strbuf_addf(sb, "%lu from Kubernetes NFD labels", ccpu_survey_nfd_hosts(s));
	else
		strbuf_adds(sb, "from profiles and dumps");
	if (ccpu_survey_a64_hosts(s) > 0)
		strbuf_addf(sb, "; and <a href=\"#aarch64-h\">%lu aarch64 "
		    "host%s</a>, apart", ccpu_survey_a64_hosts(s),
		    ccpu_survey_a64_hosts(s) == 1 ? "" : "s");
	strbuf_adds(sb, "</p></div>\n");

	c = ccpu_survey_class(s, 0);
	strbuf_addf(sb, "<div class=\"card\" id=\"card-classes\"><h3>CPU classes</h3>"
	    "<div class=\"big\">%zu</div><p>", ccpu_survey_nclasses(s));
	if (c != NULL) {	/* none when no host was read */
		strbuf_adds(sb, "largest: ");
		class_ref(sb, c);
		strbuf_addf(sb, "(%lu host%s)", c->hosts, c->hosts == 1 ? "" : "s");
	} else
		strbuf_adds(sb, "no hosts read");
	strbuf_adds(sb, "</p></div>\n");

	ccpu_jvm_format_value(l, plan, buf, sizeof(buf));
	strbuf_addf(sb, "<div class=\"card wide\" id=\"card-value\"><h3>Fleet-wide value "
	    "<button type=\"button\" class=\"copy\" data-for=\"value-arg\">Copy</button>"
	    "</h3><div class=\"big\"><code id=\"value-arg\">-XX:CPUFeatures=%s</code>"
	    "</div><p>%s</p></div>\n", buf, valid ? "restores on every host of the "
	    "fleet" : "<b>not a usable value</b>: it lacks a bit the JVM requires; "
	    "use generic");

	ccpu_featset_minus(&lost, ccpu_survey_union(s), plan);
	costly = lost;
	for (b = ccpu_featset_next(&lost, 0); b >= 0; b = ccpu_featset_next(&lost, b + 1))
		if (family(l, (unsigned int)b) == CCPU_REL_INFO)
			ccpu_featset_del(&costly, (unsigned int)b);
	strbuf_addf(sb, "<div class=\"card wide\" id=\"card-cost\"><h3>What it costs</h3>"
	    "<div class=\"big\">%u <small style=\"font-size:14px;font-weight:400\">"
	    "feature%s given up</small></div><p>", ccpu_featset_count(&costly),
	    ccpu_featset_count(&costly) == 1 ? "" : "s");
	nbits = ccpu_relevance_order(l, &costly, bits, nitems(bits));
	if (nbits == 0)
		strbuf_adds(sb, "every host gets every feature it has");
	else
		strbuf_adds(sb, "most costly: ");
	for (i = 0; i < nbits && i < nitems(bits); i++) {
		n = ccpu_survey_feature_hosts(s, bits[i]);
		strbuf_adds(sb, i ? ", <code>" : "<code>");
		label(sb, l, bits[i]);
		strbuf_addf(sb, "</code> (%lu of %lu hosts)", n, hosts);
	}
	if (ccpu_featset_count(&lost) > ccpu_featset_count(&costly))
		strbuf_addf(sb, "; and %u informational",
		    ccpu_featset_count(&lost) - ccpu_featset_count(&costly));
	strbuf_adds(sb, "</p></div>\n");

	strbuf_adds(sb, "<div class=\"card\" id=\"card-images\"><h3>Image classes</h3>");
	if (sp != NULL && sp->nimages > 0)
		strbuf_addf(sb, "<div class=\"big\">%u</div><p>gain %" PRIu64 " weight "
		    "over one image (<a href=\"#image-classes-h\">split</a>)</p>",
		    sp->nimages, sp->score - sp->single_score);
	else
		strbuf_addf(sb, "<div class=\"big\">1</div><p>%s</p>", sp != NULL ?
		    "no split could be made" : ccpu_survey_nclasses(s) < 2 ?
		    "one CPU class: nothing to split" : "no split asked for");
	strbuf_adds(sb, "</div>\n");

	strbuf_addf(sb, "<div class=\"card%s\" id=\"card-errors\"><h3>Unreadable "
	    "entries</h3><div class=\"big\">%lu</div><p>%s</p></div>\n",
	    ccpu_survey_nerrors(s) ? " warn" : "", ccpu_survey_nerrors(s),
	    ccpu_survey_nerrors(s) ? "<a href=\"#errors-h\">listed below</a>" :
	    "every entry was read");
	strbuf_adds(sb, "</section>\n");
}

/* JSON, indented, as the text of a pre element: each line escaped. */
static void
pre_json(struct strbuf *sb, const json_t *j)
{
	char	*t = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	char	*line, *nl;

	for (line = t; line != NULL && *line != '\0'; line = nl + 1) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		esc(sb, line);
		if (nl == NULL)
			break;
		strbuf_adds(sb, "\n");
	}
	free(t);
}

/* The nodeAffinity of image idx, or of the plan with (size_t)-1. */
static void
affinity(struct strbuf *sb, const struct ccpu_survey *s, size_t idx)
{
	json_t	*a;
	bool	 by_labels;

	if ((a = ccpu_survey_affinity(s, idx, &by_labels)) == NULL)
		return;
	strbuf_adds(sb, "<details><summary>Kubernetes nodeAffinity");
	if (idx != (size_t)-1) {
		strbuf_adds(sb, " for <b>");
		esc(sb, ccpu_survey_image(s, idx)->name);
		strbuf_adds(sb, "</b>");
	}
	strbuf_addf(sb, " (%s)</summary><pre class=\"mono\">", by_labels ?
	    "NFD labels" : "host names");
	pre_json(sb, a);
	strbuf_adds(sb, "</pre></details>\n");
	json_decref(a);
}

static bool
info_only(const struct ccpu_layout *l, const struct ccpu_featset *fs)
{
	int	b;

	if (ccpu_featset_empty(fs))
		return false;
	for (b = ccpu_featset_next(fs, 0); b >= 0; b = ccpu_featset_next(fs, b + 1))
		if (family(l, (unsigned int)b) != CCPU_REL_INFO)
			return false;
	return true;
}

/*
 * Where only informational bits (hv, tscinv...) keep an image from a class,
 * say so: checkpointed without them, the image would restore there too.
 */
static void
info_notes(struct strbuf *sb, const struct ccpu_survey *s, size_t j)
{
	const struct ccpu_layout	*l = ccpu_survey_layout(s);
	const struct ccpu_survey_image	*im = ccpu_survey_image(s, j);
	const struct ccpu_survey_class	*c;
	struct ccpu_featset		 seen[NOTE_SETS], v;
	char				 buf[CCPU_VALUE_MAX], nb[CCPU_LABEL_MAX];
	size_t				 nseen = 0, i, k, shown;
	unsigned long			 hosts;
	bool				 one;
	int				 b;

	for (i = 0; i < ccpu_survey_nclasses(s) && nseen < NOTE_SETS; i++) {
		if (im->restore[i] != CCPU_RESTORE_NO || !info_only(l, &im->missing[i]))
			continue;
		for (k = 0; k < nseen; k++)
			if (ccpu_featset_equal(&seen[k], &im->missing[i]))
				break;
		if (k < nseen)
			continue;
		seen[nseen++] = im->missing[i];
		strbuf_addf(sb, "<p class=\"note info-only\" data-image=\"%zu\"><b>", j);
		esc(sb, im->name);
		strbuf_adds(sb, "</b>: only <code>");
		names(sb, l, &im->missing[i]);
		strbuf_adds(sb, "</code> block");
		if (ccpu_featset_count(&im->missing[i]) == 1)
			strbuf_adds(sb, "s");
		strbuf_adds(sb, ": ");
		for (hosts = 0, shown = 0, k = i; k < ccpu_survey_nclasses(s); k++) {
			if (im->restore[k] != CCPU_RESTORE_NO ||
			    !ccpu_featset_equal(&im->missing[k], &im->missing[i]))
				continue;
			c = ccpu_survey_class(s, k);
			hosts += c->hosts;
			if (shown++ < NOTE_CLASSES)
				class_ref(sb, c);
		}
		if (shown > NOTE_CLASSES)
			strbuf_addf(sb, "and %zu more ", shown - NOTE_CLASSES);
		ccpu_featset_minus(&v, &im->value, &im->missing[i]);
		ccpu_jvm_format_value(l, &v, buf, sizeof(buf));
		strbuf_addf(sb, "(%lu host%s in %zu class%s). ", hosts, hosts == 1 ?
		    "" : "s", shown, shown == 1 ? "" : "es");
		for (b = ccpu_featset_next(&im->missing[i], 0); b >= 0;
		    b = ccpu_featset_next(&im->missing[i], b + 1)) {
			strbuf_adds(sb, "<code>");
			label(sb, l, (unsigned int)b);
			strbuf_adds(sb, "</code> (");
			esc(sb, ccpu_relevance(ccpu_layout_bit_label(l, (unsigned int)b,
			    nb, sizeof(nb))).why);
			strbuf_adds(sb, ") ");
		}
		one = ccpu_featset_count(&im->missing[i]) == 1;
		strbuf_addf(sb, "%s informational: the JIT emits nothing for %s. "
		    "Checkpointed with <code>-XX:CPUFeatures=%s</code> (its value "
		    "without %s), the image would restore there too.</p>\n",
		    one ? "is" : "are", one ? "it" : "them", buf, one ? "it" : "them");
	}
}

static void
glyph(struct strbuf *sb, enum ccpu_restore r)
{
	switch (r) {
	case CCPU_RESTORE_YES:
		strbuf_adds(sb, "<span class=\"g yes\" aria-label=\"restores\">&#10003;</span>");
		break;
	case CCPU_RESTORE_NO:
		strbuf_adds(sb, "<span class=\"g no\" aria-label=\"does not restore\">"
		    "&#10007;</span>");
		break;
	case CCPU_RESTORE_UNKNOWN:
		strbuf_adds(sb, "<span class=\"g unknown\" aria-label=\"cannot tell\">?</span>");
		break;
	}
}

/* Per image, how many hosts it restores on; then class by image, a glyph a cell. */
static void
matrix(struct strbuf *sb, const struct ccpu_survey *s)
{
	const struct ccpu_layout	*l = ccpu_survey_layout(s);
	const struct ccpu_survey_image	*im;
	const struct ccpu_survey_class	*c;
	char				 buf[CCPU_VALUE_MAX];
	unsigned long			 hosts = ccpu_survey_hosts(s), no;
	size_t				 i, j;
	unsigned int			 nmiss;

	if (ccpu_survey_nimages(s) == 0)
		return;
	strbuf_adds(sb, "<h2 id=\"restore-h\">Restore matrix</h2>\n<div class=\"img-sum\" "
	    "id=\"image-summary\">\n");
	for (j = 0; j < ccpu_survey_nimages(s); j++) {
		im = ccpu_survey_image(s, j);
		no = hosts - im->hosts_yes - im->hosts_unknown;
		ccpu_jvm_format_value(l, &im->value, buf, sizeof(buf));
		strbuf_adds(sb, "<div><b>");
		esc(sb, im->name);
		strbuf_addf(sb, "</b><br><code class=\"sid\">%s</code></div><div>"
		    "<div class=\"restores\">restores on <b>%lu</b> of %lu hosts", buf,
		    im->hosts_yes, hosts);
		if (im->hosts_unknown)
			strbuf_addf(sb, ", %lu cannot tell", im->hosts_unknown);
		strbuf_addf(sb, "</div><div class=\"stack\" role=\"img\" aria-label=\"%lu "
		    "restore, %lu cannot tell, %lu do not\"><span class=\"y\" "
		    "style=\"width:%.2f%%\"></span><span class=\"u\" style=\"width:%.2f%%\">"
		    "</span><span class=\"n\" style=\"width:%.2f%%\"></span></div></div>\n",
		    im->hosts_yes, im->hosts_unknown, no,
		    100.0 * (double)im->hosts_yes / (double)hosts,
		    100.0 * (double)im->hosts_unknown / (double)hosts,
		    100.0 * (double)no / (double)hosts);
	}
	strbuf_adds(sb, "</div>\n");
	for (j = 0; j < ccpu_survey_nimages(s); j++)
		info_notes(sb, s, j);

	strbuf_adds(sb, "<p class=\"legend\">"
	    "<span class=\"g yes\">&#10003;</span> restores &#160; "
	    "<span class=\"g no\">&#10007;</span> does not (what is missing after it, "
	    "all of it on hover) &#160; "
	    "<span class=\"g unknown\">?</span> cannot tell (only bits the source "
	    "cannot show are in doubt) &#160; "
	    "<span class=\"g no\" style=\"outline:2px dashed " NO ";outline-offset:1px;"
	    "background:#fff;color:" NO "\">&#10007;</span> only informational bits "
	    "block</p>\n");
	strbuf_adds(sb, "<div class=\"scroll\"><table class=\"sortable\" id=\"matrix\">"
	    "<thead><tr><th>CPU class</th><th>hosts</th>");
	for (j = 0; j < ccpu_survey_nimages(s); j++) {
		strbuf_adds(sb, "<th>");
		esc(sb, ccpu_survey_image(s, j)->name);
		strbuf_adds(sb, "</th>");
	}
	strbuf_adds(sb, "</tr></thead><tbody>\n");
	for (i = 0; i < ccpu_survey_nclasses(s); i++) {
		c = ccpu_survey_class(s, i);
		strbuf_addf(sb, "<tr><td data-v=\"%zu\">", i + 1);
		class_name(sb, c);
		strbuf_addf(sb, "</td><td class=\"num\">%lu</td>", c->hosts);
		for (j = 0; j < ccpu_survey_nimages(s); j++) {
			im = ccpu_survey_image(s, j);
			nmiss = ccpu_featset_count(&im->missing[i]);
			strbuf_addf(sb, "<td class=\"r%s\" data-v=\"%d\"",
			    im->restore[i] == CCPU_RESTORE_NO &&
			    info_only(l, &im->missing[i]) ? " info" : "",
			    im->restore[i] == CCPU_RESTORE_YES ? 0 :
			    im->restore[i] == CCPU_RESTORE_UNKNOWN ? 1 : 2);
			if (im->restore[i] != CCPU_RESTORE_YES) {
				strbuf_adds(sb, " title=\"");
				strbuf_adds(sb, im->restore[i] == CCPU_RESTORE_NO ?
				    "missing: " : "cannot tell: ");
				names(sb, l, &im->missing[i]);
				strbuf_adds(sb, "\"");
			}
			strbuf_adds(sb, ">");
			glyph(sb, im->restore[i]);
			if (im->restore[i] != CCPU_RESTORE_YES && nmiss > 0) {
				strbuf_adds(sb, "<small>");
				if (nmiss <= 2)
					names(sb, l, &im->missing[i]);
				else
					strbuf_addf(sb, "%u missing", nmiss);
				strbuf_adds(sb, "</small>");
			}
			strbuf_adds(sb, "</td>");
		}
		strbuf_adds(sb, "</tr>\n");
	}
	strbuf_adds(sb, "</tbody></table></div>\n");
	for (j = 0; j < ccpu_survey_nimages(s); j++)
		affinity(sb, s, j);
}

/*
 * The heat map's columns: the features some host uses or cannot tell, by
 * family (data/relevance.def), then bit.  Returns how many.
 */
static size_t
columns(const struct ccpu_layout *l, const struct ccpu_featset *cols,
    unsigned int *bits, enum ccpu_rel_class *fam)
{
	size_t		n = 0;
	unsigned int	k;
	int		b;

	for (k = 0; k < CCPU_REL_COUNT; k++)
		for (b = ccpu_featset_next(cols, 0); b >= 0;
		    b = ccpu_featset_next(cols, b + 1))
			if (family(l, (unsigned int)b) == (enum ccpu_rel_class)k) {
				bits[n] = (unsigned int)b;
				fam[n++] = (enum ccpu_rel_class)k;
			}
	return n;
}

static void
heatmap(struct strbuf *sb, const struct ccpu_survey *s, const struct ccpu_featset *cols)
{
	const struct ccpu_layout	*l = ccpu_survey_layout(s);
	const struct ccpu_survey_class	*c;
	const struct ccpu_featset	*plan = ccpu_survey_plan(s, NULL);
	unsigned int			 bits[CCPU_FEATSET_MAX], x[CCPU_FEATSET_MAX];
	enum ccpu_rel_class		 fam[CCPU_FEATSET_MAX];
	char				 buf[160], cut[LABEL + 4];
	size_t				 ncols, nrows = ccpu_survey_nclasses(s) + 1;
	size_t				 i, k, first, y, n, len, top;
	unsigned int			 width, b;
	const char			*fill, *state, *name;

	ncols = columns(l, cols, bits, fam);
	/* Room above the cells: the family band, then the longest name upright. */
	for (k = 0, top = 0; k < ncols; k++) {
		ccpu_layout_bit_label(l, bits[k], buf, sizeof(buf));
		if (strlen(buf) > top)
			top = strlen(buf);
	}
	top = BAND + top * CHAR_W + 8;
	for (k = 0, width = LEFT; k < ncols; k++) {
		if (k > 0 && fam[k] != fam[k - 1])
			width += GAP;
		x[k] = width;
		width += CELL;
	}
	strbuf_addf(sb, "<div class=\"scroll\"><svg id=\"heatmap\" "
	    "xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" height=\"%zu\" "
	    "role=\"img\" aria-label=\"CPU classes by features, grouped by family\">\n",
	    width + 10, top + nrows * CELL + GAP + 10);
	strbuf_adds(sb, "<defs><pattern id=\"hatch\" width=\"4\" height=\"4\" "
	    "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
	    "<rect width=\"4\" height=\"4\" fill=\"#fff\"/><rect width=\"2\" "
	    "height=\"4\" fill=\"#8a949e\"/></pattern></defs>\n");
	/* The family bands, then the feature names under them. */
	for (first = 0, k = 1; k <= ncols; k++) {
		if (k < ncols && fam[k] == fam[first])
			continue;
		n = k - first;
		name = ccpu_rel_class_name(fam[first]);
		/* the name where it fits, else its first letters */
		len = strlen(name);
		if (n * CELL < len * 7 + 6)
			len = n * CELL >= 30 ? 3 : 1;
		strbuf_addf(sb, "<g class=\"fgroup\" data-family=\"%s\"><title>%s: %zu "
		    "feature%s</title><rect class=\"band\" x=\"%u\" y=\"1\" "
		    "width=\"%zu\" height=\"%d\" rx=\"3\"/><text class=\"famname\" "
		    "x=\"%u\" y=\"13\">%.*s</text></g>\n", name, name, n,
		    n == 1 ? "" : "s", x[first], n * CELL, BAND - 4, x[first] + 3,
		    (int)len, name);
		first = k;
	}
	for (k = 0; k < ncols; k++) {
		strbuf_addf(sb, "<text transform=\"translate(%u,%zu) rotate(-90)\">",
		    x[k] + CELL / 2 + 4, top - 4);
		label(sb, l, bits[k]);
		strbuf_adds(sb, "</text>\n");
	}
	/* The plan first, then the classes. */
	for (i = 0; i < nrows; i++) {
		c = i > 0 ? ccpu_survey_class(s, i - 1) : NULL;
		y = top + i * CELL + (i > 0 ? GAP : 0);
		strbuf_addf(sb, "<text x=\"%d\" y=\"%zu\" text-anchor=\"end\">", LEFT - 6,
		    y + CELL - 3);
		if (c != NULL) {
			class_plain(c, buf, sizeof(buf));
			if (strlen(buf) > LABEL) {
				/* cut at a character, not inside one */
				for (n = LABEL; n > 0 && (buf[n] & 0xc0) == 0x80; n--)
					;
				snprintf(cut, sizeof(cut), "%.*s\xe2\x80\xa6", (int)n, buf);
			} else	/* at most LABEL bytes: it fits */
				memcpy(cut, buf, strlen(buf) + 1);
			esc(sb, cut);
			strbuf_addf(sb, " (%lu)<title>", c->hosts);
			esc(sb, buf);
			strbuf_addf(sb, ", %s %s</title>", c->id, c->stable_id);
		} else
			strbuf_adds(sb, "<tspan font-weight=\"600\">fleet-wide value</tspan>");
		strbuf_adds(sb, "</text>\n");
		for (k = 0; k < ncols; k++) {
			b = bits[k];
			if (c == NULL) {
				fill = ccpu_featset_has(plan, b) ? "p" : "l";
				state = ccpu_featset_has(plan, b) ? "in the value" :
				    "not in it";
			} else if (ccpu_featset_has(&c->used, b)) {
				fill = ccpu_featset_has(plan, b) ? "k" : "v";
				state = ccpu_featset_has(plan, b) ? "kept" :
				    "given up";
			} else if (ccpu_featset_has(&c->unknown, b)) {
				fill = "d";
				state = "cannot tell";
			} else {
				fill = "l";
				state = "lacks it";
			}
			strbuf_addf(sb, "<rect x=\"%u\" y=\"%zu\" width=\"%d\" "
			    "height=\"%d\" class=\"%s\"><title>",
			    x[k], y, CELL, CELL, fill);
			if (c != NULL)
				strbuf_addf(sb, "%s ", c->id);
			label(sb, l, b);
			strbuf_addf(sb, ": %s</title></rect>\n", state);
		}
	}
	strbuf_adds(sb, "</svg></div>\n<p class=\"legend\">"
	    "<span class=\"sw\" style=\"background:" YES "\"></span>has it, kept by the value"
	    "<span class=\"sw\" style=\"background:" GIVEN "\"></span>has it, given up "
	    "by the value"
	    "<span class=\"sw\" style=\"background:" LACKS "\"></span>lacks it"
	    "<span class=\"sw\" style=\"background:repeating-linear-gradient(45deg,"
	    "#8a949e 0 1.5px,#fff 1.5px 3px)\"></span>cannot tell"
	    "<span class=\"sw\" style=\"background:" PLAN "\"></span>in the fleet-wide "
	    "value</p>\n");
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
	strbuf_adds(sb, "<h2 id=\"image-classes-h\">Image classes</h2>\n");
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
		strbuf_adds(sb, " Left out, lacking a feature every value needs: ");
		for (i = 0; i < ccpu_survey_nclasses(s); i++)
			if ((c = ccpu_survey_class(s, i))->image_class < 0)
				class_ref(sb, c);
		strbuf_adds(sb, ".");
	}
	strbuf_adds(sb, "</p>\n<table class=\"sortable\" id=\"image-classes\"><thead>"
	    "<tr><th>image class</th><th>hosts</th><th>CPU classes</th>"
	    "<th>value</th><th>keeps over one image</th></tr></thead><tbody>\n");
	for (j = 0; j < sp->nimages; j++) {
		ccpu_jvm_format_value(l, &sp->images[j].value, buf, sizeof(buf));
		strbuf_addf(sb, "<tr><td class=\"num\">%u</td><td class=\"num\">%lu"
		    "</td><td class=\"feat\">", j + 1, sp->images[j].hosts);
		for (i = 0; i < ccpu_survey_nclasses(s); i++)
			if ((c = ccpu_survey_class(s, i))->image_class == (int)j)
				class_ref(sb, c);
		strbuf_addf(sb, "</td><td class=\"mono\">%s</td><td class=\"feat\">",
		    buf);
		grouped(sb, l, &sp->images[j].kept);
		strbuf_adds(sb, "</td></tr>\n");
	}
	strbuf_adds(sb, "</tbody></table>\n");
}

static void
cost(struct strbuf *sb, const struct ccpu_survey *s)
{
	const struct ccpu_layout	*l = ccpu_survey_layout(s);
	struct ccpu_featset		 lost;
	struct ccpu_relevance		 r;
	unsigned int			 bits[CCPU_FEATSET_MAX];
	char				 nb[CCPU_LABEL_MAX];
	unsigned long			 n, hosts = ccpu_survey_hosts(s);
	size_t				 nbits, i, k, lack;

	ccpu_featset_minus(&lost, ccpu_survey_union(s), ccpu_survey_plan(s, NULL));
	if (ccpu_featset_empty(&lost))
		return;
	strbuf_adds(sb, "<h2>What the value costs</h2>\n<p>Each feature some host has "
	    "that the fleet-wide value gives up, most costly first (the weight is "
	    "its rough share of what HotSpot gains, data/relevance.def).</p>\n"
	    "<table class=\"sortable\" id=\"cost\"><thead><tr><th>feature</th>"
	    "<th>family</th><th>weight</th><th>hosts that have it</th>"
	    "<th>classes that lack it</th></tr></thead><tbody>\n");
	nbits = ccpu_relevance_order(l, &lost, bits, nitems(bits));
	for (i = 0; i < nbits; i++) {
		r = ccpu_relevance(ccpu_layout_bit_label(l, bits[i], nb, sizeof(nb)));
		n = ccpu_survey_feature_hosts(s, bits[i]);
		strbuf_addf(sb, "<tr><td data-v=\"%s\" title=\"", nb);
		esc(sb, r.why);
		strbuf_adds(sb, "\"><code>");
		esc(sb, nb);
		strbuf_addf(sb, "</code></td><td>%s</td><td class=\"num\">%u</td>"
		    "<td class=\"num\" data-v=\"%lu\">%lu of %lu</td><td class=\"feat\" ",
		    ccpu_rel_class_name(r.rclass), r.weight, n, n, hosts);
		for (lack = 0, k = 0; k < ccpu_survey_nclasses(s); k++)
			if (!ccpu_featset_has(&ccpu_survey_class(s, k)->used, bits[i]))
				lack++;
		strbuf_addf(sb, "data-v=\"%zu\">", lack);
		if (lack > COST_CLASSES)
			strbuf_addf(sb, "<details><summary>%zu of %zu classes</summary>",
			    lack, ccpu_survey_nclasses(s));
		for (k = 0; k < ccpu_survey_nclasses(s); k++)
			if (!ccpu_featset_has(&ccpu_survey_class(s, k)->used, bits[i]))
				class_ref(sb, ccpu_survey_class(s, k));
		strbuf_adds(sb, lack > COST_CLASSES ? "</details></td></tr>\n" :
		    "</td></tr>\n");
	}
	strbuf_adds(sb, "</tbody></table>\n");
}

/* The host names the survey holds for a class: every NFD node, else examples. */
static bool
complete_list(const struct ccpu_survey_class *c)
{
	return c->nnodes == c->hosts && c->nnodes > 0;
}

static void
class_table(struct strbuf *sb, const struct ccpu_survey *s)
{
	const struct ccpu_layout	*l = ccpu_survey_layout(s);
	const struct ccpu_survey_class	*c;
	char				 buf[CCPU_VALUE_MAX];
	size_t				 i, j;
	bool				 all = true;

	for (i = 0; i < ccpu_survey_nclasses(s); i++)
		all = all && complete_list(ccpu_survey_class(s, i));
	strbuf_adds(sb, "<h2 id=\"classes-h\">CPU classes</h2>\n<p>Hosts whose JVM "
	    "would use the same features, named by microarchitecture and CPU; the "
	    "rank <span class=\"sid\">c1</span> changes as the fleet changes, the "
	    "stable id beside it does not. ");
	if (all)
		strbuf_adds(sb, "Every host is listed (Kubernetes nodes). ");
	else
		strbuf_addf(sb, "The survey keeps %d example hosts per class; for the "
		    "full list, host by host, run <code>crac-cpu survey --assignments "
		    "FILE</code>. ", CCPU_SURVEY_EXAMPLES);
	strbuf_addf(sb, "<a class=\"dl\" id=\"dl-classes\" download=\"crac-cpu-survey-"
	    "classes.csv\" href=\"#\">Download the class list (CSV%s)</a></p>\n",
	    all ? "" : ", example hosts");

	strbuf_adds(sb, "<table class=\"sortable\" id=\"classes\">"
	    "<thead><tr><th>CPU class</th><th>hosts</th><th>CPUs</th><th>hosts</th>"
	    "<th>value</th><th>loses to the fleet-wide value</th>"
	    "<th>blocks</th></tr></thead><tbody>\n");
	for (i = 0; i < ccpu_survey_nclasses(s); i++) {
		c = ccpu_survey_class(s, i);
		ccpu_jvm_format_value(l, &c->used, buf, sizeof(buf));
		strbuf_addf(sb, "<tr id=\"class-%s\"><td data-v=\"%zu\">", c->id, i + 1);
		class_name(sb, c);
		strbuf_addf(sb, "</td><td class=\"num\">%lu</td><td>", c->hosts);
		for (j = 0; j < c->nmodels; j++) {
			/* The vendor and brand strings come from the input: escaped. */
			strbuf_adds(sb, j ? "<br>" : "");
			esc(sb, c->models[j].vendor);
			strbuf_addf(sb, " %u/%u", c->models[j].family, c->models[j].model);
			if (c->models[j].brand[0] && c->nmodels > 1) {
				strbuf_adds(sb, " <span class=\"none\">");
				esc(sb, c->models[j].brand);
				strbuf_adds(sb, "</span>");
			}
			strbuf_addf(sb, ": %lu", c->models[j].hosts);
		}
		if (c->other_models)
			strbuf_addf(sb, "<br>other models: %lu", c->other_models);
		if (c->nfd_hosts)
			strbuf_addf(sb, "<br><i>%lu from NFD labels</i>", c->nfd_hosts);
		strbuf_adds(sb, "</td><td class=\"hostlist\">");
		if (complete_list(c)) {
			for (j = 0; j < c->nnodes && j < CCPU_SURVEY_EXAMPLES; j++) {
				strbuf_adds(sb, j ? "<br>" : "");
				esc(sb, c->nodes[j]);
			}
			if (c->nnodes > CCPU_SURVEY_EXAMPLES)
				strbuf_addf(sb, "<br>and %zu more", c->nnodes -
				    CCPU_SURVEY_EXAMPLES);
		} else {
			for (j = 0; j < c->nexamples; j++) {
				strbuf_adds(sb, j ? "<br>" : "");
				esc(sb, c->examples[j]);
			}
			if (c->hosts > c->nexamples)
				strbuf_addf(sb, "<br><span class=\"none\">%lu more: "
				    "--assignments FILE</span>", c->hosts - c->nexamples);
		}
		strbuf_addf(sb, "<br><a class=\"dl\" data-class=\"%zu\" download=\""
		    "crac-cpu-class-%s.txt\" href=\"#\">download %s</a>", i,
		    c->stable_id, complete_list(c) ? "all" : "examples");
		strbuf_addf(sb, "</td><td class=\"mono\">%s</td><td class=\"feat\" "
		    "data-v=\"%u\">", buf, ccpu_featset_count(&c->lost));
		if (ccpu_featset_empty(&c->lost))
			none(sb);
		else {
			strbuf_addf(sb, "<details><summary>%u feature%s</summary>",
			    ccpu_featset_count(&c->lost),
			    ccpu_featset_count(&c->lost) == 1 ? "" : "s");
			grouped(sb, l, &c->lost);
			strbuf_adds(sb, "</details>");
		}
		strbuf_addf(sb, "</td><td class=\"feat\" data-v=\"%u\">",
		    ccpu_featset_count(&c->gain));
		grouped(sb, l, &c->gain);
		strbuf_adds(sb, "</td></tr>\n");
	}
	strbuf_adds(sb, "</tbody></table>\n");
}

static void
feature_table(struct strbuf *sb, const struct ccpu_survey *s, const struct ccpu_featset *cols)
{
	const struct ccpu_layout	*l = ccpu_survey_layout(s);
	unsigned int			 bits[CCPU_FEATSET_MAX];
	enum ccpu_rel_class		 fam[CCPU_FEATSET_MAX];
	unsigned long			 hosts = ccpu_survey_hosts(s), n;
	size_t				 ncols, k;

	strbuf_adds(sb, "<h2>Features</h2>\n<table class=\"sortable\" id=\"features\">"
	    "<thead><tr><th>family</th><th>feature</th><th>bit</th><th>hosts</th>"
	    "<th>share</th><th>unknown</th></tr></thead><tbody>\n");
	ncols = columns(l, cols, bits, fam);
	for (k = 0; k < ncols; k++) {
		n = ccpu_survey_feature_hosts(s, bits[k]);
		strbuf_addf(sb, "<tr><td data-v=\"%u %03u\">%s</td><td><code>",
		    (unsigned int)fam[k], bits[k], ccpu_rel_class_name(fam[k]));
		label(sb, l, bits[k]);
		strbuf_addf(sb, "</code></td><td class=\"num\">%u</td><td class=\"num\">"
		    "%lu</td><td data-v=\"%lu\"><span class=\"stack\" style=\"display:"
		    "inline-flex;min-width:0;width:120px;height:10px;vertical-align:"
		    "middle\"><span class=\"y\" style=\"width:%lupx\"></span></span> "
		    "%lu%%</td><td class=\"num\">%lu</td></tr>\n", bits[k], n, n,
		    hosts ? n * 120 / hosts : 0, hosts ? n * 100 / hosts : 0,
		    ccpu_survey_feature_unknown(s, bits[k]));
	}
	strbuf_adds(sb, "</tbody></table>\n");
}

static void
error_table(struct strbuf *sb, const struct ccpu_survey *s)
{
	const struct ccpu_survey_error	*e;
	size_t				 i;

	if (ccpu_survey_nerrors(s) == 0)
		return;
	strbuf_addf(sb, "<h2 id=\"errors-h\">Unreadable entries (%lu)</h2>\n",
	    ccpu_survey_nerrors(s));
	if (ccpu_survey_nerrors(s) > ccpu_survey_nerrors_listed(s))
		strbuf_addf(sb, "<p>The first %zu are listed.</p>\n",
		    ccpu_survey_nerrors_listed(s));
	strbuf_adds(sb, "<table class=\"sortable\" id=\"errors\"><thead><tr><th>file</th>"
	    "<th>line</th><th>error</th></tr></thead><tbody>\n");
	for (i = 0; i < ccpu_survey_nerrors_listed(s); i++) {
		e = ccpu_survey_error(s, i);
		strbuf_adds(sb, "<tr><td>");
		esc(sb, e->file);
		strbuf_addf(sb, "</td><td class=\"num\">%lu</td><td>", e->line);
		esc(sb, e->msg);
		strbuf_adds(sb, "</td></tr>\n");
	}
	strbuf_adds(sb, "</tbody></table>\n");
}

/* The names of a JVM value object ("names": [...]), space-separated. */
static void
value_names(struct strbuf *sb, const json_t *value)
{
	const json_t	*n = json_object_get(value, "names");
	size_t		 i;

	for (i = 0; i < json_array_size(n); i++) {
		strbuf_adds(sb, i ? " " : "");
		esc(sb, json_string_value(json_array_get(n, i)));
	}
	if (i == 0)
		none(sb);
}

/*
 * The aarch64 hosts, from the same object the JSON report holds (so the
 * two cannot disagree): their classes, one plan per PAC kind with the
 * classes to checkpoint on when it drops lse, and the affinity.  No image
 * of one architecture is shown against hosts of the other.
 */
static void
a64_section(struct strbuf *sb, const struct ccpu_survey *s)
{
	json_t		*a, *c, *p, *x;
	const char	*v, *by;
	size_t		 i, j;
	json_int_t	 n;

	if (ccpu_survey_a64_hosts(s) == 0)
		return;
	a = survey_a64_json(s);
	strbuf_addf(sb, "<h2 id=\"aarch64-h\">aarch64 hosts</h2>\n<p>%lu host%s "
	    "in %zu CPU class%s, by their value in the aarch64 layout <code>",
	    ccpu_survey_a64_hosts(s), ccpu_survey_a64_hosts(s) == 1 ? "" : "s",
	    ccpu_survey_a64_nclasses(s), ccpu_survey_a64_nclasses(s) == 1 ?
	    "" : "es");
	esc(sb, ccpu_a64_layout_name(ccpu_survey_a64_layout(s)));
	strbuf_adds(sb, "</code> (");
	esc(sb, ccpu_a64_layout_summary(ccpu_survey_a64_layout(s)));
	strbuf_adds(sb, "). An image restores on the architecture it was "
	    "checkpointed on only: no x86-64 image restores on these hosts, "
	    "and hosts with and without pointer authentication (PAC) need one "
	    "image each.</p>\n<table class=\"sortable\" id=\"a64-classes\">"
	    "<thead><tr><th>class</th><th>hosts</th><th>CPU</th><th>examples"
	    "</th><th>value</th><th>features</th></tr></thead><tbody>\n");
	json_array_foreach(json_object_get(a, "classes"), i, c) {
		strbuf_adds(sb, "<tr><td>");
		esc(sb, json_string_value(json_object_get(c, "id")));
		strbuf_addf(sb, "</td><td class=\"num\">%" JSON_INTEGER_FORMAT
		    "</td><td>", json_integer_value(json_object_get(c,
		    "host_count")));
		json_array_foreach(json_object_get(c, "cpus"), j, x) {
			strbuf_adds(sb, j ? "<br>" : "");
			esc(sb, json_string_value(json_object_get(x, "name")));
			strbuf_addf(sb, " <code>%s</code>: %" JSON_INTEGER_FORMAT,
			    json_string_value(json_object_get(x, "midr")),
			    json_integer_value(json_object_get(x, "host_count")));
		}
		strbuf_adds(sb, "</td><td>");
		json_array_foreach(json_object_get(c, "examples"), j, x) {
			strbuf_adds(sb, j ? ", " : "");
			esc(sb, json_string_value(x));
		}
		if (json_integer_value(json_object_get(c, "host_count")) >
		    (json_int_t)j)
			strbuf_adds(sb, ", &#8230;");
		v = json_string_value(json_object_get(json_object_get(c,
		    "value"), "value"));
		strbuf_adds(sb, "</td><td class=\"mono\">");
		esc(sb, v != NULL ? v : "");
		strbuf_adds(sb, "</td><td>");
		value_names(sb, json_object_get(c, "value"));
		strbuf_adds(sb, "</td></tr>\n");
	}
	strbuf_adds(sb, "</tbody></table>\n<h3>aarch64 plans</h3>\n");
	json_array_foreach(json_object_get(a, "plans"), i, p) {
		v = json_string_value(json_object_get(json_object_get(p,
		    "value"), "value"));
		n = json_integer_value(json_object_get(p, "host_count"));
		strbuf_addf(sb, "<div class=\"plan\" id=\"a64-plan-%s\">Hosts %s "
		    "PAC (%" JSON_INTEGER_FORMAT " host%s): <code>"
		    "-XX:CPUFeatures=", json_is_true(json_object_get(p, "pac")) ?
		    "pac" : "nopac", json_is_true(json_object_get(p, "pac")) ?
		    "with" : "without", n, n == 1 ? "" : "s");
		esc(sb, v != NULL ? v : "");
		strbuf_adds(sb, "</code><br>");
		value_names(sb, json_object_get(p, "value"));
		x = json_object_get(p, "checkpoint_on");
		if (json_is_array(x)) {
			strbuf_adds(sb, "<br>Checkpoint on a host of");
			for (j = 0; j < json_array_size(x); j++) {
				strbuf_adds(sb, " ");
				esc(sb, json_string_value(json_array_get(x, j)));
			}
			if (json_array_size(x) == 0)
				strbuf_adds(sb, " (none of them can)");
			strbuf_adds(sb, " (not every host can make the image: ");
			esc(sb, json_string_value(json_object_get(p,
			    "checkpoint_why")));
			strbuf_adds(sb, ")");
		}
		by = json_string_value(json_object_get(p, "affinity_by"));
		strbuf_addf(sb, "<details><summary>Kubernetes nodeAffinity for "
		    "this image (%s)</summary><pre class=\"mono\">",
		    by != NULL && strcmp(by, "labels") == 0 ? "crac-cpu's "
		    "labels: every feature of the value, its PAC kind among "
		    "them" : "kubernetes.io/arch alone: not every aarch64 host "
		    "carries crac-cpu's labels, and the architecture does not "
		    "tell PAC kinds apart");
		pre_json(sb, json_object_get(p, "affinity"));
		strbuf_adds(sb, "</pre></details>");
		strbuf_adds(sb, "</div>\n");
	}
	json_decref(a);
}

/* A string from input for the embedded JSON: escaped like the page's text. */
static json_t *
jstr(const char *s)
{
	struct strbuf	 t = STRBUF_INIT;
	char		*text;
	json_t		*j;

	esc_adds(&t, s);
	text = strbuf_detach(&t);
	j = json_string(text);		/* NULL only if not UTF-8: esc made it so */
	free(text);
	return j != NULL ? j : json_string("");
}

/*
 * The data the downloads are built from, as JSON in a script element that
 * is never run: "<", ">" and "&" written as \u escapes, so no string from
 * input can close the element.
 */
static void
embedded(struct strbuf *sb, const struct ccpu_survey *s)
{
	const struct ccpu_layout	*l = ccpu_survey_layout(s);
	const struct ccpu_survey_class	*c;
	json_t				*doc = json_object(), *classes = json_array();
	json_t				*o, *list;
	char				 buf[CCPU_VALUE_MAX], cpu[64], *t, *p;
	size_t				 i, j;

	for (i = 0; i < ccpu_survey_nclasses(s); i++) {
		c = ccpu_survey_class(s, i);
		o = json_object();
		json_object_set_new(o, "id", json_string(c->id));
		json_object_set_new(o, "stable_id", json_string(c->stable_id));
		json_object_set_new(o, "uarch", jstr(c->uarch.name));
		json_object_set_new(o, "cpu", jstr(class_cpu(c, cpu, sizeof(cpu))));
		json_object_set_new(o, "host_count", json_integer((json_int_t)c->hosts));
		ccpu_jvm_format_value(l, &c->used, buf, sizeof(buf));
		json_object_set_new(o, "value", json_string(buf));
		list = json_array();
		if (complete_list(c))
			for (j = 0; j < c->nnodes; j++)
				json_array_append_new(list, jstr(c->nodes[j]));
		else
			for (j = 0; j < c->nexamples; j++)
				json_array_append_new(list, jstr(c->examples[j]));
		json_object_set_new(o, "complete", json_boolean(complete_list(c)));
		json_object_set_new(o, "list", list);
		json_array_append_new(classes, o);
	}
	json_object_set_new(doc, "classes", classes);
	t = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(doc);
	strbuf_adds(sb, "<script type=\"application/json\" id=\"survey-data\">");
	for (p = t; p != NULL && *p; p++) {
		if (*p == '<')
			strbuf_adds(sb, "\\u003c");
		else if (*p == '>')
			strbuf_adds(sb, "\\u003e");
		else if (*p == '&')
			strbuf_adds(sb, "\\u0026");
		else
			strbuf_add(sb, p, 1);
	}
	strbuf_adds(sb, t != NULL ? "</script>\n" : "{\"classes\":[]}</script>\n");
	free(t);
}

char *
ccpu_survey_html(const struct ccpu_survey *s)
{
	const struct ccpu_layout	*l = ccpu_survey_layout(s);
	const struct ccpu_featset	*plan;
	struct strbuf			 sb = STRBUF_INIT;
	struct ccpu_featset		 cols = *ccpu_survey_union(s);
	char				 buf[CCPU_VALUE_MAX];
	size_t				 i;
	bool				 valid;

	plan = ccpu_survey_plan(s, &valid);
	for (i = 0; i < ccpu_survey_nclasses(s); i++)
		ccpu_featset_or(&cols, &ccpu_survey_class(s, i)->unknown);

	strbuf_adds(&sb, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width\">"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	    "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
	    "<title>crac-cpu survey</title>\n<style>");
	strbuf_adds(&sb, css);
	strbuf_adds(&sb, "</style></head>\n<body><main>\n<pre id=\"js-errors\"></pre>\n");
	header(&sb, s);
	if (ccpu_survey_hosts(s) == 0) {
		/* An aarch64 fleet: nothing of x86-64 to show. */
		a64_section(&sb, s);
		goto tail;
	}
	cards(&sb, s);
	matrix(&sb, s);

	ccpu_jvm_format_value(l, plan, buf, sizeof(buf));
	strbuf_addf(&sb, "<h2>Fleet-wide value</h2>\n<div class=\"plan\" id=\"plan\">"
	    "<code>-XX:CPUFeatures=%s</code>%s<br>", buf, valid ? "" :
	    " <b>not a usable value: use generic</b>");
	grouped(&sb, l, plan);
	strbuf_adds(&sb, "</div>\n");
	affinity(&sb, s, (size_t)-1);
	split(&sb, s);
	strbuf_adds(&sb, "<h2>Classes by features</h2>\n");
	heatmap(&sb, s, &cols);
	cost(&sb, s);
	class_table(&sb, s);
	feature_table(&sb, s, &cols);
	a64_section(&sb, s);
tail:
	error_table(&sb, s);
	embedded(&sb, s);
	strbuf_adds(&sb, "<script>\n");
	strbuf_adds(&sb, js);
	strbuf_adds(&sb, "</script>\n</main></body></html>\n");
	return strbuf_detach(&sb);
}
