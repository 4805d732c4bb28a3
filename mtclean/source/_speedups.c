/* C twins of the source checks' hot loops, for speed. Each mirrors a Python function
 * named in its comment (the twin), which stays the reference: it runs where this module
 * is not built or when MTCLEAN_PURE_PYTHON is set (native.py), and
 * tests/test_source_speedups.py holds each pair to the same results. A twin tries places,
 * readings and numbers in the same order as its Python one, so the same answer wins.
 *
 *   names.py     table, renderings, name_map_of: the romanized names of the target tied
 *                to the Han characters of their source segment (Zhang Jike, 张继科)
 *   numbers.py   whole, settled, to_compare: the segment pairs whose numbers need
 *                comparing (most are settled from the digits of the source's numerals)
 *   omission.py  length_outliers: SRC050's pass over the pairs
 *   entities.py  forms_table, longest_matches: the gazetteer's Chinese forms
 *   ennum.py     vocab_words: the number words of an English segment
 *   punctuation.py  marked: the pairs that hold a question mark, a quotation or a bracket
 *   align.py     line_spans, make_pairs: the pairing
 *
 * Plain C against Python's C API, no dependency: setup.py builds it as an optional
 * extension, so an install without a compiler still works (in Python).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SYL 6      /* the longest reading pypinyin gives, in letters */
#define MAX_WORDS 3    /* a run has at most three words (names.py `_runs`) */
#define MAX_LETTERS (4 * MAX_SYL)  /* a name reads as 2-4 characters */
#define CAPSULE "mtclean.source._speedups.table"

typedef struct {
    uint32_t code;  /* `code` of its letters: one comparison tests a whole reading */
    uint8_t len;
} Reading;

typedef struct {
    Py_UCS4 size;      /* code points 0..size-1 are indexed */
    uint32_t *off;     /* readings of cp: reads[off[cp]] .. reads[off[cp + 1]] */
    Reading *reads;
    uint32_t *syllables; /* the codes (`code`) of every reading, hashed: 0 is a free slot */
    uint32_t mask;       /* the hash table's size less one (a power of two) */
} Table;

/* Appends `item` (a new reference, or NULL after an error) to `list`, which takes it:
 * -1 on error. */
static int append_new(PyObject *list, PyObject *item) {
    if (item == NULL) return -1;
    int r = PyList_Append(list, item);
    Py_DECREF(item);
    return r;
}

/* A reading of at most six letters a-z as one number (base 27, no letter is 0). */
static uint32_t code(const char *s, int n) {
    uint32_t c = 0;
    for (int i = 0; i < n; i++) c = c * 27 + (uint32_t)(s[i] - 'a' + 1);
    return c;
}

static inline uint32_t slot_of(uint32_t c, uint32_t mask) { return (c * 2654435761u) & mask; }

static int is_syllable(const Table *t, const char *s, int n) {
    uint32_t c = code(s, n);
    for (uint32_t i = slot_of(c, t->mask);; i = (i + 1) & t->mask) {
        if (t->syllables[i] == c) return 1;
        if (t->syllables[i] == 0) return 0;
    }
}

static void table_free(PyObject *capsule) {
    Table *t = PyCapsule_GetPointer(capsule, CAPSULE);
    if (t == NULL) return;
    free(t->off);
    free(t->reads);
    free(t->syllables);
    free(t);
}

/* Is `r` (a str) a lowercase ASCII word of 1-6 letters? Copies it into `out`. */
static int plain_reading(PyObject *r, Reading *out) {
    if (!PyUnicode_Check(r)) return 0;
#if PY_VERSION_HEX < 0x030C0000  /* (every str is ready from 3.12 on) */
    if (PyUnicode_READY(r) < 0) return 0;
#endif
    Py_ssize_t n = PyUnicode_GET_LENGTH(r);
    if (n < 1 || n > MAX_SYL || PyUnicode_KIND(r) != PyUnicode_1BYTE_KIND) return 0;
    const Py_UCS1 *d = PyUnicode_1BYTE_DATA(r);
    for (Py_ssize_t i = 0; i < n; i++)
        if (d[i] < 'a' || d[i] > 'z') return 0;
    out->len = (uint8_t)n;
    out->code = code((const char *)d, (int)n);
    return 1;
}

static PyObject *table(PyObject *self, PyObject *arg) {
    (void)self;
    if (!PyDict_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "table() takes a dict of character -> readings");
        return NULL;
    }
    Py_UCS4 size = 0;
    Py_ssize_t total = 0, pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(arg, &pos, &key, &value)) {
        if (!PyUnicode_Check(key) || PyUnicode_GET_LENGTH(key) != 1 || !PyTuple_Check(value)) {
            PyErr_SetString(PyExc_TypeError, "table() takes one-character keys and tuple values");
            return NULL;
        }
        Py_UCS4 cp = PyUnicode_READ_CHAR(key, 0);
        if (cp + 1 > size) size = cp + 1;
        total += PyTuple_GET_SIZE(value);
    }
    Table *t = calloc(1, sizeof(Table));
    if (t == NULL) return PyErr_NoMemory();
    t->size = size;
    t->off = calloc((size_t)size + 1, sizeof(uint32_t));
    t->reads = malloc(sizeof(Reading) * (size_t)(total ? total : 1));
    uint32_t slots = 64;
    while (slots < 4 * (uint32_t)total) slots *= 2;
    t->mask = slots - 1;
    t->syllables = calloc(slots, sizeof(uint32_t));
    Py_ssize_t *count = calloc((size_t)size + 1, sizeof(Py_ssize_t));
    if (t->off == NULL || t->reads == NULL || t->syllables == NULL || count == NULL) {
        free(count);
        free(t->off); free(t->reads); free(t->syllables); free(t);
        return PyErr_NoMemory();
    }
    /* Count each character's plain readings, then lay them out in code point order. */
    pos = 0;
    while (PyDict_Next(arg, &pos, &key, &value)) {
        Reading r;
        Py_UCS4 cp = PyUnicode_READ_CHAR(key, 0);
        for (Py_ssize_t j = 0; j < PyTuple_GET_SIZE(value); j++)
            count[cp] += plain_reading(PyTuple_GET_ITEM(value, j), &r);
    }
    uint32_t at = 0;
    for (Py_UCS4 cp = 0; cp < size; cp++) {
        t->off[cp] = at;
        at += (uint32_t)count[cp];
    }
    t->off[size] = at;
    free(count);
    pos = 0;
    while (PyDict_Next(arg, &pos, &key, &value)) {
        Py_UCS4 cp = PyUnicode_READ_CHAR(key, 0);
        uint32_t k = t->off[cp];
        for (Py_ssize_t j = 0; j < PyTuple_GET_SIZE(value); j++)
            if (plain_reading(PyTuple_GET_ITEM(value, j), &t->reads[k])) k++;
    }
    for (uint32_t i = 0; i < at; i++) {  /* into the hash table, once each */
        uint32_t c = t->reads[i].code, j = slot_of(c, t->mask);
        while (t->syllables[j] != 0 && t->syllables[j] != c) j = (j + 1) & t->mask;
        t->syllables[j] = c;
    }
    PyObject *cap = PyCapsule_New(t, CAPSULE, table_free);
    if (cap == NULL) {
        free(t->off); free(t->reads); free(t->syllables); free(t);
    }
    return cap;
}

/* ---- the word scan: names.py `_NAME_WORD`, `_SYLLABLE`, `_PINYIN_SHAPE` ---- */

static const char *FINALS[] = {  /* `_FINALS`, in its order */
    "iang", "iong", "uang", "ang", "eng", "ing", "ong", "uai", "ian", "iao", "uan", "ai", "ei",
    "ao", "ou", "an", "en", "er", "in", "un", "ia", "ie", "iu", "ua", "uo", "ui", "ue", "a",
    "o", "e", "i", "u", NULL};
static const char ONE_LETTER_INITIALS[] = "bpmfdtnlgkhjqxrzcsyw";

static int starts(const char *s, int n, int pos, const char *w) {
    for (; *w; w++, pos++)
        if (pos >= n || s[pos] != *w) return 0;
    return 1;
}

/* The finals by first letter, each letter's in `_FINALS` order (set up when the module
 * is imported): only finals with the letter at hand are tried. */
typedef struct {
    const char *s;
    int len;
} Final;
static Final finals_by[26][16];
static int n_finals_by[26];

