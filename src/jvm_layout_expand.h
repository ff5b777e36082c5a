/*
 * Expands one data/layout-*.def into the static tables of a layout.  Include
 * it once per layout from jvm.c with LAYOUT_DEF (the file name) and
 * LAYOUT_PFX (an identifier prefix) defined; it undefines both.
 * Deliberately without an include guard.
 */
#define LX_CAT_(a, b)	a##_##b
#define LX_CAT(a, b)	LX_CAT_(a, b)
#define LX_W(bit, w)	((bit) / 64 == (w) ? UINT64_C(1) << ((bit) % 64) : 0)

static const struct jvm_bit LX_CAT(LAYOUT_PFX, bits)[] = {
#define B(bit, f, name)	{ bit, F_##f, name },
#include LAYOUT_DEF
#undef B
};

static const unsigned char LX_CAT(LAYOUT_PFX, featbit)[F_COUNT] = {
#define B(bit, f, name)	[F_##f] = (bit) + 1,
#include LAYOUT_DEF
#undef B
};

static const struct ccpu_featset LX_CAT(LAYOUT_PFX, valid) = { {
	0
#define B(bit, f, name)	| LX_W(bit, 0)
#include LAYOUT_DEF
#undef B
	, 0
#define B(bit, f, name)	| LX_W(bit, 1)
#include LAYOUT_DEF
#undef B
	, 0, 0
} };

static const struct ccpu_featset LX_CAT(LAYOUT_PFX, glibc) = { {
	0
#define B(bit, f, name)	| ((int)FK_##f == (int)KIND_GLIBC ? LX_W(bit, 0) : 0)
#include LAYOUT_DEF
#undef B
	, 0
#define B(bit, f, name)	| ((int)FK_##f == (int)KIND_GLIBC ? LX_W(bit, 1) : 0)
#include LAYOUT_DEF
#undef B
	, 0, 0
} };

#undef LX_W
#undef LX_CAT
#undef LX_CAT_
#undef LAYOUT_DEF
#undef LAYOUT_PFX
