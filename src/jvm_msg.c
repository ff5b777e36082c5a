/*
 * Recognising CRaC's CPU-feature messages in pasted logs: a small pattern
 * matcher over data/jvm-messages.def (literal text with %v, %s and %n
 * placeholders), and the GLIBC_TUNABLES hwcaps names of
 * data/glibc-tunables.def.  Input is untrusted text: every copy is bounded
 * and a line longer than CCPU_MSG_LINE_MAX is never a message.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "ccpu/jvm.h"
#include "jvm_impl.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

struct msgdef {
	const char	*id;
	const char	*pattern;
	const char	*roles;
	const char	*era;
	const char	*override;
	const char	*meaning;
	const char	*use;
	const char	*why;
};

static const struct msgdef msgs[] = {
#define M(id, pattern, roles, era, override, meaning, use, why) \
	{ id, pattern, roles, era, override, meaning, use, why },
#include "jvm-messages.def"
#undef M
};

struct tunable {
	const char	*name;
	const char	*jvm;
	const char	*fallback;
};

static const struct tunable tunables[] = {
#define T(name, jvm, fallback)	{ name, jvm, fallback },
#include "glibc-tunables.def"
#undef T
};

const char *
ccpu_jvm_message_id(size_t i)
{
	return i < nitems(msgs) ? msgs[i].id : NULL;
}

/* Copy [s, e) trimmed of blanks into dst (size bytes). */
static void
copy_trim(char *dst, size_t size, const char *s, const char *e)
{
	size_t	n;

	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	n = (size_t)(e - s);
	if (n >= size)
		n = size - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* The i-th blank-separated word of roles, or NULL. */
static const char *
role_word(const char *roles, size_t i, char *buf, size_t size)
{
	const char	*p = roles, *w;
	size_t		 n;

	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			return NULL;
		w = p;
		while (*p != ' ' && *p != '\0')
			p++;
		if (i-- == 0) {
			n = (size_t)(p - w) < size - 1 ? (size_t)(p - w) : size - 1;
			memcpy(buf, w, n);
			buf[n] = '\0';
			return buf;
		}
	}
}

/* The canonical role strings, so that out->values[].role outlives roles. */
static const char *
intern_role(const char *r)
{
	static const char *const known[] = {
		"specified", "current", "used", "saved", "missing",
		"suggested", "mandatory", "image", "constraint",
	};
	size_t	i;

	for (i = 0; i < nitems(known); i++)
		if (strcmp(known[i], r) == 0)
			return known[i];
	return "value";
}

/* A value as messages print it, or an image bitmap (hex bytes, maybe spaced). */
static bool
parse_message_value(const char *text, struct ccpu_featset *out)
{
	char	hex[CCPU_BITMAP_HEX + 1];
	size_t	n = 0;
	const char *p;

	if (strchr(text, ',') != NULL)
		return ccpu_jvm_parse_words(text, strlen(text), CCPU_PARSE_HEX,
		    out, NULL) == 0;
	for (p = text; *p != '\0'; p++) {
		if (isspace((unsigned char)*p))
			continue;
		if (!isxdigit((unsigned char)*p) || n == CCPU_BITMAP_HEX)
			return false;
		hex[n++] = *p;
	}
	return n == CCPU_BITMAP_HEX && ccpu_jvm_parse_bitmap(hex, n, out,
	    NULL) == 0;
}

/*
 * Match pattern at s (NUL-terminated).  Placeholders capture up to the
 * first occurrence of the literal that follows them, or to the end.
 */
static bool
match_at(const struct msgdef *m, const char *s, struct ccpu_jvm_message *out)
{
	const char	*p = m->pattern, *lit, *found;
	char		 litbuf[256], role[32];
	size_t		 litlen, nv = 0;
	char		 kind;

	memset(out, 0, sizeof(*out));
	while (*p != '\0') {
		if (p[0] != '%') {
			lit = p;
			while (*p != '\0' && *p != '%')
				p++;
			litlen = (size_t)(p - lit);
			if (strncmp(s, lit, litlen) != 0)
				return false;
			s += litlen;
			continue;
		}
		kind = p[1];
		p += 2;
		/* The literal after the placeholder. */
		lit = p;
		while (*p != '\0' && *p != '%')
			p++;
		litlen = (size_t)(p - lit);
		p = lit;
		if (litlen >= sizeof(litbuf))
			return false;
		memcpy(litbuf, lit, litlen);
		litbuf[litlen] = '\0';
		found = litlen == 0 || kind == 'n' ? s + strlen(s) :
		    strstr(s, litbuf);
		if (found == NULL)
			return false;
		if (kind == 'v') {
			if (nv == CCPU_MSG_VALUES ||
			    role_word(m->roles, nv, role, sizeof(role)) == NULL)
				return false;
			out->values[nv].role = intern_role(role);
			copy_trim(out->values[nv].text,
			    sizeof(out->values[nv].text), s, found);
			out->values[nv].parsed = parse_message_value(
			    out->values[nv].text, &out->values[nv].set);
			nv++;
		} else if (out->nargs < CCPU_MSG_ARGS) {
			copy_trim(out->args[out->nargs],
			    sizeof(out->args[0]), s, found);
			out->nargs++;
		}
		s = found;
	}
	out->nvalues = nv;
	out->id = m->id;
	out->era = m->era;
	out->override = m->override;
	out->meaning = m->meaning;
	out->use = m->use;
	out->why = m->why;
	return true;
}