static void init_finals(void) {
    if (n_finals_by['a' - 'a']) return;  /* (set up already) */
    for (int f = 0; FINALS[f]; f++) {
        int c = FINALS[f][0] - 'a';
        finals_by[c][n_finals_by[c]].s = FINALS[f];
        finals_by[c][n_finals_by[c]++].len = (int)strlen(FINALS[f]);
    }
}

/* The end of the first final at `pos` (`_FINAL`: the first in `_FINALS` order), or -1. */
static int final_at(const char *s, int n, int pos) {
    if (pos >= n || s[pos] < 'a' || s[pos] > 'z') return -1;
    int c = s[pos] - 'a';
    for (int k = 0; k < n_finals_by[c]; k++) {
        const Final *f = &finals_by[c][k];
        if (pos + f->len > n) continue;
        int q = 1;
        while (q < f->len && s[pos + q] == f->s[q]) q++;
        if (q == f->len) return pos + f->len;
    }
    return -1;
}

/* The end of one syllable at `pos`, as the atomic group `_SYLLABLE` settles it: each
 * initial in order (zh, ch, sh, one letter, none) with the first final after it, then ng. */
static int syllable_at(const char *s, int n, int pos) {
    static const char *two[] = {"zh", "ch", "sh"};
    for (int i = 0; i < 3; i++)
        if (starts(s, n, pos, two[i])) {
            int e = final_at(s, n, pos + 2);
            if (e >= 0) return e;
        }
    if (pos < n && strchr(ONE_LETTER_INITIALS, s[pos]) != NULL) {
        int e = final_at(s, n, pos + 1);
        if (e >= 0) return e;
    }
    int e = final_at(s, n, pos);
    if (e >= 0) return e;
    if (starts(s, n, pos, "ng")) return pos + 2;
    return -1;
}

/* Does `s` (lowercase letters) read as syllables from end to end, taking at each step
 * the syllable `_SYLLABLE` takes and never going back (the possessive `++`)? */
static int pinyin_shaped(const char *s, int n) {
    int pos = 0;
    if (n == 0) return 0;
    while (pos < n) {
        int e = syllable_at(s, n, pos);
        if (e < 0) return 0;
        pos = e;
    }
    return 1;
}

static inline int lower_ascii(Py_UCS4 c) { return c >= 'a' && c <= 'z'; }
static inline int upper_ascii(Py_UCS4 c) { return c >= 'A' && c <= 'Z'; }

typedef struct {
    Py_ssize_t start, end;
} Span;

typedef struct {
    int n;
    Span w[MAX_WORDS];
} Run;

typedef struct {
    Run *items;
    Py_ssize_t n, cap;
} Runs;

static int runs_new(Runs *rs, Span w) {
    if (rs->n == rs->cap) {
        Py_ssize_t cap = rs->cap ? rs->cap * 2 : 64;
        Run *items = realloc(rs->items, sizeof(Run) * (size_t)cap);
        if (items == NULL) return -1;
        rs->items = items;
        rs->cap = cap;
    }
    rs->items[rs->n].n = 1;
    rs->items[rs->n].w[0] = w;
    rs->n++;
    return 0;
}

/* Is text[p:end] (ASCII letters), less the hyphen at `skip`, pinyin-shaped? -1 when out
 * of memory (a word longer than `room` is copied to the heap). */
static int shaped_span(int kind, const void *data, Py_ssize_t p, Py_ssize_t end, Py_ssize_t skip,
                       char *buf, size_t room) {
    char *s = buf;
    if ((size_t)(end - p) > room && (s = malloc((size_t)(end - p))) == NULL) return -1;
    int n = 0;
    for (Py_ssize_t i = p; i < end; i++) {
        if (i == skip) continue;
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        s[n++] = (char)(upper_ascii(ch) ? ch + 32 : ch);
    }
    int shaped = pinyin_shaped(s, n);
    if (s != buf) free(s);
    return shaped;
}

/* The next place from `p` on where a capital A-Z stands before a lowercase a-z, or -1: a
 * loop for each width of character, since this one reads the whole text. */
static Py_ssize_t next_capital(int kind, const void *data, Py_ssize_t p, Py_ssize_t len) {
#define NEXT_CAPITAL(T)                                                                     \
    {                                                                                       \
        const T *d = (const T *)data;                                                       \
        for (; p + 1 < len; p++)                                                            \
            if ((Py_UCS4)(d[p] - 'A') < 26u && (Py_UCS4)(d[p + 1] - 'a') < 26u) return p;   \
        return -1;                                                                          \
    }
    if (kind == PyUnicode_1BYTE_KIND) NEXT_CAPITAL(Py_UCS1)
    if (kind == PyUnicode_2BYTE_KIND) NEXT_CAPITAL(Py_UCS2)
    NEXT_CAPITAL(Py_UCS4)
#undef NEXT_CAPITAL
}

/* names.py `_runs`: the runs of capitalized pinyin-shaped words, in document order. */
static int find_runs(PyObject *text, Runs *rs) {
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    Py_ssize_t last = -2;
    char buf[256];
    for (Py_ssize_t p = next_capital(kind, data, 0, len); p >= 0; p = next_capital(kind, data, p + 1, len)) {
        if (p > 0) {  /* (?<!(?:[^\W_]|['’-])) */
            Py_UCS4 b = PyUnicode_READ(kind, data, p - 1);
            if (Py_UNICODE_ISALNUM(b) || b == '\'' || b == 0x2019 || b == '-') continue;
        }
        Py_ssize_t q = p + 1;
        while (q < len && lower_ascii(PyUnicode_READ(kind, data, q))) q++;
        if (q + 1 < len && PyUnicode_READ(kind, data, q) == '-' &&
            lower_ascii(PyUnicode_READ(kind, data, q + 1))) {
            /* [a-z]+-[a-z]+: two parts, shaped as one word without the hyphen */
            Py_ssize_t r = q + 1;
            while (r < len && lower_ascii(PyUnicode_READ(kind, data, r))) r++;
            int shaped = shaped_span(kind, data, p, r, q, buf, sizeof(buf));
            if (shaped < 0) return -1;
            if (!shaped) {
                last = -2;
            } else {
                Span parts[2] = {{p, q}, {q + 1, r}};
                for (int k = 0; k < 2; k++) {
                    Span w = parts[k];
                    Py_UCS4 before = w.start > 0 ? PyUnicode_READ(kind, data, w.start - 1) : 0;
                    if (rs->n && last + 1 == w.start && rs->items[rs->n - 1].n < MAX_WORDS &&
                        (before == ' ' || before == '-')) {
                        Run *run = &rs->items[rs->n - 1];
                        run->w[run->n++] = w;
                    } else if (runs_new(rs, w) < 0) {
                        return -1;
                    }
                    last = w.end;
                }
            }
            p = r - 1;
            continue;
        }
        /* pinyin-shaped as it stands: the capital and the lowercase letters after it */
        int shaped = shaped_span(kind, data, p, q, -1, buf, sizeof(buf));
        if (shaped < 0) return -1;
        if (!shaped) continue;
        Span w = {p, q};
        if (rs->n && last + 1 == p && rs->items[rs->n - 1].n < MAX_WORDS &&
            PyUnicode_READ(kind, data, p - 1) == ' ') {
            Run *run = &rs->items[rs->n - 1];
            run->w[run->n++] = w;
        } else if (runs_new(rs, w) < 0) {
            return -1;
        }
        last = q;
        p = q - 1;
    }
    return 0;
}

/* ---- reading a run in the source: names.py `_read_as`, `_rest`, `_window` ---- */

typedef struct {
    const Table *t;
    int kind;
    const void *data;  /* the source segment */
    Py_ssize_t len;
    const char *letters;
    int n_letters;
    const int *ends;
    uint32_t sub[MAX_LETTERS][MAX_SYL + 1];  /* sub[pos][k]: `code` of letters[pos:pos + k] */
} Reader;

static inline const Reading *readings_of(const Table *t, Py_UCS4 cp, const Reading **stop) {
    if (cp >= t->size) {
        *stop = NULL;
        return NULL;
    }
    *stop = t->reads + t->off[cp + 1];
    return t->reads + t->off[cp];
}

/* names.py `_rest`: how many characters from source[i] on read as letters[pos:]. */
static int rest(const Reader *rd, Py_ssize_t i, int pos, int count, int w) {
    if (pos == rd->n_letters) return count >= 2 ? count : 0;
    if (count == 4 || i >= rd->len) return 0;
    int end = rd->ends[w];
    const Reading *stop, *r = readings_of(rd->t, PyUnicode_READ(rd->kind, rd->data, i), &stop);
    for (; r != NULL && r < stop; r++) {
        int p = pos + r->len;
        if (p <= end && rd->sub[pos][r->len] == r->code) {
            int got = rest(rd, i + 1, p, count + 1, p == end ? w + 1 : w);
            if (got) return got;
        }
    }
    return 0;
}

