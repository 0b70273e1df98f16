/* arclight trace: op tables, and the versioned CSV of traces/FORMAT.md.
 *
 * Writing is deterministic (integers only), so write -> read -> write is byte-identical. Reading
 * is strict: header keys, column names, every field and the final "# end" line with its CRC-32
 * (zlib) are checked, so a truncated or edited file is refused with FILE:LINE:FIELD.
 * Not for: building (model/trace_build.c) or costing (sim/cost/cost.c) traces. */
#include "arclight/trace.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "arclight/fsutil.h"

static const struct arc_op_info op_info_[] = {
    [ARC_OP_EMBED] = {.name = "embed", .unit = ARC_UNIT_VECTOR},
    [ARC_OP_NORM] = {.name = "norm", .unit = ARC_UNIT_VECTOR},
    [ARC_OP_GEMM] = {.name = "gemm", .unit = ARC_UNIT_MATRIX},
    [ARC_OP_GROUPED_GEMM] = {.name = "grouped_gemm", .unit = ARC_UNIT_MATRIX},
    [ARC_OP_ROPE] = {.name = "rope", .unit = ARC_UNIT_VECTOR},
    [ARC_OP_SOFTMAX_ATTN] = {.name = "softmax_attn", .unit = ARC_UNIT_ATTN},
    [ARC_OP_LIGHTNING_ATTN] = {.name = "lightning_attn", .unit = ARC_UNIT_ATTN},
    [ARC_OP_ELEMENTWISE] = {.name = "elementwise", .unit = ARC_UNIT_VECTOR},
    [ARC_OP_ALLREDUCE] = {.name = "allreduce", .unit = ARC_UNIT_LINK},
    [ARC_OP_ALLTOALL] = {.name = "alltoall", .unit = ARC_UNIT_LINK},
    [ARC_OP_ALLGATHER] = {.name = "allgather", .unit = ARC_UNIT_LINK},
    [ARC_OP_SEND] = {.name = "send", .unit = ARC_UNIT_LINK},
    [ARC_OP_ELEMENTWISE_STRIDED] = {.name = "elementwise_strided", .unit = ARC_UNIT_VECTOR},
};
_Static_assert(ARC_OP_COUNT == 13, "update op_info_");

static const char *const block_names_[] = {
    [ARC_BLOCK_SOFTMAX_ATTN] = "softmax_attn",
    [ARC_BLOCK_LIGHTNING_ATTN] = "lightning_attn",
    [ARC_BLOCK_MOE_FFN] = "moe_ffn",
    [ARC_BLOCK_DENSE_FFN] = "dense_ffn",
    [ARC_BLOCK_OTHER] = "other",
};
_Static_assert(ARC_BLOCK_COUNT == 5, "update block_names_");

static const char *const mem_names_[] = {
    [ARC_MEM_WEIGHT] = "weight",
    [ARC_MEM_ACT] = "act",
    [ARC_MEM_KV] = "kv",
    [ARC_MEM_STATE] = "state",
};
_Static_assert(ARC_MEM_COUNT == 4, "update mem_names_");

static const char *const unit_names_[] = {
    [ARC_UNIT_MATRIX] = "matrix",
    [ARC_UNIT_ATTN] = "attn",
    [ARC_UNIT_VECTOR] = "vector",
    [ARC_UNIT_LINK] = "link",
};
_Static_assert(ARC_UNIT_COUNT == 4, "update unit_names_");

const struct arc_op_info *arc_op_info(enum arc_op op)
{
    ARC_ASSERT(op < ARC_OP_COUNT);
    return &op_info_[op];
}
const char *arc_block_name(enum arc_block b)
{
    ARC_ASSERT(b < ARC_BLOCK_COUNT);
    return block_names_[b];
}
const char *arc_mem_name(enum arc_mem m)
{
    ARC_ASSERT(m < ARC_MEM_COUNT);
    return mem_names_[m];
}
const char *arc_unit_name(enum arc_unit u)
{
    ARC_ASSERT(u < ARC_UNIT_COUNT);
    return unit_names_[u];
}

enum arc_unit arc_op_unit(const struct arc_op_rec *o)
{
    if (o->op == ARC_OP_LIGHTNING_ATTN && o->seq_q == 1)
        return ARC_UNIT_VECTOR;
    return op_info_[o->op].unit;
}

void arc_trace_init(struct arc_trace *t) { memset(t, 0, sizeof *t); }

void arc_trace_free(struct arc_trace *t)
{
    free(t->ops);
    memset(t, 0, sizeof *t);
}