bool
ccpu_jvm_message_parse(const char *line, size_t len,
    struct ccpu_jvm_message *out)
{
	char		 buf[CCPU_MSG_LINE_MAX + 1];
	const char	*first, *at;
	char		 head[256];
	size_t		 i, n;

	if (len > CCPU_MSG_LINE_MAX)
		return false;
	memcpy(buf, line, len);
	buf[len] = '\0';
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	for (i = 0; i < nitems(msgs); i++) {
		/* The literal the pattern starts with anchors the search. */
		first = msgs[i].pattern;
		n = strcspn(first, "%");
		if (n == 0 || n >= sizeof(head))
			continue;
		memcpy(head, first, n);
		head[n] = '\0';
		for (at = strstr(buf, head); at != NULL; at = strstr(at + 1, head))
			if (match_at(&msgs[i], at, out))
				return true;
	}
	return false;
}

size_t
ccpu_jvm_tunables(const struct ccpu_layout *l, const char *text,
    struct ccpu_featset *out, char *unknown, size_t size)
{
	const char	*p, *e;
	char		 name[64];
	size_t		 i, n, count = 0, u = 0;
	int		 bit;

	ccpu_featset_clear(out);
	if (unknown != NULL && size > 0)
		unknown[0] = '\0';
	/* Only the glibc.cpu.hwcaps tunable lists features. */
	if ((p = strstr(text, "glibc.cpu.hwcaps=")) == NULL)
		return 0;
	p += strlen("glibc.cpu.hwcaps=");
	while (*p != '\0' && *p != ':') {
		if (*p == ',' || *p == '-' || *p == '+') {
			p++;
			continue;
		}
		e = p + strcspn(p, ",:");
		n = (size_t)(e - p) < sizeof(name) - 1 ? (size_t)(e - p) :
		    sizeof(name) - 1;
		memcpy(name, p, n);
		name[n] = '\0';
		p = e;
		count++;
		bit = -1;
		for (i = 0; i < nitems(tunables); i++)
			if (strcmp(tunables[i].name, name) == 0) {
				bit = ccpu_layout_bit(l, tunables[i].jvm);
				if (bit < 0 && tunables[i].fallback != NULL)
					bit = ccpu_layout_bit(l,
					    tunables[i].fallback);
				break;
			}
		if (bit >= 0)
			ccpu_featset_add(out, (unsigned int)bit);
		else if (unknown != NULL && u + n + 2 < size)
			u += (size_t)snprintf(unknown + u, size - u, "%s%s",
			    u > 0 ? "," : "", name);
	}
	return count;
}

/* The parsed value of role, or NULL. */
static const struct ccpu_featset *
role_value(const struct ccpu_jvm_message *m, const char *role, size_t len)
{
	size_t	i;

	for (i = 0; i < m->nvalues; i++)
		if (strlen(m->values[i].role) == len &&
		    strncmp(m->values[i].role, role, len) == 0 &&
		    m->values[i].parsed)
			return &m->values[i].set;
	return NULL;
}

bool
ccpu_jvm_message_advice(const struct ccpu_jvm_message *m,
    struct ccpu_featset *use, const char **why)
{
	const struct ccpu_featset	*v;
	struct ccpu_featset		 acc;
	const char			*p = m->use, *amp;
	size_t				 n;
	bool				 first = true;

	if (p == NULL)
		return false;
	while (*p != '\0') {
		amp = strstr(p, " & ");
		n = amp != NULL ? (size_t)(amp - p) : strlen(p);
		if ((v = role_value(m, p, n)) == NULL)
			return false;
		if (first)
			acc = *v;
		else
			ccpu_featset_and(&acc, v);
		first = false;
		p += n + (amp != NULL ? 3 : 0);
	}
	*use = acc;
	if (why != NULL)
		*why = m->why;
	return !first;
}