typedef struct {
    Py_ssize_t i;
    double key;
} Place;

static int has_reading(const Table *t, Py_UCS4 cp, uint32_t c) {
    const Reading *stop, *r = readings_of(t, cp, &stop);
    for (; r != NULL && r < stop; r++)
        if (r->code == c) return 1;
    return 0;
}

/* names.py `_read_as`: the place (start, size) in the source that reads as the letters,
 * trying the leading syllables `cands` (longest first) and, for each, the places nearest
 * to `near` first; 0 when none. `places` has room for the whole source segment. */
static int read_as(const Reader *rd, const int *cands, int n_cands, double near, Place *places,
                   Py_ssize_t *at) {
    for (int c = 0; c < n_cands; c++) {
        int k = cands[c];
        Py_ssize_t n = 0;
        uint32_t c = rd->sub[0][k];
        for (Py_ssize_t i = 0; i < rd->len; i++)
            if (has_reading(rd->t, PyUnicode_READ(rd->kind, rd->data, i), c)) {
                places[n].i = i;
                places[n].key = fabs((double)i - near);
                n++;
            }
        /* sort by (distance, place): insertion sort, the lists are short */
        for (Py_ssize_t a = 1; a < n; a++) {
            Place x = places[a];
            Py_ssize_t b = a - 1;
            while (b >= 0 && (places[b].key > x.key || (places[b].key == x.key && places[b].i > x.i))) {
                places[b + 1] = places[b];
                b--;
            }
            places[b + 1] = x;
        }
        int w = k == rd->ends[0] ? 1 : 0;
        for (Py_ssize_t a = 0; a < n; a++) {
            int got = rest(rd, places[a].i + 1, k, 1, w);
            if (got) {
                *at = places[a].i;
                return got;
            }
        }
    }
    return 0;
}

/* names.py `_firsts` (and `_solo` when `solo`): the lengths of a word's leading syllables,
 * longest first. */
static int firsts(const Table *t, const char *word, int n, int solo, int *out) {
    int m = 0;
    for (int k = n < MAX_SYL ? n : MAX_SYL; k >= 1; k--)
        if (is_syllable(t, word, k)) out[m++] = k;
    if (solo && m && out[0] == n) {
        memmove(out, out + 1, sizeof(int) * (size_t)(m - 1));
        m--;
    }
    return m;
}

static PyObject *renderings(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *cap, *text, *pairs;
    if (!PyArg_ParseTuple(args, "OUO!:renderings", &cap, &text, &PyList_Type, &pairs)) return NULL;
    const Table *t = PyCapsule_GetPointer(cap, CAPSULE);
    if (t == NULL) return NULL;
    Py_ssize_t n_pairs = PyList_GET_SIZE(pairs);
    Py_ssize_t *starts_ = malloc(sizeof(Py_ssize_t) * (size_t)(n_pairs + 1));
    Py_ssize_t *ends_ = malloc(sizeof(Py_ssize_t) * (size_t)(n_pairs + 1));
    PyObject *out = PyList_New(0);
    Runs rs = {NULL, 0, 0};
    Place *places = NULL;
    Py_ssize_t places_cap = 0;
    if (starts_ == NULL || ends_ == NULL || out == NULL) {
        if (out == NULL) goto fail;
        PyErr_NoMemory();
        goto fail;
    }
    for (Py_ssize_t k = 0; k < n_pairs; k++) {
        PyObject *p = PyList_GET_ITEM(pairs, k);
        if (!PyTuple_Check(p) || PyTuple_GET_SIZE(p) < 3 || !PyUnicode_Check(PyTuple_GET_ITEM(p, 2))) {
            PyErr_SetString(PyExc_TypeError, "renderings() takes pairs of (start, end, source, ...)");
            goto fail;
        }
        starts_[k] = PyLong_AsSsize_t(PyTuple_GET_ITEM(p, 0));
        ends_[k] = PyLong_AsSsize_t(PyTuple_GET_ITEM(p, 1));
        if (PyErr_Occurred()) goto fail;
    }
    if (n_pairs == 0) return out;
    if (find_runs(text, &rs) < 0) {
        PyErr_NoMemory();
        goto fail;
    }
    int tkind = PyUnicode_KIND(text);
    const void *tdata = PyUnicode_DATA(text);
    Py_ssize_t k = 0;
    for (Py_ssize_t j = 0; j < rs.n; j++) {
        const Run *run = &rs.items[j];
        Py_ssize_t a = run->w[0].start;
        while (k < n_pairs && ends_[k] <= a) k++;
        if (k == n_pairs) break;
        if (a < starts_[k]) continue;  /* a segment whose source has no Han character */
        PyObject *source = PyTuple_GET_ITEM(PyList_GET_ITEM(pairs, k), 2);
        Py_ssize_t slen = PyUnicode_GET_LENGTH(source);
        if (slen > places_cap) {
            Place *more = realloc(places, sizeof(Place) * (size_t)slen);
            if (more == NULL) {
                PyErr_NoMemory();
                goto fail;
            }
            places = more;
            places_cap = slen;
        }
        Py_ssize_t size = ends_[k] - starts_[k];
        double scale = size ? (double)slen / (double)size : 0.0;
        /* the run's words, lowered, end to end */
        /* The run's words, lowered, end to end. A reading is 2-4 characters of at most six
         * letters each, so a window of more than MAX_LETTERS letters never reads: a longer
         * word is kept as its first MAX_LETTERS + 1 letters (enough to say so). */
        char letters[MAX_WORDS * (MAX_LETTERS + 1)];
        int word_at[MAX_WORDS + 1];
        word_at[0] = 0;
        for (int w = 0; w < run->n; w++) {
            Py_ssize_t wl = run->w[w].end - run->w[w].start;
            int kept = wl > MAX_LETTERS ? MAX_LETTERS + 1 : (int)wl;
            for (int i = 0; i < kept; i++) {
                Py_UCS4 ch = PyUnicode_READ(tkind, tdata, run->w[w].start + i);
                letters[word_at[w] + i] = (char)(upper_ascii(ch) ? ch + 32 : ch);
            }
            word_at[w + 1] = word_at[w] + kept;
        }
        Reader rd;
        rd.t = t;
        rd.kind = PyUnicode_KIND(source);
        rd.data = PyUnicode_DATA(source);
        rd.len = slen;
        int found = 0;
        for (int n = run->n; n >= 1 && !found; n--) {
            for (int s = 0; s + n <= run->n && !found; s++) {
                int cands[MAX_SYL], ends[MAX_WORDS];
                if (word_at[s + n] - word_at[s] > MAX_LETTERS) continue;  /* cannot read */
                int m = firsts(t, letters + word_at[s], word_at[s + 1] - word_at[s], n == 1, cands);
                if (!m) continue;
                for (int w = 0; w < n; w++) ends[w] = word_at[s + w + 1] - word_at[s];
                rd.letters = letters + word_at[s];
                rd.n_letters = ends[n - 1];
                rd.ends = ends;
                for (int pos = 0; pos < rd.n_letters; pos++) {  /* each code from the one before */
                    uint32_t c = 0;
                    for (int k2 = 1; k2 <= MAX_SYL; k2++) {
                        c = pos + k2 <= rd.n_letters ? c * 27 + (uint32_t)(rd.letters[pos + k2 - 1] - 'a' + 1) : 0;
                        rd.sub[pos][k2] = c;
                    }
                }
                double near = (double)(run->w[s].start - starts_[k]) * scale;
                Py_ssize_t at = 0;
                int got = read_as(&rd, cands, m, near, places, &at);
                if (got) {
                    found = 1;
                    PyObject *item = Py_BuildValue("(nnnin)", run->w[s].start, run->w[s + n - 1].end, at, got, k);
                    if (append_new(out, item) < 0) goto fail;
                }
            }
        }
    }
    free(rs.items);
    free(places);
    free(starts_);
    free(ends_);
    return out;
fail:
    free(rs.items);
    free(places);
    free(starts_);
    free(ends_);
    Py_XDECREF(out);
    return NULL;
}

/* ---- numbers.py `_whole` ---- */

static inline int digit_at(int kind, const void *data, Py_ssize_t i) {
    return Py_UNICODE_ISDIGIT(PyUnicode_READ(kind, data, i));
}

