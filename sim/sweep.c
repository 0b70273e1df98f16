/* arclight sweeps: spec parsing, point enumeration and sampling, evaluation of a point, and the
 * threaded run that feeds a sink. The rules are in include/arclight/sweep.h.
 * Not for: SQLite (sim/sweep_db.c) or printing (cli/cmd_sweep.c). */
#include "arclight/sweep.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arclight/area.h"
#include "arclight/calib.h"
#include "arclight/fsutil.h"
#include "arclight/json.h"

static const char *const target_prefix_[] = {
    [ARC_SWEEP_HW] = "hw.",
    [ARC_SWEEP_MODEL] = "model.",
    [ARC_SWEEP_WORKLOAD] = "workload.",
};
_Static_assert(ARC_SWEEP_TARGET_COUNT == 3, "update target_prefix_");

static const char *const mkey_names_[] = {
    [ARC_SWEEP_M_SOFTMAX_EVERY] = "softmax_every",
    [ARC_SWEEP_M_SOFTMAX_LAYERS] = "softmax_layers",
};
_Static_assert(ARC_SWEEP_M_COUNT == 2, "update mkey_names_");

/* each workload key, its upper bound (as `arclight sim` takes them) and, for names, its choices */
static const struct {
    const char *name;
    double hi;
    const char *choices;
} wkey_[] = {
    [ARC_SWEEP_W_PHASE] = {"phase", 0, "prefill|decode"},
    [ARC_SWEEP_W_BATCH] = {"batch", 1073741824.0, NULL},
    [ARC_SWEEP_W_CTX] = {"ctx", 4294967296.0, NULL},
    [ARC_SWEEP_W_TP] = {"tp", 65536, NULL},
    [ARC_SWEEP_W_EP] = {"ep", 65536, NULL},
    [ARC_SWEEP_W_PP] = {"pp", ARC_MAX_LAYERS, NULL},
    [ARC_SWEEP_W_DEVICES] = {"devices", 1048576, NULL},
    [ARC_SWEEP_W_DTYPE] = {"dtype", 0, "bf16|fp8|int8"},
    [ARC_SWEEP_W_CHUNK] = {"chunk", 4096, NULL},
};
_Static_assert(ARC_SWEEP_W_COUNT == 9, "update wkey_");
_Static_assert(ARC_PHASE_PREFILL == 0 && ARC_PHASE_DECODE == 1, "phase choices follow enum arc_phase");

static const char *const input_names_[] = {
    [ARC_SWEEP_IN_MODEL] = "model",
    [ARC_SWEEP_IN_HW] = "hw",
    [ARC_SWEEP_IN_CALIB] = "calibration",
    [ARC_SWEEP_IN_TABLES] = "tables",
};
_Static_assert(ARC_SWEEP_IN_COUNT == 4, "update input_names_");

static int cmp_builtin_(const void *a, const void *b)
{
    return strcmp((*(const struct arc_builtin *const *)a)->path, (*(const struct arc_builtin *const *)b)->path);
}

/* The built-in energy and area tables: FNV-1a 64, from the offset basis, over the FNV-1a 64 of each
 * one's path and then of its bytes (8 bytes each, least significant first), sorted by path. */
static uint64_t tables_fnv_(void)
{
    const struct arc_builtin *t[64];
    size_t n = 0;
    for (const struct arc_builtin *b = arc_builtins; b->path; b++)
        if (!strncmp(b->path, "sim/energy/", 11) || !strncmp(b->path, "sim/area/", 9)) {
            ARC_ASSERT(n < sizeof t / sizeof t[0]);
            t[n++] = b;
        }
    qsort(t, n, sizeof t[0], cmp_builtin_);
    uint64_t h = ARC_FNV1A64_BASIS;
    for (size_t i = 0; i < n; i++) {
        h = arc_fnv1a64_u64(h, arc_fnv1a64(t[i]->path, strlen(t[i]->path)));
        h = arc_fnv1a64_u64(h, arc_fnv1a64(t[i]->data, t[i]->size));
    }
    return h;
}

const char *arc_sweep_input_name(enum arc_sweep_input i)
{
    ARC_ASSERT(i < ARC_SWEEP_IN_COUNT);
    return input_names_[i];
}

static uint64_t splitmix64_(uint64_t x)
{
    x += UINT64_C(0x9e3779b97f4a7c15);
    x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
    return x ^ (x >> 31);
}

/* drops "_comment" keys everywhere, so comments do not change a spec's identity */
static void strip_comments_(cJSON *o)
{
    cJSON *c = o ? o->child : NULL;
    while (c) {
        cJSON *next = c->next;
        if (cJSON_IsObject(o) && c->string && c->string[0] == '_')
            cJSON_Delete(cJSON_DetachItemViaPointer(o, c));
        else
            strip_comments_(c);
        c = next;
    }
}

static int only_keys_(const cJSON *o, const char *file, const char *prefix, const char *const *keys)
{
    int st = arc_json_no_duplicates(o, file, prefix);
    if (st < 0)
        return st;
    for (const cJSON *c = o->child; c; c = c->next) {
        int ok = c->string[0] == '_';
        char list[256] = "";
        for (int i = 0; keys[i]; i++) {
            ok |= strcmp(c->string, keys[i]) == 0;
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", keys[i]);
        }
        if (!ok)
            return arc_errorf(ARC_EINPUT, "%s:%s%s: unknown key; expected %s", file, prefix, c->string, list);
    }
    return ARC_OK;
}