struct arc_op_rec *arc_trace_push(struct arc_trace *t)
{
    if (t->n_ops == t->cap_ops) {
        t->cap_ops = t->cap_ops ? 2 * t->cap_ops : 256;
        t->ops = arc_xrealloc(t->ops, (size_t)t->cap_ops * sizeof *t->ops);
    }
    struct arc_op_rec *o = &t->ops[t->n_ops++];
    memset(o, 0, sizeof *o);
    return o;
}

/* ---- the CSV ---- */

#define MAGIC "# arclight-trace v1"
static const char columns_[] =
    "idx,layer,block,op,name,dtype,m,n,k,groups,batch,heads,kv_heads,head_dim,seq_q,seq_kv,chunk,"
    "ranks,flop,weight_bytes,act_bytes,kv_bytes,state_bytes,link_bytes";
enum { N_COLS = 24 };

int arc_trace_format(const struct arc_trace *t, char **out, size_t *len)
{
    struct arc_buf b = {0};
    const struct arc_workload *w = &t->wl;
    arc_buf_printf(&b, MAGIC " model=%s phase=%s batch=%lld ctx=%lld tp=%d ep=%d pp=%d devices=%d dtype=%s chunk=%d mem_weight_bytes=%llu mem_kv_bytes=%llu mem_state_bytes=%llu pattern=%s\n",
                   t->model, arc_phase_name(w->phase), (long long)w->batch, (long long)w->ctx, w->tp,
                   w->ep, w->pp, w->devices, arc_dtype_name(w->dtype), w->chunk,
                   (unsigned long long)t->mem_weight_bytes, (unsigned long long)t->mem_kv_bytes,
                   (unsigned long long)t->mem_state_bytes, t->pattern);
    arc_buf_printf(&b, "%s\n", columns_);
    for (int i = 0; i < t->n_ops; i++) {
        const struct arc_op_rec *o = &t->ops[i];
        arc_buf_printf(&b, "%d,%d,%s,%s,%s,%s,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%llu,%llu,%llu,%llu,%llu,%llu\n",
                       i, o->layer, block_names_[o->block], op_info_[o->op].name, o->name,
                       arc_dtype_name(o->dtype), (long long)o->m, (long long)o->n, (long long)o->k,
                       (long long)o->groups, (long long)o->batch, (long long)o->heads,
                       (long long)o->kv_heads, (long long)o->head_dim, (long long)o->seq_q,
                       (long long)o->seq_kv, (long long)o->chunk, (long long)o->ranks,
                       (unsigned long long)o->flop, (unsigned long long)o->bytes[ARC_MEM_WEIGHT],
                       (unsigned long long)o->bytes[ARC_MEM_ACT],
                       (unsigned long long)o->bytes[ARC_MEM_KV],
                       (unsigned long long)o->bytes[ARC_MEM_STATE],
                       (unsigned long long)o->link_bytes);
    }
    uLong crc = crc32(0L, (const Bytef *)b.data, (uInt)b.len);
    arc_buf_printf(&b, "# end ops=%d crc32=%08lx\n", t->n_ops, (unsigned long)crc);
    *out = b.data;
    *len = b.len;
    return ARC_OK;
}

int arc_trace_write(const struct arc_trace *t, const char *path)
{
    char *data;
    size_t len;
    int st = arc_trace_format(t, &data, &len);
    if (st < 0)
        return st;
    if (strcmp(path, "-") == 0) {
        st = fwrite(data, 1, len, stdout) == len ? ARC_OK
                                                 : arc_errorf(ARC_EIO, "stdout: write failed");
    } else {
        st = arc_file_write_atomic(path, data, len);
    }
    free(data);
    return st;
}

static int name_ok_(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_'))
            return 0;
    return 1;
}

static int model_name_ok_(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_' || *s == '-' || *s == '.'))
            return 0;
    return 1;
}