/* Does `s` occur in `target` as a whole number? No digit right before or after it, nor
 * a point or comma with a digit beyond it (a text edge counts as a space). -1 on error. */
static int whole_in(PyObject *target, PyObject *s) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(target), size = PyUnicode_GET_LENGTH(s);
    int kind = PyUnicode_KIND(target);
    const void *data = PyUnicode_DATA(target);
    Py_ssize_t i = PyUnicode_Find(target, s, 0, n, 1);
    while (i >= 0) {
        Py_ssize_t j = i + size;
        Py_UCS4 c = i ? PyUnicode_READ(kind, data, i - 1) : ' ';
        if (!(Py_UNICODE_ISDIGIT(c) || ((c == '.' || c == ',') && i > 1 && digit_at(kind, data, i - 2)))) {
            c = j < n ? PyUnicode_READ(kind, data, j) : ' ';
            if (!(Py_UNICODE_ISDIGIT(c) || ((c == '.' || c == ',') && j + 1 < n && digit_at(kind, data, j + 1))))
                return 1;
        }
        if (i + 1 > n) break;
        i = PyUnicode_Find(target, s, i + 1, n, 1);
    }
    return i == -2 ? -1 : 0;
}

static int whole_c(PyObject *target, const char *s) {
    PyObject *u = PyUnicode_FromString(s);
    if (u == NULL) return -1;
    int r = whole_in(target, u);
    Py_DECREF(u);
    return r;
}

/* whole(target, s): numbers.py `_whole`. */
static PyObject *whole(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 2 || !PyUnicode_Check(args[0]) || !PyUnicode_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "whole() takes two str");
        return NULL;
    }
    int r = whole_in(args[0], args[1]);
    if (r < 0) return NULL;
    return PyBool_FromLong(r);
}

/* ---- numbers.py `_settled_unread` (with `_spelled`, `_explained`, `_TARGET_DIGITS`) ---- */

/* numbers.py `_spelled`: is a spelling of `v` (finite, not negative) whole in the target? */
static int spelled(PyObject *target, double v) {
    static const double scales[] = {1e12, 1e9, 1e6, 1e3};
    static const char *words[] = {"trillion", "billion", "million", "thousand"};
    char buf[512];
    if (v != floor(v)) {  /* f"{v:.6f}".rstrip("0") */
        char *f = PyOS_double_to_string(v, 'f', 6, 0, NULL);
        if (f == NULL) return -1;
        size_t k = strlen(f);
        while (k && f[k - 1] == '0') f[--k] = 0;
        int r = whole_c(target, f);
        PyMem_Free(f);
        return r;
    }
    char *digits = PyOS_double_to_string(v, 'f', 0, 0, NULL);  /* str(int(v)): exact */
    if (digits == NULL) return -1;
    size_t nd = strlen(digits);
    if (nd >= 300) {  /* beyond any number written out: Python decides */
        PyMem_Free(digits);
        return -2;
    }
    int r = whole_c(target, digits);
    if (r == 0 && v >= 1000) {  /* f"{n:,}" */
        size_t at = 0;
        for (size_t i = 0; i < nd; i++) {
            if (i && (nd - i) % 3 == 0) buf[at++] = ',';
            buf[at++] = digits[i];
        }
        buf[at] = 0;
        r = whole_c(target, buf);
    }
    PyMem_Free(digits);
    if (r != 0) return r;
    for (int k = 0; k < 4; k++)
        if (v >= scales[k] && fmod(v, scales[k] / 100) == 0) {  /* f"{n / scale:g} {word}" */
            char *g = PyOS_double_to_string(v / scales[k], 'g', 6, 0, NULL);
            if (g == NULL) return -1;
            snprintf(buf, sizeof(buf), "%s %s", g, words[k]);
            PyMem_Free(g);
            return whole_c(target, buf);
        }
    return 0;
}

/* One digit run of the target as `_TARGET_DIGITS` matches it, from `i` on: its start,
 * the end of its digits, its end and its value (its scale word applied). 0 when none. */
typedef struct {
    Py_ssize_t start, end1, end;
    double value;
    char digits[64];  /* the digits without commas, for the search in the source */
    int long_digits;  /* more than fit: the caller lets Python decide */
} TargetDigits;

static int is_word_char(Py_UCS4 c) { return Py_UNICODE_ISALNUM(c) || c == '_'; }

static int scale_word_at(int kind, const void *data, Py_ssize_t n, Py_ssize_t p, double *scale,
                         Py_ssize_t *end) {
    static const char *words[] = {"million", "billion", "thousand", "trillion", "bn", "mn", "m", "k", NULL};
    static const double values[] = {1e6, 1e9, 1e3, 1e12, 1e9, 1e6, 1e6, 1e3};
    for (int w = 0; words[w]; w++) {
        Py_ssize_t len = (Py_ssize_t)strlen(words[w]), q = 0;
        if (p + len > n) continue;
        while (q < len && PyUnicode_READ(kind, data, p + q) == (Py_UCS4)words[w][q]) q++;
        if (q < len) continue;
        if (p + len < n && is_word_char(PyUnicode_READ(kind, data, p + len))) continue;  /* \b */
        *scale = values[w];
        *end = p + len;
        return 1;
    }
    return 0;
}

static inline int ascii_digit(Py_UCS4 c) { return c >= '0' && c <= '9'; }

static int next_digits(PyObject *t, Py_ssize_t i, TargetDigits *out) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(t);
    int kind = PyUnicode_KIND(t);
    const void *data = PyUnicode_DATA(t);
    while (i < n && !ascii_digit(PyUnicode_READ(kind, data, i))) i++;
    if (i >= n) return 0;
    Py_ssize_t j = i + 1;
    while (j < n && (ascii_digit(PyUnicode_READ(kind, data, j)) || PyUnicode_READ(kind, data, j) == ',')) j++;
    if (j + 1 < n && PyUnicode_READ(kind, data, j) == '.' && ascii_digit(PyUnicode_READ(kind, data, j + 1))) {
        j += 2;
        while (j < n && ascii_digit(PyUnicode_READ(kind, data, j))) j++;
    }
    out->start = i;
    out->end1 = out->end = j;
    size_t at = 0;
    out->long_digits = 0;
    for (Py_ssize_t k = i; k < j; k++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, k);
        if (c == ',') continue;
        if (at + 1 >= sizeof(out->digits)) {
            out->long_digits = 1;
            break;
        }
        out->digits[at++] = (char)c;
    }
    out->digits[at] = 0;
    out->value = out->long_digits ? 0.0 : PyOS_string_to_double(out->digits, NULL, NULL);
    if (out->value == -1.0 && PyErr_Occurred()) return -1;
    double scale = 0;
    Py_ssize_t end = j;
    int found = 0;
    if (j < n && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, j)))
        found = scale_word_at(kind, data, n, j + 1, &scale, &end);
    if (!found) found = scale_word_at(kind, data, n, j, &scale, &end);
    if (found) {
        out->value *= scale;
        out->end = end;
    }
    return 1;
}

/* numbers.py `_explained` (with `_added_freely`): -1 on error. */
static int explained(PyObject *source, PyObject *target, const TargetDigits *d, const double *values,
                     Py_ssize_t n_values) {
    int r = whole_c(source, d->digits);
    if (r != 0) return r;
    double v = d->value;
    for (Py_ssize_t k = 0; k < n_values; k++)
        if (values[k] == v) return 1;
    if (1900 <= v && v <= 2100 && v == floor(v)) return 1;
    Py_ssize_t n = PyUnicode_GET_LENGTH(target);
    if (d->start > 0 && PyUnicode_READ_CHAR(target, d->start - 1) == ':') return 1;
    if (d->end1 < n && PyUnicode_READ_CHAR(target, d->end1) == ':') return 1;
    return 0;
}

/* settled(text, matches, covered, lo, hi, source, target, plain_units, months, is_kept):
 * numbers.py `_settled_unread`, True or False; None when it cannot tell here (a number
 * too long for a double, a digit run too long), and then Python decides. */
static int settled_args_ok(PyObject *const *args) {
    return PyUnicode_Check(args[0]) && PyList_Check(args[1]) && PyUnicode_Check(args[5]) &&
           PyUnicode_Check(args[6]) && PyDict_Check(args[7]) && PyTuple_Check(args[8]) &&
           PyTuple_GET_SIZE(args[8]) == 12;
}

static PyObject *settle(PyObject *const *args);