static int parse_model_(struct arc_sweep *s, const cJSON *v)
{
    const char *file = s->file;
    if (cJSON_IsString(v))
        return arc_model_load(v->valuestring, &s->model);
    if (!cJSON_IsObject(v))
        return arc_errorf(ARC_EINPUT, "%s:model: expected a model name, a config.json path or {\"name\": ..., \"softmax_every\": N}", file);
    static const char *const keys[] = {"name", "softmax_every", "softmax_layers", NULL};
    int st = only_keys_(v, file, "model.", keys);
    const char *name;
    if (st < 0 || (st = arc_json_str(v, file, "model.name", "name", &name)) < 0 ||
        (st = arc_model_load(name, &s->model)) < 0)
        return st;
    int every = cJSON_GetObjectItemCaseSensitive(v, "softmax_every") != NULL;
    int layers = cJSON_GetObjectItemCaseSensitive(v, "softmax_layers") != NULL;
    if (every && layers)
        return arc_errorf(ARC_EINPUT, "%s:model.softmax_layers: expected softmax_every or softmax_layers, not both", file);
    int64_t k;
    if (every || layers) {
        const char *key = every ? "softmax_every" : "softmax_layers";
        char field[64];
        snprintf(field, sizeof field, "model.%s", key);
        if ((st = arc_json_int(v, file, field, key, 0, s->model.n_layers, &k)) < 0)
            return st;
        st = every ? arc_model_set_softmax_every(&s->model, (int)k)
                   : arc_model_set_softmax_layers(&s->model, (int)k);
    }
    return st;
}

static int parse_workload_(struct arc_sweep *s, const cJSON *v)
{
    const char *file = s->file;
    if (!cJSON_IsObject(v))
        return arc_errorf(ARC_EINPUT, "%s:workload: expected an object of phase, batch, ctx, tp, ep, pp, devices, dtype, chunk", file);
    const char *keys[ARC_SWEEP_W_COUNT + 1];
    for (int i = 0; i < ARC_SWEEP_W_COUNT; i++)
        keys[i] = wkey_[i].name;
    keys[ARC_SWEEP_W_COUNT] = NULL;
    int st = only_keys_(v, file, "workload.", keys);
    if (st < 0)
        return st;
    s->wl.phase = ARC_PHASE_DECODE;
    s->wl.dtype = ARC_DTYPE_BF16;
    for (int i = 0; i < ARC_SWEEP_W_COUNT; i++) {
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(v, wkey_[i].name);
        if (!c)
            continue;
        char field[64];
        snprintf(field, sizeof field, "workload.%s", wkey_[i].name);
        if (wkey_[i].choices) {
            int k = cJSON_IsString(c) ? arc_hw_choice_index(wkey_[i].choices, c->valuestring) : -1;
            if (k < 0)
                return arc_errorf(ARC_EINPUT, "%s:%s: expected one of %s", file, field, wkey_[i].choices);
            if (i == ARC_SWEEP_W_PHASE)
                s->wl.phase = (enum arc_phase)k;
            else
                s->wl.dtype = k == 0 ? ARC_DTYPE_BF16 : k == 1 ? ARC_DTYPE_FP8 : ARC_DTYPE_INT8;
            continue;
        }
        int64_t x;
        if ((st = arc_json_int(v, file, field, wkey_[i].name, 1, (int64_t)wkey_[i].hi, &x)) < 0)
            return st;
        switch ((enum arc_sweep_wkey)i) {
        case ARC_SWEEP_W_BATCH: s->wl.batch = x; break;
        case ARC_SWEEP_W_CTX: s->wl.ctx = x; break;
        case ARC_SWEEP_W_TP: s->wl.tp = (int)x; break;
        case ARC_SWEEP_W_EP: s->wl.ep = (int)x; break;
        case ARC_SWEEP_W_PP: s->wl.pp = (int)x; break;
        case ARC_SWEEP_W_DEVICES: s->wl.devices = (int)x; break;
        case ARC_SWEEP_W_CHUNK: s->wl.chunk = (int)x; break;
        default: ARC_ASSERT(!"a name key"); break;
        }
    }
    return ARC_OK;
}

