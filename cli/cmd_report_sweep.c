/* arclight report --sweep: parse the arguments, write a sweep database's Pareto fronts, print one
 * line. cmd_report.c hands over when --sweep is among its arguments.
 * Not for: the fronts or the files (reports/sweep_report.c), the built-in study (cmd_report.c). */
#include <stdio.h>
#include <string.h>

#include "arclight/sweep_report.h"
#include "cli.h"

int cmd_report_sweep_given(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "--sweep") == 0 || strncmp(argv[i], "--sweep=", 8) == 0)
            return 1;
    return 0;
}

int cmd_report_sweep(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_parse(argc, argv, "report --sweep", "--sweep= --out=", &a);
    if (st < 0)
        return cli_fail(st);
    if (a.n_pos)
        return cli_fail(arc_errorf(ARC_EINPUT, "%s: report --sweep takes no other arguments; expected --sweep FILE.sqlite [--out DIR]", a.pos[0]));
    const char *db = cli_get(&a, "--sweep");
    char out[1024];
    if (cli_has(&a, "--out")) {
        snprintf(out, sizeof out, "%s", cli_get(&a, "--out"));
    } else { /* FILE.sqlite -> FILE-pareto/ beside it */
        size_t n = strlen(db);
        if (n > 7 && strcmp(db + n - 7, ".sqlite") == 0)
            n -= 7;
        snprintf(out, sizeof out, "%.*s-pareto", (int)n, db);
    }
    struct arc_sweep_report_info info;
    if ((st = arc_sweep_report_write(db, out, &info)) < 0)
        return cli_fail(st);
    printf("arclight: sweep report written to %s/front.md (%llu valid of %llu rows; %zu points on the energy-latency front, ",
           out, (unsigned long long)info.valid, (unsigned long long)info.rows, info.front_latency);
    if (info.front_area)
        printf("%zu on the energy-area front)\n", info.front_area);
    else
        printf("no area known)\n");
    return 0;
}
