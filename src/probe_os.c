/*
 * The OS facts of a live capture, on every architecture: kernel, host name,
 * capture time and the system glibc's version.  The CPU capture itself is
 * per architecture (src/x86_64/probe.c, src/aarch64/probe.c), chosen by the
 * Makefile.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "ccpu/probe.h"
#include "probe_impl.h"

/*
 * The version of the system's glibc, the one a JVM started here links
 * with: crac-cpu is linked statically, so gnu_get_libc_version() would
 * only name the glibc it was built with.  The files tried are the
 * architecture's probe_libc_paths, its dynamic loader first.  Before 2.34
 * the files are named for their version (ld-2.31.so, libc-2.31.so); from
 * 2.34 on their text says
 * "ld.so (...) stable release version 2.36." (libc.so.6: "GNU C Library
 * (...) ...").  "" when there is no glibc (musl, a distroless root): the
 * glibc risk is then unchecked.
 */
void
ccpu_probe_glibc(char *buf, size_t size)
{
	static const char	 rel[] = " stable release version ";
	struct stat		 st;
	const char		*base, *v, *end;
	char			 real[PATH_MAX];
	void			*map;
	size_t			 i, k, n;
	int			 fd;

	buf[0] = '\0';
	for (i = 0; probe_libc_paths[i] != NULL; i++) {
		if (realpath(probe_libc_paths[i], real) == NULL)
			continue;
		base = strrchr(real, '/') != NULL ? strrchr(real, '/') + 1 : real;
		k = strncmp(base, "libc-", 5) == 0 ? 5 :
		    strncmp(base, "ld-", 3) == 0 ? 3 : 0;
		if (k > 0 && (n = strspn(base + k, "0123456789.")) > 0 &&
		    strcmp(base + k + n, ".so") == 0) {
			snprintf(buf, size, "%.*s", (int)n, base + k);
			return;
		}
		fd = open(real, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (fd == -1)
			continue;
		if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
		    st.st_size <= 0 || st.st_size > (off_t)(64 << 20) ||
		    (map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE,
		    fd, 0)) == MAP_FAILED) {
			close(fd);
			continue;
		}
		close(fd);
		end = (const char *)map + st.st_size;
		v = memmem(map, (size_t)st.st_size, rel, sizeof(rel) - 1);
		if (v != NULL) {
			v += sizeof(rel) - 1;
			for (n = 0; v + n < end && n + 1 < size &&
			    ((v[n] >= '0' && v[n] <= '9') || (v[n] == '.' &&
			    v + n + 1 < end && v[n + 1] >= '0' && v[n + 1] <= '9'));
			    n++)
				;
			snprintf(buf, size, "%.*s", (int)n, v);
		}
		munmap(map, (size_t)st.st_size);
		if (buf[0] != '\0')
			return;
	}
}

/*
 * The gate does without the time, since glibc's gmtime_r reads the time
 * zone file, and reads the glibc version only when a check needs it.
 */
void
probe_os_facts(struct ccpu_profile *p, bool with_time, bool with_glibc)
{
	struct utsname	u;
	struct tm	tm;
	time_t		now = time(NULL);

	if (uname(&u) == 0) {
		snprintf(p->kernel, sizeof(p->kernel), "%s", u.release);
		snprintf(p->hostname, sizeof(p->hostname), "%s", u.nodename);
	}
	if (with_glibc)
		ccpu_probe_glibc(p->glibc, sizeof(p->glibc));
	if (with_time && gmtime_r(&now, &tm) != NULL)
		snprintf(p->captured, sizeof(p->captured),
		    "%04u-%02u-%02uT%02u:%02u:%02uZ",
		    (unsigned int)(tm.tm_year + 1900) % 10000u,
		    (unsigned int)(tm.tm_mon + 1) % 100u, (unsigned int)tm.tm_mday % 100u,
		    (unsigned int)tm.tm_hour % 100u, (unsigned int)tm.tm_min % 100u,
		    (unsigned int)tm.tm_sec % 100u);
	memcpy(p->source, "live", 5);
}