/* Finds what an axis path sets. */
static int resolve_axis_(struct arc_sweep *s, struct arc_sweep_axis *a, const char *field)
{
    const char *p = a->path;
    const char *choices = NULL;
    for (int t = 0; t < ARC_SWEEP_TARGET_COUNT; t++) {
        size_t n = strlen(target_prefix_[t]);
        if (strncmp(p, target_prefix_[t], n) != 0)
            continue;
        const char *key = p + n;
        a->target = (enum arc_sweep_target)t;
        a->field = -1;
        if (t == ARC_SWEEP_HW) {
            int f = arc_hw_field_find(key);
            if (f < 0)
                return arc_errorf(ARC_EINPUT, "%s:%s: unknown hardware field; expected a figure's JSON path (arclight hw show %s --json)", s->file, field, s->hw.name);
            if (!arc_hw_has(&s->hw, (enum arc_hw_field)f))
                return arc_errorf(ARC_EINPUT, "%s:%s: not a figure of %s hardware (%s)", s->file, field,
                                  arc_hw_kind_name(s->hw.kind), s->hw.name);
            a->field = f;
            a->integer = arc_hw_field_info((enum arc_hw_field)f)->integer;
            choices = arc_hw_field_info((enum arc_hw_field)f)->choices;
        } else if (t == ARC_SWEEP_MODEL) {
            for (int i = 0; i < ARC_SWEEP_M_COUNT; i++)
                if (strcmp(key, mkey_names_[i]) == 0)
                    a->field = i;
            if (a->field < 0)
                return arc_errorf(ARC_EINPUT, "%s:%s: unknown model variant; expected model.softmax_every or model.softmax_layers", s->file, field);
            a->integer = 1;
        } else {
            for (int i = 0; i < ARC_SWEEP_W_COUNT; i++)
                if (strcmp(key, wkey_[i].name) == 0)
                    a->field = i;
            if (a->field < 0)
                return arc_errorf(ARC_EINPUT, "%s:%s: unknown workload field; expected workload.phase, batch, ctx, tp, ep, pp, devices, dtype or chunk", s->file, field);
            a->integer = 1;
            choices = wkey_[a->field].choices;
        }
        a->text = choices != NULL;
        return ARC_OK;
    }
    return arc_errorf(ARC_EINPUT, "%s:%s: unknown axis; expected a path starting hw., model. or workload.", s->file, field);
}

static const char *axis_choices_(const struct arc_sweep_axis *a)
{
    if (a->target == ARC_SWEEP_HW)
        return arc_hw_field_info((enum arc_hw_field)a->field)->choices;
    if (a->target == ARC_SWEEP_WORKLOAD)
        return wkey_[a->field].choices;
    return NULL;
}

#define AXIS_VALUES_MAX 10000000 /* values in one axis */

static void push_(struct arc_sweep_axis *a, double v, int *cap)
{
    if (a->n == *cap) {
        *cap = *cap ? 2 * *cap : 16;
        a->num = arc_xrealloc(a->num, (size_t)*cap * sizeof *a->num);
    }
    a->num[a->n++] = v;
}

static int parse_values_(struct arc_sweep *s, struct arc_sweep_axis *a, const cJSON *v, const char *field)
{
    const char *file = s->file;
    int cap = 0;
    const char *choices = axis_choices_(a);
    if (cJSON_IsArray(v)) {
        int n = cJSON_GetArraySize(v);
        if (n == 0)
            return arc_errorf(ARC_EINPUT, "%s:%s: empty list; expected at least one value", file, field);
        if (n > AXIS_VALUES_MAX)
            return arc_errorf(ARC_EINPUT, "%s:%s: expected at most %d values", file, field, AXIS_VALUES_MAX);
        if (a->text)
            a->str = arc_xcalloc((size_t)n, sizeof *a->str);
        int i = 0;
        for (const cJSON *c = v->child; c; c = c->next, i++) {
            if (a->text) {
                int k = cJSON_IsString(c) ? arc_hw_choice_index(choices, c->valuestring) : -1;
                if (k < 0)
                    return arc_errorf(ARC_EINPUT, "%s:%s[%d]: expected one of %s", file, field, i, choices);
                a->str[i] = arc_xstrdup(c->valuestring);
                push_(a, k, &cap);
            } else {
                if (!cJSON_IsNumber(c) || !isfinite(c->valuedouble))
                    return arc_errorf(ARC_EINPUT, "%s:%s[%d]: expected a number", file, field, i);
                push_(a, c->valuedouble, &cap);
            }
        }
        return ARC_OK;
    }
    if (a->text)
        return arc_errorf(ARC_EINPUT, "%s:%s: expected a list of names (%s)", file, field, choices);
    if (!cJSON_IsObject(v))
        return arc_errorf(ARC_EINPUT, "%s:%s: expected a list, {\"from\", \"to\", \"step\"} or {\"from\", \"to\", \"points\"}", file, field);
    const cJSON *step = cJSON_GetObjectItemCaseSensitive(v, "step");
    const cJSON *points = cJSON_GetObjectItemCaseSensitive(v, "points");
    char prefix[ARC_SWEEP_PATH_MAX + 16];
    snprintf(prefix, sizeof prefix, "%s.", field);
    static const char *const keys[] = {"from", "to", "step", "points", NULL};
    int st = only_keys_(v, file, prefix, keys);
    if (st < 0)
        return st;
    if ((step != NULL) == (points != NULL))
        return arc_errorf(ARC_EINPUT, "%s:%s: expected either \"step\" (a linear range) or \"points\" (a log range)", file, field);
    char f1[ARC_SWEEP_PATH_MAX + 24], f2[ARC_SWEEP_PATH_MAX + 24], f3[ARC_SWEEP_PATH_MAX + 24];
    snprintf(f1, sizeof f1, "%s.from", field);
    snprintf(f2, sizeof f2, "%s.to", field);
    double from, to;
    if ((st = arc_json_num(v, file, f1, "from", -1e300, 1e300, &from)) < 0 ||
        (st = arc_json_num(v, file, f2, "to", -1e300, 1e300, &to)) < 0)
        return st;
    if (to < from)
        return arc_errorf(ARC_EINPUT, "%s:%s: expected at least from (%g)", file, f2, from);
    if (step) {
        snprintf(f3, sizeof f3, "%s.step", field);
        double d;
        if ((st = arc_json_num(v, file, f3, "step", 0, 1e300, &d)) < 0)
            return st;
        if (!(d > 0))
            return arc_errorf(ARC_EINPUT, "%s:%s: expected a number > 0", file, f3);
        double n = floor((to - from) / d * (1 + 1e-12) + 1e-9) + 1;
        if (!(n <= AXIS_VALUES_MAX))
            return arc_errorf(ARC_EINPUT, "%s:%s: the range has %.0f values; expected at most %d", file, f3, n, AXIS_VALUES_MAX);
        for (int i = 0; i < (int)n; i++)
            push_(a, from + i * d, &cap);
        return ARC_OK;
    }
    snprintf(f3, sizeof f3, "%s.points", field);
    int64_t n;
    if ((st = arc_json_int(v, file, f3, "points", 1, AXIS_VALUES_MAX, &n)) < 0)
        return st;
    if (!(from > 0))
        return arc_errorf(ARC_EINPUT, "%s:%s: expected a number > 0 for a log range", file, f1);
    for (int64_t i = 0; i < n; i++) {
        double x = i == 0 ? from : i == n - 1 ? to : from * pow(to / from, (double)i / (double)(n - 1));
        if (a->integer)
            x = round(x);
        if (a->n == 0 || x != a->num[a->n - 1]) /* rounding can repeat a value: drop it */
            push_(a, x, &cap);
    }
    return ARC_OK;
}