static PyObject *settled(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 10 || !settled_args_ok(args)) {
        PyErr_SetString(PyExc_TypeError, "settled() takes (text, matches, covered, lo, hi, source, target, "
                        "plain_units, months, is_kept)");
        return NULL;
    }
    return settle(args);
}

/* `settled` for arguments already checked: Py_True, Py_False or Py_None (new references). */
static PyObject *settle(PyObject *const *args) {
    PyObject *matches = args[1], *source = args[5], *target = args[6], *plain = args[7], *months = args[8];
    Py_ssize_t n_matches = PyList_GET_SIZE(matches);
    double stack_values[32], *values = stack_values;
    PyObject *result = NULL;
    if (n_matches > 32 && (values = PyMem_Malloc(sizeof(double) * (size_t)n_matches)) == NULL)
        return PyErr_NoMemory();
    for (Py_ssize_t k = 0; k < n_matches; k++) {
        PyObject *g = PyObject_CallMethod(PyList_GET_ITEM(matches, k), "groups", NULL);
        if (g == NULL) goto done;
        if (!PyTuple_Check(g) || PyTuple_GET_SIZE(g) != 5) {
            Py_DECREF(g);
            PyErr_SetString(PyExc_TypeError, "settled() takes matches of zhnum.STRICT");
            goto done;
        }
        PyObject *pre = PyTuple_GET_ITEM(g, 0), *raw = PyTuple_GET_ITEM(g, 1), *unit = PyTuple_GET_ITEM(g, 2);
        PyObject *fnum = PyTuple_GET_ITEM(g, 3), *post = PyTuple_GET_ITEM(g, 4);
        int refuse = (fnum != Py_None && PyObject_IsTrue(fnum)) || !PyUnicode_Check(raw) || PyUnicode_GET_LENGTH(raw) == 0 ||
                     PyUnicode_KIND(raw) != PyUnicode_1BYTE_KIND || PyUnicode_MAX_CHAR_VALUE(raw) > 127 ||
                     !ascii_digit(PyUnicode_READ_CHAR(raw, 0));
        if (!refuse && post != Py_None) {
            PyObject *cheng = PyUnicode_FromString("\xe6\x88\x90");  /* 成 */
            if (cheng == NULL) {
                Py_DECREF(g);
                goto done;
            }
            refuse = PyUnicode_Compare(post, cheng) == 0;
            Py_DECREF(cheng);
        }
        if (refuse) {
            Py_DECREF(g);
            result = Py_False;
            goto done;
        }
        char buf[400];
        Py_ssize_t len = PyUnicode_GET_LENGTH(raw), at = 0;
        const Py_UCS1 *d = PyUnicode_1BYTE_DATA(raw);
        for (Py_ssize_t i = 0; i < len && at < (Py_ssize_t)sizeof(buf) - 1; i++)
            if (d[i] != ',') buf[at++] = (char)d[i];
        buf[at] = 0;
        if (len >= (Py_ssize_t)sizeof(buf) - 1) {
            Py_DECREF(g);
            result = Py_None;  /* let Python read it */
            goto done;
        }
        double v = PyOS_string_to_double(buf, NULL, NULL);
        if (v == -1.0 && PyErr_Occurred()) {
            Py_DECREF(g);
            goto done;
        }
        int has_unit = unit != Py_None && PyObject_IsTrue(unit);
        if (has_unit) {
            PyObject *scale = PyDict_GetItemWithError(plain, unit);
            PyObject *bei = PyUnicode_FromString("\xe5\x80\x8d");  /* 倍 */
            int times = bei != NULL && post != Py_None && PyUnicode_Compare(post, bei) == 0;
            Py_XDECREF(bei);
            if (PyErr_Occurred()) {
                Py_DECREF(g);
                goto done;
            }
            if (scale == NULL || times) {
                Py_DECREF(g);
                result = Py_False;
                goto done;
            }
            v = v * PyFloat_AsDouble(scale);
        }
        if (!isfinite(v)) {
            Py_DECREF(g);
            result = Py_None;
            goto done;
        }
        int month = 0;
        if (!has_unit && pre == Py_None && post != Py_None && v == floor(v) && 1 <= v && v <= 12) {
            PyObject *yue = PyUnicode_FromString("\xe6\x9c\x88");  /* 月 */
            if (yue == NULL) {
                Py_DECREF(g);
                goto done;
            }
            int is_month = PyUnicode_Compare(post, yue) == 0;
            Py_DECREF(yue);
            if (is_month) {
                month = whole_in(target, PyTuple_GET_ITEM(months, (Py_ssize_t)v - 1));
                if (month < 0) {
                    Py_DECREF(g);
                    goto done;
                }
            }
        }
        Py_DECREF(g);
        if (!month) {
            int r = spelled(target, v);
            if (r == -2) {
                result = Py_None;
                goto done;
            }
            if (r < 0) goto done;
            if (!r) {
                result = Py_False;
                goto done;
            }
        }
        values[k] = v;
    }
    {
        double kept_stack[32], *kept = NULL;
        Py_ssize_t n_kept = -1;  /* not made yet */
        TargetDigits t;
        Py_ssize_t i = 0;
        int r;
        result = Py_True;
        while ((r = next_digits(target, i, &t)) == 1) {
            i = t.end;
            if (t.long_digits) {
                result = Py_None;
                break;
            }
            int e = explained(source, target, &t, NULL, 0);
            if (e < 0) {
                result = NULL;
                break;
            }
            if (e) continue;
            if (n_kept < 0) {  /* the values of the matches `_read` keeps for sure */
                kept = n_matches > 32 ? PyMem_Malloc(sizeof(double) * (size_t)n_matches) : kept_stack;
                if (kept == NULL) {
                    PyErr_NoMemory();
                    result = NULL;
                    break;
                }
                n_kept = 0;
                for (Py_ssize_t k = 0; k < n_matches; k++) {
                    PyObject *ok = PyObject_CallFunctionObjArgs(args[9], args[0], PyList_GET_ITEM(matches, k),
                                                                args[2], args[3], args[4], NULL);
                    if (ok == NULL) {
                        n_kept = -2;
                        break;
                    }
                    int truth = PyObject_IsTrue(ok);
                    Py_DECREF(ok);
                    if (truth < 0) {
                        n_kept = -2;
                        break;
                    }
                    if (truth) kept[n_kept++] = values[k];
                }
                if (n_kept == -2) {
                    result = NULL;
                    break;
                }
            }
            if (n_kept == 0) {
                result = Py_False;
                break;
            }
            e = explained(source, target, &t, kept, n_kept);
            if (e < 0) {
                result = NULL;
                break;
            }
            if (!e) {
                result = Py_False;
                break;
            }
        }
        if (r < 0) result = NULL;
        if (kept != NULL && kept != kept_stack) PyMem_Free(kept);
    }
done:
    if (values != stack_values) PyMem_Free(values);
    if (result == NULL) return NULL;
    Py_INCREF(result);
    return result;
}

/* ---- omission.py `length` and SRC050's pass over the pairs (`_outliers_py`) ---- */

static int is_space_char(Py_UCS4 c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x3000;
}

static double source_length(PyObject *s, double per) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(s), total = n, latin = 0;
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) latin++;
        else if (is_space_char(c)) total--;
    }
    return (double)(total - latin) + (double)latin / per;
}

/* length_outliers(pairs, min_source, rows, rare, per) -> [(index, n, m, row)]: the pairs
 * whose source length n (at least min_source) and target non-space count m (spaces and
 * the `rare` characters not counted; m > 0) have m / n outside the first row of `rows`
 * ((max_source or None, low, high)) whose max_source is None or at least n. */