static int lookup_(const char *s, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (names[i] && strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

/* Parses "key=value ..." of the first line. */
static int parse_header_(const char *line, const char *file, struct arc_trace *t)
{
    static const char *const keys[] = {"model", "phase", "batch", "ctx", "tp", "ep", "devices",
                                       "dtype", "chunk", "mem_weight_bytes", "mem_kv_bytes",
                                       "mem_state_bytes", "pattern", "pp"};
    enum { NK = sizeof keys / sizeof keys[0] };
    int seen[NK] = {0};
    if (strncmp(line, MAGIC " ", sizeof MAGIC) != 0)
        return arc_errorf(ARC_EINPUT, "%s:1: expected a first line starting \"" MAGIC "\"", file);
    /* tokenise a copy: the caller checksums the original bytes */
    char buf[ARC_MAX_LAYERS + 1024];
    if (strlen(line) >= sizeof buf)
        return arc_errorf(ARC_EINPUT, "%s:1: header line too long", file);
    strcpy(buf, line);
    char *save = NULL;
    for (char *tok = strtok_r(buf + sizeof MAGIC, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq)
            return arc_errorf(ARC_EINPUT, "%s:1:%s: expected key=value", file, tok);
        *eq = '\0';
        const char *v = eq + 1;
        int k = lookup_(tok, keys, NK);
        if (k < 0)
            return arc_errorf(ARC_EINPUT, "%s:1:%s: unknown header key", file, tok);
        if (seen[k]++)
            return arc_errorf(ARC_EINPUT, "%s:1:%s: appears twice", file, tok);
        int64_t iv = 0;
        uint64_t uv = 0;
        int bad = 0;
        struct arc_workload *w = &t->wl;
        switch (k) {
        case 0:
            bad = strlen(v) >= sizeof t->model || !model_name_ok_(v);
            if (!bad)
                strcpy(t->model, v);
            break;
        case 1: {
            enum arc_phase ph;
            bad = arc_phase_parse(v, &ph) != 0;
            w->phase = ph;
            break;
        }
        case 2: bad = arc_parse_i64(v, &iv) || iv < 1; w->batch = iv; break;
        case 3: bad = arc_parse_i64(v, &iv) || iv < 1; w->ctx = iv; break;
        case 4: bad = arc_parse_i64(v, &iv) || iv < 1 || iv > 1 << 20; w->tp = (int)iv; break;
        case 5: bad = arc_parse_i64(v, &iv) || iv < 1 || iv > 1 << 20; w->ep = (int)iv; break;
        case 6: bad = arc_parse_i64(v, &iv) || iv < 1 || iv > 1 << 20; w->devices = (int)iv; break;
        case 7: {
            enum arc_dtype dt;
            bad = arc_dtype_parse(v, &dt) != 0 || dt == ARC_DTYPE_FP32; /* workloads: bf16, fp8, int8 */
            w->dtype = dt;
            break;
        }
        case 8: bad = arc_parse_i64(v, &iv) || iv < 1 || iv > 1 << 20; w->chunk = (int)iv; break;
        case 9: bad = arc_parse_u64(v, &uv); t->mem_weight_bytes = uv; break;
        case 10: bad = arc_parse_u64(v, &uv); t->mem_kv_bytes = uv; break;
        case 11: bad = arc_parse_u64(v, &uv); t->mem_state_bytes = uv; break;
        case 12:
            bad = strlen(v) < 1 || strlen(v) > ARC_MAX_LAYERS || strspn(v, "SL") != strlen(v);
            if (!bad)
                strcpy(t->pattern, v);
            break;
        case 13: bad = arc_parse_i64(v, &iv) || iv < 1 || iv > ARC_MAX_LAYERS; w->pp = (int)iv; break;
        }
        if (bad)
            return arc_errorf(ARC_EINPUT, "%s:1:%s: bad value \"%s\"", file, tok, v);
    }
    for (int k = 0; k < NK; k++)
        if (!seen[k])
            return arc_errorf(ARC_EINPUT, "%s:1:%s: missing from the header", file, keys[k]);
    return ARC_OK;
}

static const char *const col_names_[N_COLS] = {
    "idx", "layer", "block", "op", "name", "dtype", "m", "n", "k", "groups", "batch", "heads",
    "kv_heads", "head_dim", "seq_q", "seq_kv", "chunk", "ranks", "flop", "weight_bytes",
    "act_bytes", "kv_bytes", "state_bytes", "link_bytes"};

static int parse_row_(char *line, int lineno, const char *file, int idx, struct arc_op_rec *o)
{
    char *f[N_COLS];
    int n = 0;
    for (char *p = line;; p++) {
        if (n < N_COLS)
            f[n] = p;
        n++;
        p = strchr(p, ',');
        if (!p)
            break;
        *p = '\0';
    }
    if (n != N_COLS)
        return arc_errorf(ARC_EINPUT, "%s:%d: expected %d fields, found %d (truncated or edited?)",
                          file, lineno, N_COLS, n);
    int64_t iv;
#define BAD(c, what) arc_errorf(ARC_EINPUT, "%s:%d:%s: expected %s, got \"%s\"", file, lineno, col_names_[c], what, f[c])
    if (arc_parse_i64(f[0], &iv) || iv != idx)
        return BAD(0, "the row's index");
    if (arc_parse_i64(f[1], &iv) || iv < -1 || iv > ARC_MAX_LAYERS)
        return BAD(1, "a layer index");
    o->layer = (int32_t)iv;
    int b = lookup_(f[2], block_names_, ARC_BLOCK_COUNT);
    if (b < 0)
        return BAD(2, "a block name (softmax_attn, lightning_attn, moe_ffn, dense_ffn, other)");
    o->block = (uint8_t)b;
    int op = -1;
    for (int i = 0; i < ARC_OP_COUNT; i++)
        if (strcmp(f[3], op_info_[i].name) == 0)
            op = i;
    if (op < 0)
        return BAD(3, "an op name");
    o->op = (uint8_t)op;
    if (strlen(f[4]) >= ARC_OP_NAME_MAX || !name_ok_(f[4]))
        return BAD(4, "a name of [a-z0-9_], under 24 characters");
    strcpy(o->name, f[4]);
    enum arc_dtype dt;
    if (arc_dtype_parse(f[5], &dt))
        return BAD(5, "fp32, bf16 or fp8");
    o->dtype = (uint8_t)dt;
    int64_t *shape[] = {&o->m, &o->n, &o->k, &o->groups, &o->batch, &o->heads, &o->kv_heads,
                        &o->head_dim, &o->seq_q, &o->seq_kv, &o->chunk, &o->ranks};
    for (int c = 6; c < 18; c++) /* bounded so the checks' products cannot overflow */
        if (arc_parse_i64(f[c], shape[c - 6]) || *shape[c - 6] < 0 || *shape[c - 6] > (INT64_C(1) << 40))
            return BAD(c, "an integer in [0, 2^40]");
    uint64_t *cnt[] = {&o->flop, &o->bytes[ARC_MEM_WEIGHT], &o->bytes[ARC_MEM_ACT],
                       &o->bytes[ARC_MEM_KV], &o->bytes[ARC_MEM_STATE], &o->link_bytes};
    for (int c = 18; c < N_COLS; c++)
        if (arc_parse_u64(f[c], cnt[c - 18]))
            return BAD(c, "a non-negative integer");
#undef BAD
    return ARC_OK;
}

int arc_trace_read(const char *path, struct arc_trace *t)
{
    arc_trace_init(t);
    char *data;
    size_t len;
    int st = arc_file_read_text(path, "CSV text", &data, &len);
    if (st < 0)
        return st;
    /* the final line: "# end ops=N crc32=X" over every byte before it */
    size_t body = len;
    if (body && data[body - 1] == '\n')
        body--;
    while (body && data[body - 1] != '\n')
        body--;
    const char *last = data + body;
    int n_end = -1;
    unsigned long crc_file = 0;
    char tail[8];
    int have_end = len && data[len - 1] == '\n' &&
                   sscanf(last, "# end ops=%d crc32=%8lx%1[^\n]", &n_end, &crc_file, tail) == 2;

    /* checksum the original bytes now; parsing writes NULs into the buffer */
    uLong crc = crc32(0L, (const Bytef *)data, (uInt)body);
    int lineno = 0;
    for (char *line = data; line < data + body;) {
        char *nl = memchr(line, '\n', (size_t)(data + body - line));
        ARC_ASSERT(nl); /* body ends just after a newline */
        *nl = '\0';
        lineno++;
        if (lineno == 1) {
            if ((st = parse_header_(line, path, t)) < 0)
                goto fail;
        } else if (lineno == 2) {
            if (strcmp(line, columns_) != 0) {
                st = arc_errorf(ARC_EINPUT, "%s:2: expected the column names \"%s\"", path, columns_);
                goto fail;
            }
        } else if ((st = parse_row_(line, lineno, path, lineno - 3, arc_trace_push(t))) < 0) {
            goto fail;
        }
        line = nl + 1;
    }
    if (lineno < 2) {
        st = arc_errorf(ARC_EINPUT, "%s: expected a header line and the column names", path);
        goto fail;
    }
    if (!have_end) {
        st = arc_errorf(ARC_EINPUT, "%s:%d: expected a final line \"# end ops=N crc32=X\" (file truncated?)", path, lineno + 1);
        goto fail;
    }
    if (n_end != t->n_ops) {
        st = arc_errorf(ARC_EINPUT, "%s:%d:ops: the end line counts %d ops, the file holds %d (truncated or edited?)", path, lineno + 1, n_end, t->n_ops);
        goto fail;
    }
    if ((st = arc_trace_check(t, path)) < 0)
        goto fail;
    if (crc != crc_file) {
        st = arc_errorf(ARC_EINPUT, "%s:%d:crc32: checksum does not match the content (the file was edited or damaged after it was written)", path, lineno + 1);
        goto fail;
    }
    free(data);
    return ARC_OK;
fail:
    free(data);
    arc_trace_free(t);
    return st;
}

int arc_trace_check(const struct arc_trace *t, const char *file)
{
    const struct arc_workload *w = &t->wl;
    int n_layers = (int)strlen(t->pattern);
    if (w->devices % (w->tp * w->pp) || (w->devices / w->pp) % w->ep || w->pp > n_layers)
        return arc_errorf(ARC_EINPUT, "%s:1:devices: expected a multiple of tp x pp whose stages divide by ep", file);
    for (int i = 0; i < t->n_ops; i++) {
        const struct arc_op_rec *o = &t->ops[i];
        int line = i + 3;
#define BAD(field, ...) arc_errorf(ARC_EINPUT, "%s:%d:" field ": " __VA_ARGS__)
        if (o->layer < -1 || o->layer > n_layers)
            return BAD("layer", "expected -1..%d for a %d-layer pattern", file, line, n_layers, n_layers);
        if (o->op == ARC_OP_SEND) {
            if (o->block != ARC_BLOCK_OTHER || o->layer < 0 || o->layer >= n_layers - 1)
                return BAD("layer", "expected a send after a layer that ends a pipeline stage, in block other", file, line);
        } else if (o->layer >= 0 && o->layer < n_layers) {
            int soft = t->pattern[o->layer] == 'S';
            if ((o->block == ARC_BLOCK_SOFTMAX_ATTN && !soft) ||
                (o->block == ARC_BLOCK_LIGHTNING_ATTN && soft) || o->block == ARC_BLOCK_OTHER)
                return BAD("block", "%s does not belong to a %s layer", file, line,
                           block_names_[o->block], soft ? "softmax" : "lightning");
        } else if (o->block != ARC_BLOCK_OTHER) {
            return BAD("block", "expected other outside the layers", file, line);
        }
        switch ((enum arc_op)o->op) {
        case ARC_OP_GEMM:
        case ARC_OP_GROUPED_GEMM:
            if (o->flop != 2 * (uint64_t)o->m * (uint64_t)o->n * (uint64_t)o->k)
                return BAD("flop", "expected 2 m n k = %llu", file, line,
                           (unsigned long long)(2 * (uint64_t)o->m * (uint64_t)o->n * (uint64_t)o->k));
            break;
        case ARC_OP_SOFTMAX_ATTN: {
            uint64_t bhd = (uint64_t)o->batch * (uint64_t)o->heads * (uint64_t)o->head_dim;
            uint64_t want = o->seq_q == 1 ? 4 * bhd * (uint64_t)o->seq_kv
                                          : 2 * bhd * (uint64_t)o->seq_q * ((uint64_t)o->seq_q + 1);
            if (o->seq_q != 1 && o->seq_q != o->seq_kv)
                return BAD("seq_kv", "expected seq_q (causal prefill) or seq_q = 1 (decode)", file, line);
            if (o->flop != want)
                return BAD("flop", "expected %llu for these attention shapes", file, line,
                           (unsigned long long)want);
            break;
        }
        case ARC_OP_LIGHTNING_ATTN: {
            uint64_t bh = (uint64_t)o->batch * (uint64_t)o->heads;
            uint64_t want;
            if (o->seq_q == 1) {
                want = 5 * bh * (uint64_t)o->head_dim * (uint64_t)o->head_dim;
            } else {
                if (o->chunk < 1)
                    return BAD("chunk", "expected a positive block size for lightning prefill", file, line);
                want = bh * arc_lightning_prefill_flop(o->seq_q, o->chunk, o->head_dim);
            }
            if (o->flop != want)
                return BAD("flop", "expected %llu for these lightning shapes", file, line,
                           (unsigned long long)want);
            break;
        }
        case ARC_OP_ALLREDUCE:
        case ARC_OP_ALLTOALL:
        case ARC_OP_ALLGATHER:
        case ARC_OP_SEND:
            if (o->ranks < 2 || o->ranks > w->devices || (o->op == ARC_OP_SEND && o->ranks != 2))
                return BAD("ranks", "expected 2..%d devices (2 for a send)", file, line, w->devices);
            break;
        default:
            break;
        }
        if (arc_op_info((enum arc_op)o->op)->unit != ARC_UNIT_LINK && (o->ranks || o->link_bytes))
            return BAD("link_bytes", "expected 0 outside collectives", file, line);
#undef BAD
    }
    return ARC_OK;
}