static int parse_axes_(struct arc_sweep *s, const cJSON *v)
{
    if (!cJSON_IsObject(v))
        return arc_errorf(ARC_EINPUT, "%s:axes: expected an object of \"PATH\": VALUES", s->file);
    int st = arc_json_no_duplicates(v, s->file, "axes.");
    if (st < 0)
        return st;
    if (!v->child)
        return arc_errorf(ARC_EINPUT, "%s:axes: empty; expected at least one axis", s->file);
    s->grid = 1;
    for (const cJSON *c = v->child; c; c = c->next) {
        char field[ARC_SWEEP_PATH_MAX + 8];
        snprintf(field, sizeof field, "axes.%.*s", ARC_SWEEP_PATH_MAX - 1, c->string);
        if (c->string[0] == '_')
            continue;
        if (s->n_axes == ARC_SWEEP_AXES_MAX)
            return arc_errorf(ARC_EINPUT, "%s:%s: expected at most %d axes", s->file, field, ARC_SWEEP_AXES_MAX);
        if (strlen(c->string) >= ARC_SWEEP_PATH_MAX)
            return arc_errorf(ARC_EINPUT, "%s:%s: expected a path of at most %d characters", s->file, field, ARC_SWEEP_PATH_MAX - 1);
        struct arc_sweep_axis *a = &s->axes[s->n_axes++];
        snprintf(a->path, sizeof a->path, "%s", c->string);
        if ((st = resolve_axis_(s, a, field)) < 0 || (st = parse_values_(s, a, c, field)) < 0)
            return st;
        if (s->grid > ARC_SWEEP_GRID_MAX / (uint64_t)a->n)
            return arc_errorf(ARC_EINPUT, "%s:%s: the grid exceeds 2^62 points; expected fewer values", s->file, field);
        s->grid *= (uint64_t)a->n;
    }
    return ARC_OK;
}

static int parse_sample_(struct arc_sweep *s, const cJSON *v)
{
    if (!cJSON_IsObject(v))
        return arc_errorf(ARC_EINPUT, "%s:sample: expected {\"random\": N, \"seed\": S}", s->file);
    static const char *const keys[] = {"random", "seed", NULL};
    int st = only_keys_(v, s->file, "sample.", keys);
    int64_t n, seed;
    if (st < 0 || (st = arc_json_int(v, s->file, "sample.random", "random", 1, (int64_t)ARC_SWEEP_POINTS_MAX, &n)) < 0 ||
        (st = arc_json_int(v, s->file, "sample.seed", "seed", 0, INT64_C(1) << 53, &seed)) < 0)
        return st;
    if ((uint64_t)n > s->grid)
        return arc_errorf(ARC_EINPUT, "%s:sample.random: expected at most the grid's %llu points", s->file,
                          (unsigned long long)s->grid);
    s->sampled = 1;
    s->n_points = (uint64_t)n;
    s->seed = (uint64_t)seed;
    s->perm_bits = 2;
    while (s->perm_bits < 64 && (UINT64_C(1) << s->perm_bits) < s->grid)
        s->perm_bits += 2; /* even, so the Feistel halves are equal */
    for (int r = 0; r < 4; r++)
        s->perm_key[r] = splitmix64_(s->seed * 4 + (uint64_t)r + UINT64_C(0x5eed));
    return ARC_OK;
}