static PyObject *length_outliers(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *pairs, *rows, *rare;
    double min_source, per;
    if (!PyArg_ParseTuple(args, "O!dO!Ud:length_outliers", &PyList_Type, &pairs, &min_source,
                          &PyTuple_Type, &rows, &rare, &per))
        return NULL;
    Py_ssize_t n_rows = PyTuple_GET_SIZE(rows);
    double *edge = malloc(sizeof(double) * (size_t)(n_rows + 1) * 3);
    int *open = malloc(sizeof(int) * (size_t)(n_rows + 1));
    if (edge == NULL || open == NULL) {
        free(edge);
        free(open);
        return PyErr_NoMemory();
    }
    double *low = edge + n_rows + 1, *high = low + n_rows + 1;
    for (Py_ssize_t r = 0; r < n_rows; r++) {
        PyObject *row = PyTuple_GET_ITEM(rows, r);
        if (!PyTuple_Check(row) || PyTuple_GET_SIZE(row) != 3) {
            PyErr_SetString(PyExc_TypeError, "length_outliers() rows are (max_source or None, low, high)");
            goto fail;
        }
        open[r] = PyTuple_GET_ITEM(row, 0) == Py_None;
        edge[r] = open[r] ? 0.0 : PyFloat_AsDouble(PyTuple_GET_ITEM(row, 0));
        low[r] = PyFloat_AsDouble(PyTuple_GET_ITEM(row, 1));
        high[r] = PyFloat_AsDouble(PyTuple_GET_ITEM(row, 2));
        if (PyErr_Occurred()) goto fail;
    }
    Py_ssize_t n_rare = PyUnicode_GET_LENGTH(rare);
    PyObject *out = PyList_New(0);
    if (out == NULL) goto fail;
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(pairs); k++) {
        PyObject *p = PyList_GET_ITEM(pairs, k);
        if (!PyTuple_Check(p) || PyTuple_GET_SIZE(p) < 7 || !PyUnicode_Check(PyTuple_GET_ITEM(p, 2)) ||
            !PyUnicode_Check(PyTuple_GET_ITEM(p, 6))) {
            PyErr_SetString(PyExc_TypeError, "length_outliers() takes align.Pair tuples");
            Py_DECREF(out);
            goto fail;
        }
        double n = source_length(PyTuple_GET_ITEM(p, 2), per);
        if (n < min_source || n <= 0) continue;
        PyObject *target = PyTuple_GET_ITEM(p, 6);
        Py_ssize_t len = PyUnicode_GET_LENGTH(target), m = len;
        int kind = PyUnicode_KIND(target);
        const void *data = PyUnicode_DATA(target);
        for (Py_ssize_t i = 0; i < len; i++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            if (c == ' ') {
                m--;
                continue;
            }
            for (Py_ssize_t j = 0; j < n_rare; j++)
                if (PyUnicode_READ_CHAR(rare, j) == c) {
                    m--;
                    break;
                }
        }
        if (m == 0) continue;
        Py_ssize_t r = 0;
        while (r < n_rows && !(open[r] || n <= edge[r])) r++;
        if (r == n_rows) continue;
        double ratio = (double)m / n;
        if (ratio < low[r] || ratio > high[r]) {
            if (append_new(out, Py_BuildValue("(ndnn)", k, n, m, r)) < 0) {
                Py_DECREF(out);
                goto fail;
            }
        }
    }
    free(edge);
    free(open);
    return out;
fail:
    free(edge);
    free(open);
    return NULL;
}

/* ---- align.py `_lines`: line spans without their line ends ---- */

static PyObject *line_spans(PyObject *self, PyObject *text) {
    (void)self;
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "line_spans() takes a str");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), start = 0;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    PyObject *out = PyList_New(0);
    if (out == NULL) return NULL;
    for (;;) {
        Py_ssize_t i = start <= n ? PyUnicode_FindChar(text, '\n', start, n, 1) : -1;
        if (i == -2) {
            Py_DECREF(out);
            return NULL;
        }
        if (i == -1) i = n;  /* the last line */
        Py_ssize_t end = i > start && PyUnicode_READ(kind, data, i - 1) == '\r' ? i - 1 : i;
        if (append_new(out, Py_BuildValue("(nn)", start, end)) < 0) {
            Py_DECREF(out);
            return NULL;
        }
        if (i == n) break;
        start = i + 1;
    }
    return out;
}

/* ---- ennum.py `_words`: the ASCII words whose lowercase is in a vocabulary ---- */

/* vocab_words(text, vocab, longest) -> [(word, start, end)]: the runs of ASCII letters
 * (`_ALPHA`) whose lowercase is in the set `vocab` (whose longest word has `longest`
 * letters), in text order. */
static PyObject *vocab_words(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *text, *vocab;
    Py_ssize_t longest;
    if (!PyArg_ParseTuple(args, "UOn:vocab_words", &text, &vocab, &longest)) return NULL;
    if (!PyAnySet_Check(vocab)) {
        PyErr_SetString(PyExc_TypeError, "vocab_words() takes a set or frozenset");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    char buf[64];
    if (longest > (Py_ssize_t)sizeof(buf)) longest = sizeof(buf);
    PyObject *out = PyList_New(0);
    if (out == NULL) return NULL;
    Py_ssize_t i = 0;
    while (i < n) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
            i++;
            continue;
        }
        Py_ssize_t a = i;
        while (i < n) {
            c = PyUnicode_READ(kind, data, i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) break;
            i++;
        }
        if (i - a > longest) continue;
        for (Py_ssize_t k = a; k < i; k++) {
            Py_UCS4 d = PyUnicode_READ(kind, data, k);
            buf[k - a] = (char)(d <= 'Z' ? d + 32 : d);
        }
        PyObject *low = PyUnicode_FromStringAndSize(buf, i - a);
        if (low == NULL) goto fail;
        int has = PySet_Contains(vocab, low);
        Py_DECREF(low);
        if (has < 0) goto fail;
        if (!has) continue;
        PyObject *word = PyUnicode_Substring(text, a, i);
        if (word == NULL || append_new(out, Py_BuildValue("(Nnn)", word, a, i)) < 0) goto fail;
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* ---- entities.py `ZhIndex.find`: the gazetteer's Chinese forms, longest first ---- */

#define FORMS_CAPSULE "mtclean.source._speedups.forms"

typedef struct {
    Py_UCS4 *chars;     /* every form's characters, end to end */
    Py_ssize_t *at;     /* form k: chars[at[k]] .. chars[at[k] + len[k]] */
    Py_ssize_t *len;
    Py_ssize_t *order;  /* the forms by first character, then longest first */
    Py_UCS4 *first;     /* first character of order[j] */
    Py_ssize_t n;
    uint8_t filter[8192];  /* bit (first character & 0xffff): some form starts so */
} Forms;

static void forms_free(PyObject *capsule) {
    Forms *f = PyCapsule_GetPointer(capsule, FORMS_CAPSULE);
    if (f == NULL) return;
    free(f->chars); free(f->at); free(f->len); free(f->order); free(f->first);
    free(f);
}

static const Forms *sort_forms;
static int cmp_forms(const void *a, const void *b) {
    Py_ssize_t x = *(const Py_ssize_t *)a, y = *(const Py_ssize_t *)b;
    Py_UCS4 fx = sort_forms->chars[sort_forms->at[x]], fy = sort_forms->chars[sort_forms->at[y]];
    if (fx != fy) return fx < fy ? -1 : 1;
    if (sort_forms->len[x] != sort_forms->len[y]) return sort_forms->len[x] > sort_forms->len[y] ? -1 : 1;
    return x < y ? -1 : (x > y);
}

/* forms_table(forms: tuple[str, ...]) -> capsule, for longest_matches(). */
static PyObject *forms_table(PyObject *self, PyObject *forms) {
    (void)self;
    if (!PyTuple_Check(forms)) {
        PyErr_SetString(PyExc_TypeError, "forms_table() takes a tuple of non-empty str");
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(forms), total = 0;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *u = PyTuple_GET_ITEM(forms, k);
        if (!PyUnicode_Check(u) || PyUnicode_GET_LENGTH(u) == 0) {
            PyErr_SetString(PyExc_TypeError, "forms_table() takes a tuple of non-empty str");
            return NULL;
        }
        total += PyUnicode_GET_LENGTH(u);
    }
    Forms *f = calloc(1, sizeof(Forms));
    if (f == NULL) return PyErr_NoMemory();
    f->n = n;
    f->chars = malloc(sizeof(Py_UCS4) * (size_t)(total + 1));
    f->at = malloc(sizeof(Py_ssize_t) * (size_t)(n + 1));
    f->len = malloc(sizeof(Py_ssize_t) * (size_t)(n + 1));
    f->order = malloc(sizeof(Py_ssize_t) * (size_t)(n + 1));
    f->first = malloc(sizeof(Py_UCS4) * (size_t)(n + 1));
    if (!f->chars || !f->at || !f->len || !f->order || !f->first) {
        free(f->chars); free(f->at); free(f->len); free(f->order); free(f->first); free(f);
        return PyErr_NoMemory();
    }
    Py_ssize_t at = 0;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *u = PyTuple_GET_ITEM(forms, k);
        f->at[k] = at;
        f->len[k] = PyUnicode_GET_LENGTH(u);
        for (Py_ssize_t i = 0; i < f->len[k]; i++) f->chars[at++] = PyUnicode_READ_CHAR(u, i);
        f->order[k] = k;
        Py_UCS4 c = f->chars[f->at[k]];
        f->filter[(c & 0xffff) >> 3] |= (uint8_t)(1u << (c & 7));
    }
    sort_forms = f;  /* (qsort takes no context; the GIL is held) */
    qsort(f->order, (size_t)n, sizeof(Py_ssize_t), cmp_forms);
    for (Py_ssize_t j = 0; j < n; j++) f->first[j] = f->chars[f->at[f->order[j]]];
    PyObject *cap = PyCapsule_New(f, FORMS_CAPSULE, forms_free);
    if (cap == NULL) {
        free(f->chars); free(f->at); free(f->len); free(f->order); free(f->first); free(f);
    }
    return cap;
}

