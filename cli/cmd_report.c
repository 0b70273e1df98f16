/* arclight report: run the built-in study and write the report. */
#include <stdio.h>

#include "arclight/report.h"
#include "cli.h"

int cmd_report(int argc, char **argv)
{
    if (cmd_report_sweep_given(argc, argv)) /* report --sweep FILE: a sweep's Pareto fronts */
        return cmd_report_sweep(argc, argv);
    struct cli_args a;
    int st = cli_parse(argc, argv, "report", "--out= --hw= --rtl-area", &a);
    if (st < 0)
        return cli_fail(st);
    if (a.n_pos)
        return cli_fail(arc_errorf(ARC_EINPUT, "%s: report takes no arguments; expected --out DIR", a.pos[0]));
    const char *out = cli_has(&a, "--out") ? cli_get(&a, "--out") : "reports/out";
    const char *hw = cli_has(&a, "--hw") ? cli_get(&a, "--hw") : "8xh200";
    /* Yosys on the lightning unit's designs: seconds each, so only when asked; cached in out */
    if (cli_has(&a, "--rtl-area") && (st = arc_report_unit_area(out)) < 0)
        return cli_fail(st);
    struct arc_study s;
    if ((st = arc_study_run_builtin(hw, &s)) < 0)
        return cli_fail(st);
    st = arc_report_write(&s, out);
    arc_study_free(&s);
    if (st < 0)
        return cli_fail(st);
    printf("arclight: report written to %s/report.md\n", out);
    return 0;
}