int arc_sweep_parse(const char *text, const char *file, const char *engine, struct arc_sweep *s)
{
    memset(s, 0, sizeof *s);
    snprintf(s->file, sizeof s->file, "%s", file);
    cJSON *j = NULL;
    int st = arc_json_parse(text, file, &j);
    if (st < 0)
        return st;
    static const char *const keys[] = {"model", "hw", "workload", "engine", "axes", "sample", NULL};
    if (!cJSON_IsObject(j)) {
        st = arc_errorf(ARC_EINPUT, "%s: expected a JSON object with model, hw, workload and axes", file);
        goto out;
    }
    if ((st = only_keys_(j, file, "", keys)) < 0)
        goto out;
    strip_comments_(j);
    const cJSON *v;
    if (!(v = cJSON_GetObjectItemCaseSensitive(j, "model"))) {
        st = arc_errorf(ARC_EINPUT, "%s:model: missing; expected a model name or config.json path", file);
        goto out;
    }
    if ((st = parse_model_(s, v)) < 0)
        goto out;
    const char *hw;
    if ((st = arc_json_str(j, file, "hw", "hw", &hw)) < 0 || (st = arc_hw_load(hw, &s->hw)) < 0)
        goto out;
    s->wl.phase = ARC_PHASE_DECODE;
    s->wl.dtype = ARC_DTYPE_BF16;
    if ((v = cJSON_GetObjectItemCaseSensitive(j, "workload")) && (st = parse_workload_(s, v)) < 0)
        goto out;
    const char *ename = "cost";
    if (cJSON_GetObjectItemCaseSensitive(j, "engine") && (st = arc_json_str(j, file, "engine", "engine", &ename)) < 0)
        goto out;
    if (engine)
        ename = engine;
    if (!(s->engine = arc_engine_find(ename))) {
        st = engine ? arc_errorf(ARC_EINPUT, "--engine: unknown engine \"%s\"; expected cost or cycle", ename)
                    : arc_errorf(ARC_EINPUT, "%s:engine: unknown engine \"%s\"; expected cost or cycle", file, ename);
        goto out;
    }
    if (!(v = cJSON_GetObjectItemCaseSensitive(j, "axes"))) {
        st = arc_errorf(ARC_EINPUT, "%s:axes: missing; expected an object of \"PATH\": VALUES", file);
        goto out;
    }
    if ((st = parse_axes_(s, v)) < 0)
        goto out;
    s->n_points = s->grid;
    if ((v = cJSON_GetObjectItemCaseSensitive(j, "sample")) && (st = parse_sample_(s, v)) < 0)
        goto out;
    if (s->n_points > ARC_SWEEP_POINTS_MAX) {
        st = arc_errorf(ARC_EINPUT, "%s:axes: the grid has %llu points; expected at most 2^32, or a \"sample\"", file,
                        (unsigned long long)s->n_points);
        goto out;
    }
    /* the identity: the spec without comments, compact, with the engine that runs it, then the
     * bytes of the files it names, as their loaders read them (contents, not paths or times) */
    cJSON_DeleteItemFromObjectCaseSensitive(j, "engine");
    cJSON_AddStringToObject(j, "engine", s->engine->name);
    size_t len;
    s->canonical = arc_json_text(j, false, &len);
    j = NULL;
    s->input_fnv[ARC_SWEEP_IN_MODEL] = s->model.file_fnv;
    s->input_fnv[ARC_SWEEP_IN_HW] = s->hw.files_fnv;
    s->input_fnv[ARC_SWEEP_IN_CALIB] = s->hw.calib ? s->hw.calib->file_fnv : 0;
    s->input_fnv[ARC_SWEEP_IN_TABLES] = tables_fnv_();
    s->hash = arc_fnv1a64(s->canonical, len);
    for (int i = 0; i < ARC_SWEEP_IN_COUNT; i++)
        s->hash = arc_fnv1a64_u64(s->hash, s->input_fnv[i]);
    snprintf(s->hash_hex, sizeof s->hash_hex, "%016llx", (unsigned long long)s->hash);
out:
    cJSON_Delete(j);
    if (st < 0)
        arc_sweep_free(s);
    return st;
}

int arc_sweep_load(const char *path, const char *engine, struct arc_sweep *s)
{
    char *text;
    size_t len;
    int st = arc_file_read_text(path, "a JSON sweep spec", &text, &len);
    if (st == ARC_EIO) { /* a spec that cannot be read is bad input: exit 2 */
        char msg[512];
        snprintf(msg, sizeof msg, "%s", arc_error());
        return arc_errorf(ARC_EINPUT, "%s", msg);
    }
    if (st < 0)
        return st;
    st = arc_sweep_parse(text, path, engine, s);
    free(text);
    return st;
}

void arc_sweep_free(struct arc_sweep *s)
{
    for (int a = 0; a < s->n_axes; a++) {
        for (int i = 0; s->axes[a].str && i < s->axes[a].n; i++)
            free(s->axes[a].str[i]);
        free(s->axes[a].str);
        free(s->axes[a].num);
    }
    free(s->canonical);
    s->canonical = NULL;
    s->n_axes = 0;
}

/* ---- enumeration ---- */