/* longest_matches(table, text) -> [(start, end, form index)]: from the left, the longest
 * form at each place, and the scan goes on after it (no overlaps). */
static PyObject *longest_matches(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *cap, *text;
    if (!PyArg_ParseTuple(args, "OU:longest_matches", &cap, &text)) return NULL;
    const Forms *f = PyCapsule_GetPointer(cap, FORMS_CAPSULE);
    if (f == NULL) return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    PyObject *out = PyList_New(0);
    if (out == NULL) return NULL;
    Py_ssize_t i = 0;
    while (i < n) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (!(f->filter[(c & 0xffff) >> 3] & (1u << (c & 7)))) {
            i++;
            continue;
        }
        Py_ssize_t lo = 0, hi = f->n;  /* the first form starting with c */
        while (lo < hi) {
            Py_ssize_t mid = (lo + hi) / 2;
            if (f->first[mid] < c) lo = mid + 1; else hi = mid;
        }
        Py_ssize_t hit = -1;
        for (Py_ssize_t j = lo; j < f->n && f->first[j] == c; j++) {  /* longest first */
            Py_ssize_t k = f->order[j], len = f->len[k];
            if (i + len > n) continue;
            Py_ssize_t q = 1;
            while (q < len && PyUnicode_READ(kind, data, i + q) == f->chars[f->at[k] + q]) q++;
            if (q == len) {
                hit = k;
                break;
            }
        }
        if (hit < 0) {
            i++;
            continue;
        }
        if (append_new(out, Py_BuildValue("(nnn)", i, i + f->len[hit], hit)) < 0) {
            Py_DECREF(out);
            return NULL;
        }
        i += f->len[hit];
    }
    return out;
}

static PyObject *_nl;  /* "\n", made once */

/* ---- align.py `Alignment.pairs`: the segment pairs of a target text ---- */

/* make_pairs(Pair, text, tspans, source, sspans) -> [Pair(start, end, source segment,
 * source start, source line, index, target segment)]: `Pair` is a tuple subclass of seven
 * fields (align.Pair); lines are counted from 1 as the spans go (each one later). */
static PyObject *make_pairs(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 5 || !PyType_Check(args[0]) || !PyType_IsSubtype((PyTypeObject *)args[0], &PyTuple_Type) ||
        !PyUnicode_Check(args[1]) || !PyList_Check(args[2]) || !PyUnicode_Check(args[3]) ||
        !PyList_Check(args[4]) || PyList_GET_SIZE(args[2]) != PyList_GET_SIZE(args[4])) {
        PyErr_SetString(PyExc_TypeError, "make_pairs() takes (Pair, text, spans, source, spans of as many)");
        return NULL;
    }
    PyTypeObject *type = (PyTypeObject *)args[0];
    PyObject *text = args[1], *tspans = args[2], *src = args[3], *sspans = args[4];
    Py_ssize_t n = PyList_GET_SIZE(tspans), line = 1, pos = 0, slen = PyUnicode_GET_LENGTH(src);
    Py_ssize_t tlen = PyUnicode_GET_LENGTH(text);
    PyObject *out = PyList_New(n);
    if (out == NULL) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t a, b, sa, sb;
        if (!PyArg_ParseTuple(PyList_GET_ITEM(tspans, i), "nn", &a, &b) ||
            !PyArg_ParseTuple(PyList_GET_ITEM(sspans, i), "nn", &sa, &sb))
            goto fail;
        if (a < 0 || b < a || b > tlen || sa < pos || sb < sa || sb > slen) {
            PyErr_SetString(PyExc_ValueError, "make_pairs() takes spans in order, inside their texts");
            goto fail;
        }
        Py_ssize_t nl = sa > pos ? PyUnicode_Count(src, _nl, pos, sa) : 0;
        if (nl < 0) goto fail;
        line += nl;
        pos = sa;
        PyObject *pair = type->tp_alloc(type, 7);
        if (pair == NULL) goto fail;
        PyObject *items[7] = {PyLong_FromSsize_t(a), PyLong_FromSsize_t(b), PyUnicode_Substring(src, sa, sb),
                              PyLong_FromSsize_t(sa), PyLong_FromSsize_t(line), PyLong_FromSsize_t(i),
                              PyUnicode_Substring(text, a, b)};
        for (int k = 0; k < 7; k++) {
            if (items[k] == NULL) {
                for (int j = 0; j < 7; j++) Py_XDECREF(items[j]);
                Py_DECREF(pair);
                goto fail;
            }
        }
        for (int k = 0; k < 7; k++) PyTuple_SET_ITEM(pair, k, items[k]);
        PyList_SET_ITEM(out, i, pair);
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* to_compare(text, pairs, matches, spans, covered, plain_units, months, is_kept) ->
 * [(index, unsure)]: numbers.py `_to_compare_py`, the pairs whose numbers must be read
 * and compared: a pair with no STRICT match and an ASCII digit in its target, or whose
 * matches `settled` does not settle (unsure: it could not tell, and Python decides). */
static PyObject *to_compare(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 8 || !PyUnicode_Check(args[0]) || !PyList_Check(args[1]) || !PyList_Check(args[2]) ||
        !PyList_Check(args[3]) || PyList_GET_SIZE(args[2]) != PyList_GET_SIZE(args[3])) {
        PyErr_SetString(PyExc_TypeError, "to_compare() takes (text, pairs, matches, spans, covered, "
                        "plain_units, months, is_kept)");
        return NULL;
    }
    PyObject *pairs = args[1], *matches = args[2], *spans = args[3];
    PyObject *out = PyList_New(0);
    if (out == NULL) return NULL;
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(pairs); k++) {
        PyObject *pair = PyList_GET_ITEM(pairs, k);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) < 7) {
            PyErr_SetString(PyExc_TypeError, "to_compare() takes align.Pair tuples");
            goto fail;
        }
        Py_ssize_t index = PyLong_AsSsize_t(PyTuple_GET_ITEM(pair, 5));
        if (index == -1 && PyErr_Occurred()) goto fail;
        if (index < 0 || index >= PyList_GET_SIZE(matches)) {
            PyErr_SetString(PyExc_IndexError, "to_compare(): a pair's index has no matches");
            goto fail;
        }
        PyObject *ms = PyList_GET_ITEM(matches, index), *target = PyTuple_GET_ITEM(pair, 6);
        PyObject *span = PyList_GET_ITEM(spans, index);
        if (!PyList_Check(ms) || !PyUnicode_Check(target) || !PyTuple_Check(span) || PyTuple_GET_SIZE(span) != 2) {
            PyErr_SetString(PyExc_TypeError, "to_compare() takes lists of matches and (start, end) spans");
            goto fail;
        }
        PyObject *verdict = NULL;
        if (PyList_GET_SIZE(ms) == 0) {
            TargetDigits d;
            int r = next_digits(target, 0, &d);
            if (r < 0) goto fail;
            if (!r) continue;  /* no number on either side */
        } else {
            PyObject *sargs[10] = {args[0], ms, args[4], PyTuple_GET_ITEM(span, 0), PyTuple_GET_ITEM(span, 1),
                                   PyTuple_GET_ITEM(pair, 2), target, args[5], args[6], args[7]};
            if (!settled_args_ok(sargs)) {
                PyErr_SetString(PyExc_TypeError, "to_compare() takes (text, pairs, matches, spans, covered, "
                                "plain_units, months, is_kept)");
                goto fail;
            }
            verdict = settle(sargs);
            if (verdict == NULL) goto fail;
            Py_DECREF(verdict);  /* (one of the three singletons) */
            if (verdict == Py_True) continue;
        }
        if (append_new(out, Py_BuildValue("(nO)", k, verdict == Py_None ? Py_True : Py_False)) < 0) goto fail;
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* name_map_of(Rendering, found, text, pairs) -> (renderings, by_han): names.py
 * `_name_map_py`. `found` is what renderings() gives; each becomes a Rendering (a tuple
 * subclass of six fields: start, end, spelling, Han characters, source start, pair) and
 * is counted in by_han, {Han characters: {spelling: count}}, first seen first. */
