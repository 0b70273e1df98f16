/* arclight validate: a measured set (a holdout file from `arclight calibrate gpu --set holdout`)
 * beside the cost engine's predictions from the hardware's calibration; per kind of kernel, the
 * median, p90 and largest absolute error of latency and of board energy; --json adds every point
 * with its prediction and signed error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "arclight/calib.h"
#include "arclight/fsutil.h"
#include "arclight/hw.h"
#include "arclight/json.h"
#include "cli.h"

static void row_name_(const struct arc_calib_check *r, char *buf, size_t n)
{
    if (r->kind == ARC_CAL_KIND_COUNT)
        snprintf(buf, n, "all");
    else if (r->kind == ARC_CAL_GEMM)
        snprintf(buf, n, "gemm %s", arc_dtype_name(r->dtype));
    else
        snprintf(buf, n, "%s", arc_calib_kind_name(r->kind));
}

int cmd_validate(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_parse(argc, argv, "validate", "--hw= --calib= --json=", &a);
    if (st < 0)
        return cli_fail(st);
    if (a.n_pos != 1)
        return cli_fail(arc_errorf(ARC_EINPUT, "validate: expected one measured set (arclight validate FILE [--hw HW] [--calib FILE])"));
    struct arc_calib set;
    if ((st = arc_calib_load(a.pos[0], &set)) < 0)
        return cli_fail(st);
    struct arc_hw hw;
    if ((st = arc_hw_load(cli_has(&a, "--hw") ? cli_get(&a, "--hw") : set.hw, &hw)) < 0 ||
        (cli_has(&a, "--calib") && (st = arc_hw_set_calib(&hw, cli_get(&a, "--calib"))) < 0)) {
        arc_calib_free(&set);
        return cli_fail(st);
    }
    struct arc_calib_validation v;
    if ((st = arc_calib_validate(&set, &hw, &v)) < 0) {
        arc_calib_free(&set);
        return cli_fail(st);
    }
    printf("%s: %d held-out kernels on %s, predicted by the cost engine with %s\n", set.file, v.points, set.gpu,
           hw.calib->file);
    printf("%-18s %5s %9s %9s %9s | %6s %9s %9s %9s\n", "kernel", "n", "median", "p90", "max", "n(E)", "median E",
           "p90 E", "max E");
    cJSON *root = cJSON_CreateObject(), *rows = cJSON_AddArrayToObject(root, "rows");
    cJSON_AddStringToObject(root, "set", set.file);
    cJSON_AddStringToObject(root, "calibration", hw.calib->file);
    for (int i = 0; i < v.n_rows; i++) {
        const struct arc_calib_check *r = &v.rows[i];
        char name[40];
        row_name_(r, name, sizeof name);
        printf("%-18s %5d %8.1f%% %8.1f%% %8.1f%% | %6d", name, r->n, 100 * r->med_err, 100 * r->p90_err,
               100 * r->max_err, r->n_energy);
        if (r->n_energy)
            printf(" %8.1f%% %8.1f%% %8.1f%%\n", 100 * r->med_err_e, 100 * r->p90_err_e, 100 * r->max_err_e);
        else
            printf(" %9s %9s %9s\n", "-", "-", "-");
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "kernel", name);
        cJSON_AddNumberToObject(o, "n", r->n);
        cJSON_AddNumberToObject(o, "median_abs_err", r->med_err);
        cJSON_AddNumberToObject(o, "p90_abs_err", r->p90_err);
        cJSON_AddNumberToObject(o, "max_abs_err", r->max_err);
        cJSON_AddNumberToObject(o, "n_energy", r->n_energy);
        if (r->n_energy) {
            cJSON_AddNumberToObject(o, "energy_median_abs_err", r->med_err_e);
            cJSON_AddNumberToObject(o, "energy_p90_abs_err", r->p90_err_e);
            cJSON_AddNumberToObject(o, "energy_max_abs_err", r->max_err_e);
        }
        cJSON_AddItemToArray(rows, o);
    }
    /* every point with its prediction, so the kernels behind a row's error can be named */
    cJSON *pts = cJSON_AddArrayToObject(root, "points");
    for (int i = 0; i < set.n_points; i++) {
        const struct arc_calib_point *p = &set.points[i];
        double t, e;
        if (!arc_calib_predict(hw.calib, &hw, p, &t, &e))
            continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "kind", arc_calib_kind_name(p->kind));
        if (p->kind == ARC_CAL_GEMM)
            cJSON_AddStringToObject(o, "dtype", arc_dtype_name(p->dtype));
        const char *keys[ARC_CAL_SHAPE_MAX];
        int64_t vals[ARC_CAL_SHAPE_MAX];
        for (int d = 0, nd = arc_calib_point_shape(p, keys, vals); d < nd; d++)
            cJSON_AddNumberToObject(o, keys[d], (double)vals[d]);
        cJSON_AddNumberToObject(o, "measured_s", p->time_s);
        cJSON_AddNumberToObject(o, "predicted_s", t);
        cJSON_AddNumberToObject(o, "err", t / p->time_s - 1);
        if (p->energy_j > 0 && e > 0) {
            cJSON_AddNumberToObject(o, "measured_j", p->energy_j);
            cJSON_AddNumberToObject(o, "predicted_j", e);
            cJSON_AddNumberToObject(o, "energy_err", e / p->energy_j - 1);
        }
        cJSON_AddItemToArray(pts, o);
    }
    if (cli_has(&a, "--json")) {
        size_t n;
        char *text = arc_json_text(root, true, &n);
        st = arc_file_write_atomic(cli_get(&a, "--json"), text, n);
        free(text);
    } else {
        cJSON_Delete(root);
    }
    arc_calib_free(&set);
    return st < 0 ? cli_fail(st) : 0;
}