static uint64_t feistel_(const struct arc_sweep *s, uint64_t x)
{
    int h = s->perm_bits / 2;
    uint64_t mask = (UINT64_C(1) << h) - 1;
    uint64_t l = x >> h, r = x & mask;
    for (int i = 0; i < 4; i++) {
        uint64_t t = l ^ (splitmix64_(r ^ s->perm_key[i]) & mask);
        l = r;
        r = t;
    }
    return (l << h) | r;
}

uint64_t arc_sweep_grid_index(const struct arc_sweep *s, uint64_t p)
{
    ARC_ASSERT(p < s->n_points);
    if (!s->sampled)
        return p;
    /* a bijection on [0, 2^bits), walked until it lands in [0, grid): a bijection on the grid */
    uint64_t x = p;
    do
        x = feistel_(s, x);
    while (x >= s->grid);
    return x;
}

void arc_sweep_point(const struct arc_sweep *s, uint64_t p, int32_t *vi)
{
    uint64_t g = arc_sweep_grid_index(s, p);
    for (int a = s->n_axes - 1; a >= 0; a--) {
        vi[a] = (int32_t)(g % (uint64_t)s->axes[a].n);
        g /= (uint64_t)s->axes[a].n;
    }
}

/* ---- evaluation ---- */

/* What one thread keeps between points: the last hardware and model it built, by value indices. */
struct worker_ {
    struct arc_hw hw;
    int32_t hw_vi[ARC_SWEEP_AXES_MAX];
    int hw_st; /* 1 not built yet, else the status of building it */
    char hw_err[ARC_SWEEP_ERROR_MAX];
    struct arc_model model;
    int32_t m_vi[ARC_SWEEP_AXES_MAX];
    int m_st;
    char m_err[ARC_SWEEP_ERROR_MAX];
};

static int same_(const struct arc_sweep *s, enum arc_sweep_target t, const int32_t *a, const int32_t *b)
{
    for (int i = 0; i < s->n_axes; i++)
        if (s->axes[i].target == t && a[i] != b[i])
            return 0;
    return 1;
}

/* Applies the hardware axes. arc_hw_set checks the whole design after each figure, so a set that
 * is only consistent as a whole (a bigger array and a bigger SRAM) can be refused half-way: sets
 * that fail are retried until none succeeds, and the point is invalid only then. */
static int build_hw_(const struct arc_sweep *s, const int32_t *vi, struct arc_hw *hw)
{
    *hw = s->hw;
    int pending[ARC_SWEEP_AXES_MAX], n = 0;
    for (int a = 0; a < s->n_axes; a++)
        if (s->axes[a].target == ARC_SWEEP_HW)
            pending[n++] = a;
    int st = ARC_OK;
    while (n > 0) {
        int left = 0;
        for (int i = 0; i < n; i++) {
            const struct arc_sweep_axis *ax = &s->axes[pending[i]];
            const char *key = ax->path + strlen(target_prefix_[ARC_SWEEP_HW]);
            if (arc_hw_set(hw, key, ax->num[vi[pending[i]]], "sweep axis") < 0)
                pending[left++] = pending[i];
        }
        if (left == n) {
            /* no progress: report the first refusal */
            const struct arc_sweep_axis *ax = &s->axes[pending[0]];
            st = arc_hw_set(hw, ax->path + strlen(target_prefix_[ARC_SWEEP_HW]), ax->num[vi[pending[0]]], "sweep axis");
            break;
        }
        n = left;
    }
    return st;
}

static int build_model_(const struct arc_sweep *s, const int32_t *vi, struct arc_model *m)
{
    *m = s->model;
    for (int a = 0; a < s->n_axes; a++) {
        const struct arc_sweep_axis *ax = &s->axes[a];
        if (ax->target != ARC_SWEEP_MODEL)
            continue;
        double v = ax->num[vi[a]];
        if (v != floor(v) || v < 0 || v > m->n_layers)
            return arc_errorf(ARC_EINPUT, "%s: expected an integer in [0, %d], got %g", ax->path, m->n_layers, v);
        int st = ax->field == ARC_SWEEP_M_SOFTMAX_EVERY ? arc_model_set_softmax_every(m, (int)v)
                                                        : arc_model_set_softmax_layers(m, (int)v);
        if (st < 0)
            return st;
    }
    return ARC_OK;
}

static int build_workload_(const struct arc_sweep *s, const int32_t *vi, const struct arc_model *m,
                           struct arc_workload *w)
{
    *w = s->wl;
    for (int a = 0; a < s->n_axes; a++) {
        const struct arc_sweep_axis *ax = &s->axes[a];
        if (ax->target != ARC_SWEEP_WORKLOAD)
            continue;
        double v = ax->num[vi[a]];
        if (ax->field == ARC_SWEEP_W_PHASE) {
            w->phase = (enum arc_phase)(int)v;
            continue;
        }
        if (ax->field == ARC_SWEEP_W_DTYPE) {
            w->dtype = v == 0 ? ARC_DTYPE_BF16 : v == 1 ? ARC_DTYPE_FP8 : ARC_DTYPE_INT8;
            continue;
        }
        if (v != floor(v) || v < 1 || v > wkey_[ax->field].hi)
            return arc_errorf(ARC_EINPUT, "%s: expected an integer in [1, %.0f], got %g", ax->path,
                              wkey_[ax->field].hi, v);
        switch ((enum arc_sweep_wkey)ax->field) {
        case ARC_SWEEP_W_BATCH: w->batch = (int64_t)v; break;
        case ARC_SWEEP_W_CTX: w->ctx = (int64_t)v; break;
        case ARC_SWEEP_W_TP: w->tp = (int)v; break;
        case ARC_SWEEP_W_EP: w->ep = (int)v; break;
        case ARC_SWEEP_W_PP: w->pp = (int)v; break;
        case ARC_SWEEP_W_DEVICES: w->devices = (int)v; break;
        case ARC_SWEEP_W_CHUNK: w->chunk = (int)v; break;
        default: ARC_ASSERT(!"a name key"); break;
        }
    }
    arc_workload_defaults(w, m);
    return arc_workload_check(w, m);
}