static PyObject *name_map_of(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 4 || !PyType_Check(args[0]) || !PyType_IsSubtype((PyTypeObject *)args[0], &PyTuple_Type) ||
        !PyList_Check(args[1]) || !PyUnicode_Check(args[2]) || !PyList_Check(args[3])) {
        PyErr_SetString(PyExc_TypeError, "name_map_of() takes (Rendering, found, text, pairs)");
        return NULL;
    }
    PyTypeObject *type = (PyTypeObject *)args[0];
    PyObject *found = args[1], *text = args[2], *pairs = args[3];
    PyObject *out = PyList_New(0), *by_han = PyDict_New();
    if (out == NULL || by_han == NULL) goto fail;
    for (Py_ssize_t j = 0; j < PyList_GET_SIZE(found); j++) {
        Py_ssize_t a, b, i, size, k;
        if (!PyArg_ParseTuple(PyList_GET_ITEM(found, j), "nnnnn", &a, &b, &i, &size, &k)) goto fail;
        if (k < 0 || k >= PyList_GET_SIZE(pairs)) {
            PyErr_SetString(PyExc_IndexError, "name_map_of(): no such pair");
            goto fail;
        }
        PyObject *pair = PyList_GET_ITEM(pairs, k);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) < 3 || !PyUnicode_Check(PyTuple_GET_ITEM(pair, 2))) {
            PyErr_SetString(PyExc_TypeError, "name_map_of() takes align.Pair tuples");
            goto fail;
        }
        PyObject *source = PyTuple_GET_ITEM(pair, 2);
        if (a < 0 || b < a || b > PyUnicode_GET_LENGTH(text) || i < 0 || size < 0 ||
            i + size > PyUnicode_GET_LENGTH(source)) {
            PyErr_SetString(PyExc_ValueError, "name_map_of(): a place outside its text");
            goto fail;
        }
        PyObject *spelled = PyUnicode_Substring(text, a, b);
        PyObject *han = spelled == NULL ? NULL : PyUnicode_Substring(source, i, i + size);
        PyObject *r = han == NULL ? NULL : type->tp_alloc(type, 6);
        PyObject *ia = r == NULL ? NULL : PyLong_FromSsize_t(a);
        PyObject *ib = ia == NULL ? NULL : PyLong_FromSsize_t(b);
        PyObject *ii = ib == NULL ? NULL : PyLong_FromSsize_t(i);
        if (ii == NULL) {
            Py_XDECREF(spelled); Py_XDECREF(han); Py_XDECREF(r); Py_XDECREF(ia); Py_XDECREF(ib);
            goto fail;
        }
        Py_INCREF(spelled);
        Py_INCREF(han);
        Py_INCREF(pair);
        PyTuple_SET_ITEM(r, 0, ia);
        PyTuple_SET_ITEM(r, 1, ib);
        PyTuple_SET_ITEM(r, 2, spelled);
        PyTuple_SET_ITEM(r, 3, han);
        PyTuple_SET_ITEM(r, 4, ii);
        PyTuple_SET_ITEM(r, 5, pair);
        int bad = PyList_Append(out, r) < 0;
        Py_DECREF(r);
        PyObject *spellings = bad ? NULL : PyDict_GetItemWithError(by_han, han);
        if (!bad && spellings == NULL && !PyErr_Occurred()) {
            spellings = PyDict_New();
            bad = spellings == NULL || PyDict_SetItem(by_han, han, spellings) < 0;
            Py_XDECREF(spellings);  /* by_han holds it */
        }
        if (!bad && spellings != NULL) {
            PyObject *n = PyDict_GetItemWithError(spellings, spelled);
            long count = n == NULL ? 0 : PyLong_AsLong(n);
            PyObject *more = PyErr_Occurred() ? NULL : PyLong_FromLong(count + 1);
            bad = more == NULL || PyDict_SetItem(spellings, spelled, more) < 0;
            Py_XDECREF(more);
        }
        Py_DECREF(spelled);
        Py_DECREF(han);
        if (bad || PyErr_Occurred()) goto fail;
    }
    PyObject *result = PyTuple_Pack(2, out, by_han);
    Py_DECREF(out);
    Py_DECREF(by_han);
    return result;
fail:
    Py_XDECREF(out);
    Py_XDECREF(by_han);
    return NULL;
}

/* ---- punctuation.py `_marked_py`: the pairs where a mark may need comparing ---- */

static int blank(PyObject *u) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(u);
    int kind = PyUnicode_KIND(u);
    const void *data = PyUnicode_DATA(u);
    for (Py_ssize_t i = 0; i < n; i++)
        if (!Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) return 0;
    return 1;
}

static int holds_any(PyObject *u, PyObject *chars) {
    for (Py_ssize_t j = 0; j < PyUnicode_GET_LENGTH(chars); j++) {
        Py_ssize_t at = PyUnicode_FindChar(u, PyUnicode_READ_CHAR(chars, j), 0, PyUnicode_GET_LENGTH(u), 1);
        if (at == -2) return -1;
        if (at >= 0) return 1;
    }
    return 0;
}

/* marked(pairs, source_chars, target_chars) -> [index]: the pairs with text on both sides
 * whose source holds one of `source_chars` or whose target holds one of `target_chars`. */
static PyObject *marked(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *pairs, *schars, *tchars;
    if (!PyArg_ParseTuple(args, "O!UU:marked", &PyList_Type, &pairs, &schars, &tchars)) return NULL;
    PyObject *out = PyList_New(0);
    if (out == NULL) return NULL;
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(pairs); k++) {
        PyObject *p = PyList_GET_ITEM(pairs, k);
        if (!PyTuple_Check(p) || PyTuple_GET_SIZE(p) < 7 || !PyUnicode_Check(PyTuple_GET_ITEM(p, 2)) ||
            !PyUnicode_Check(PyTuple_GET_ITEM(p, 6))) {
            PyErr_SetString(PyExc_TypeError, "marked() takes align.Pair tuples");
            Py_DECREF(out);
            return NULL;
        }
        PyObject *source = PyTuple_GET_ITEM(p, 2), *target = PyTuple_GET_ITEM(p, 6);
        int s = holds_any(source, schars), t = s == 1 ? 0 : holds_any(target, tchars);
        if (s < 0 || t < 0) {
            Py_DECREF(out);
            return NULL;
        }
        if (!(s || t) || blank(source) || blank(target)) continue;
        if (append_new(out, PyLong_FromSsize_t(k)) < 0) {
            Py_DECREF(out);
            return NULL;
        }
    }
    return out;
}

static PyMethodDef methods[] = {
    {"marked", marked, METH_VARARGS, "punctuation.py `_marked_py`, in C."},
    {"name_map_of", (PyCFunction)(void (*)(void))name_map_of, METH_FASTCALL, "names.py `_name_map_py`, in C."},
    {"to_compare", (PyCFunction)(void (*)(void))to_compare, METH_FASTCALL, "numbers.py `_to_compare_py`, in C."},
    {"make_pairs", (PyCFunction)(void (*)(void))make_pairs, METH_FASTCALL, "align.py `_pairs_py`, in C."},
    {"forms_table", forms_table, METH_O, "The forms for longest_matches()."},
    {"longest_matches", longest_matches, METH_VARARGS, "entities.py `_longest_py`, in C."},
    {"vocab_words", vocab_words, METH_VARARGS, "ennum.py `_vocab_words_py`, in C."},
    {"line_spans", line_spans, METH_O, "align.py `_lines`, before trailing blank lines are dropped."},
    {"length_outliers", length_outliers, METH_VARARGS, "SRC050's pass over the pairs (omission.py), in C."},
    {"whole", (PyCFunction)(void (*)(void))whole, METH_FASTCALL, "numbers.py `_whole`, in C."},
    {"settled", (PyCFunction)(void (*)(void))settled, METH_FASTCALL, "numbers.py `_settled_unread`, in C."},
    {"table", table, METH_O, "The pinyin readings of each character, for renderings()."},
    {"renderings", renderings, METH_VARARGS,
     "(start, end, source start, size, pair index) of each romanized name read in the source."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_speedups",
                                    "C twins of the source checks' hot loops.", -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__speedups(void) {
    init_finals();
    _nl = PyUnicode_FromString("\n");
    if (_nl == NULL) return NULL;
    return PyModule_Create(&module);
}