static void invalid_(struct arc_sweep_row *row, const char *why)
{
    row->valid = 0;
    snprintf(row->error, sizeof row->error, "%s", why);
}

static void eval_one_(const struct arc_sweep *s, struct worker_ *wk, uint64_t p, struct arc_sweep_row *row)
{
    memset(row, 0, sizeof *row);
    row->point = p;
    arc_sweep_point(s, p, row->vi);
    int has[ARC_SWEEP_TARGET_COUNT] = {0};
    for (int a = 0; a < s->n_axes; a++)
        has[s->axes[a].target] = 1;

    const struct arc_model *m = &s->model;
    if (has[ARC_SWEEP_MODEL]) {
        if (wk->m_st == 1 || !same_(s, ARC_SWEEP_MODEL, wk->m_vi, row->vi)) {
            memcpy(wk->m_vi, row->vi, sizeof wk->m_vi);
            if ((wk->m_st = build_model_(s, row->vi, &wk->model)) < 0)
                snprintf(wk->m_err, sizeof wk->m_err, "%s", arc_error());
        }
        if (wk->m_st < 0)
            return invalid_(row, wk->m_err);
        m = &wk->model;
    }
    const struct arc_hw *hw = &s->hw;
    if (has[ARC_SWEEP_HW]) {
        if (wk->hw_st == 1 || !same_(s, ARC_SWEEP_HW, wk->hw_vi, row->vi)) {
            memcpy(wk->hw_vi, row->vi, sizeof wk->hw_vi);
            if ((wk->hw_st = build_hw_(s, row->vi, &wk->hw)) < 0)
                snprintf(wk->hw_err, sizeof wk->hw_err, "%s", arc_error());
        }
        if (wk->hw_st < 0)
            return invalid_(row, wk->hw_err);
        hw = &wk->hw;
    }
    struct arc_workload w;
    if (build_workload_(s, row->vi, m, &w) < 0)
        return invalid_(row, arc_error());
    row->devices = w.devices;
    struct arc_result r;
    if (arc_engine_run_model(s->engine, m, &w, hw, &r, NULL, NULL) < 0)
        return invalid_(row, arc_error());
    double device_mm2; /* the die, plus an le design's lightning unit built for the model's head dim */
    if (arc_area_device_mm2(hw, m->head_dim, &device_mm2) < 0)
        return invalid_(row, arc_error());
    row->valid = 1;
    row->fits = r.fits;
    row->latency_s = r.latency_s;
    row->energy_j = r.energy_j;
    row->latency_per_token_s = r.latency_per_token_s;
    row->energy_per_token_j = r.energy_per_token_j;
    row->tokens = r.tokens;
    memcpy(row->energy_by_j, r.energy_by_j, sizeof row->energy_by_j);
    row->alt_energy_j = r.alt_energy_model ? r.alt_energy_j : 0;
    row->footprint_bytes = r.footprint_bytes;
    row->capacity_bytes = r.capacity_bytes;
    row->area_mm2 = device_mm2 * w.devices;
    row->flop = r.flop;
    row->link_bytes = r.link_bytes;
    row->cycles = r.cycles;
    int b = 0;
    for (int i = 1; i < ARC_BOUND_COUNT; i++)
        if (r.by_bound_s[i] > r.by_bound_s[b])
            b = i;
    row->bound = b;
}

int arc_sweep_eval(const struct arc_sweep *s, const uint64_t *points, size_t n, struct arc_sweep_row *rows)
{
    struct worker_ *wk = arc_xmalloc(sizeof *wk);
    wk->hw_st = wk->m_st = 1;
    for (size_t i = 0; i < n; i++)
        eval_one_(s, wk, points[i], &rows[i]);
    free(wk);
    return ARC_OK;
}

/* ---- the threaded run ---- */

#define CHUNK_POINTS 256 /* points a worker takes at a time */

struct chunk_ {
    struct chunk_ *next;
    size_t n;
    struct arc_sweep_row rows[CHUNK_POINTS];
};

struct run_ {
    const struct arc_sweep *s;
    const uint64_t *points;
    size_t n;
    pthread_mutex_t mu;
    pthread_cond_t ready;   /* a chunk was queued, or a worker ended */
    pthread_cond_t room;    /* the queue shrank, or the run stops */
    size_t next;            /* first point not yet taken */
    struct chunk_ *head, *tail;
    int queued, queued_max;
    int running;            /* workers still working */
    int stop;               /* the sink failed: workers end */
};

static void *worker_main_(void *arg)
{
    struct run_ *r = arg;
    struct worker_ *wk = arc_xmalloc(sizeof *wk);
    wk->hw_st = wk->m_st = 1;
    for (;;) {
        pthread_mutex_lock(&r->mu);
        while (!r->stop && r->queued >= r->queued_max)
            pthread_cond_wait(&r->room, &r->mu);
        size_t i = r->next, n = r->n - i < CHUNK_POINTS ? r->n - i : CHUNK_POINTS;
        if (r->stop)
            n = 0;
        r->next += n;
        if (n)
            r->queued++; /* its place in the queue is held from now */
        pthread_mutex_unlock(&r->mu);
        if (n == 0)
            break;
        struct chunk_ *c = arc_xmalloc(sizeof *c);
        c->next = NULL;
        c->n = n;
        for (size_t k = 0; k < n; k++)
            eval_one_(r->s, wk, r->points[i + k], &c->rows[k]);
        pthread_mutex_lock(&r->mu);
        if (r->tail)
            r->tail->next = c;
        else
            r->head = c;
        r->tail = c;
        pthread_cond_signal(&r->ready);
        pthread_mutex_unlock(&r->mu);
    }
    free(wk);
    pthread_mutex_lock(&r->mu);
    r->running--;
    pthread_cond_signal(&r->ready);
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

static double now_s_(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int arc_sweep_run_points(const struct arc_sweep *s, const uint64_t *points, size_t n,
                         const struct arc_sweep_opts *o, const struct arc_sweep_sink *sink)
{
    int jobs = o->jobs < 1 ? 1 : o->jobs > 1024 ? 1024 : o->jobs;
    size_t flush_rows = o->flush_rows ? o->flush_rows : 4096;
    double flush_s = o->flush_s > 0 ? o->flush_s : 0.5;
    double progress_s = o->progress_s > 0 ? o->progress_s : 0.1;
    uint64_t total = o->total ? o->total : o->done_before + n;
    struct run_ r = {.s = s, .points = points, .n = n, .queued_max = 4 * jobs + 4};
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.ready, NULL);
    pthread_cond_init(&r.room, NULL);
    pthread_t *th = arc_xcalloc((size_t)jobs, sizeof *th);
    int started = 0;
    pthread_mutex_lock(&r.mu);
    for (; started < jobs; started++)
        if (pthread_create(&th[started], NULL, worker_main_, &r) != 0)
            break; /* fewer threads than asked: the ones there do the work */
    r.running = started;
    pthread_mutex_unlock(&r.mu);
    if (started == 0) {
        free(th);
        pthread_cond_destroy(&r.room);
        pthread_cond_destroy(&r.ready);
        pthread_mutex_destroy(&r.mu);
        return arc_errorf(ARC_EIO, "%s: cannot start a worker thread", s->file);
    }

    int st = ARC_OK;
    double t0 = now_s_(), last_flush = t0, last_progress = 0;
    size_t unflushed = 0;
    uint64_t done = o->done_before, last_done = done;
    if (sink->progress)
        sink->progress(sink->ctx, done, total, 0);
    pthread_mutex_lock(&r.mu);
    for (;;) {
        if (!r.head && r.running > 0) {
            /* wake at least every progress period, so the bar moves and batches commit on time
             * even when one point takes long */
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            double t = (double)ts.tv_nsec * 1e-9 + progress_s;
            ts.tv_sec += (time_t)t;
            ts.tv_nsec = (long)((t - floor(t)) * 1e9);
            pthread_cond_timedwait(&r.ready, &r.mu, &ts);
        }
        struct chunk_ *c = r.head;
        if (c) {
            r.head = c->next;
            if (!r.head)
                r.tail = NULL;
            r.queued--;
            pthread_cond_signal(&r.room);
        }
        int finished = !c && r.running == 0; /* nothing queued and nobody working */
        pthread_mutex_unlock(&r.mu);
        if (c) {
            if (st >= 0 && (st = sink->rows(sink->ctx, c->rows, c->n)) >= 0) {
                unflushed += c->n;
                done += c->n;
            }
            free(c);
        }
        double t = now_s_();
        if (st >= 0 && unflushed > 0 && (unflushed >= flush_rows || t - last_flush >= flush_s || finished)) {
            st = sink->flush(sink->ctx);
            unflushed = 0;
            last_flush = t;
        }
        if (st >= 0 && sink->progress && done != last_done && (t - last_progress >= progress_s || finished)) {
            sink->progress(sink->ctx, done, total, t - t0);
            last_progress = t;
            last_done = done;
        }
        pthread_mutex_lock(&r.mu);
        if (st < 0 && !r.stop) {
            r.stop = 1; /* workers take no more points; what they hold is dropped */
            pthread_cond_broadcast(&r.room);
        }
        if (finished)
            break;
    }
    pthread_mutex_unlock(&r.mu);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    free(th);
    pthread_cond_destroy(&r.room);
    pthread_cond_destroy(&r.ready);
    pthread_mutex_destroy(&r.mu);
    return st;
}
