/* arclight gen: emit a lightning kernel through a back end into a directory. */
#include <stdio.h>
#include <string.h>

#include "arclight/codegen.h"
#include "cli.h"

int cmd_gen(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_parse(argc, argv, "gen", "-o= --heads= --dim= --chunk= --split= --warps= --mma= --lanes= --format= --print-ir", &a);
    if (st < 0)
        return cli_fail(st);
    if (a.n_pos != 2)
        return cli_fail(arc_errorf(ARC_EINPUT, "gen: expected a back end (cuda, llvm, ptx, verilog) and a kernel (lightning-prefill, lightning-decode, lightning-chunk)"));
    const struct arc_backend *be = arc_backend_find(a.pos[0]);
    if (!be) {
        char names[256] = "";
        for (int i = 0; arc_backends[i]; i++)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "", arc_backends[i]->name);
        return cli_fail(arc_errorf(ARC_EINPUT, "%s: unknown back end; expected one of %s", a.pos[0], names));
    }
    enum arc_kernel k;
    if (arc_kernel_parse(a.pos[1], &k))
        return cli_fail(arc_errorf(ARC_EINPUT, "%s: unknown kernel; expected lightning-prefill, lightning-decode or lightning-chunk", a.pos[1]));
    struct arc_kernel_spec s;
    arc_kernel_spec_defaults(&s, k);
    long long v;
    static const char *const flags[] = {"--heads", "--dim", "--chunk", "--split", "--warps", "--lanes"};
    int *fields[] = {&s.heads, &s.dim, &s.chunk, &s.split, &s.warps, &s.lanes};
    for (int i = 0; i < 6; i++) {
        v = *fields[i];
        if ((st = cli_int(&a, flags[i], 1, 1 << 20, &v)) < 0)
            return cli_fail(st);
        *fields[i] = (int)v;
    }
    if (cli_has(&a, "--mma")) {
        enum arc_mma m;
        if (arc_mma_parse(cli_get(&a, "--mma"), &m))
            return cli_fail(arc_errorf(ARC_EINPUT, "--mma: expected auto, wgmma or sync, got \"%s\"", cli_get(&a, "--mma")));
        s.mma = m;
    }
    if (cli_has(&a, "--format") && arc_fx_parse(cli_get(&a, "--format"), &s.format))
        return cli_fail(arc_errorf(ARC_EINPUT, "--format: %s: expected fixed:W.F (signed, W bits with F fraction bits), 4 <= W <= 24, 1 <= F <= W - 2",
                                   cli_get(&a, "--format")));
    if (cli_has(&a, "--print-ir")) {
        struct arc_ir ir;
        if ((st = arc_ir_build(&s, &ir)) < 0)
            return cli_fail(st);
        arc_ir_print(&ir, stdout);
        return 0;
    }
    if (!cli_has(&a, "-o"))
        return cli_fail(arc_errorf(ARC_EINPUT, "-o: missing; expected an output directory"));
    /* the stamp: the command as typed */
    char stamp[1024] = "arclight gen";
    for (int i = 0; i < argc; i++)
        snprintf(stamp + strlen(stamp), sizeof stamp - strlen(stamp), " %s", argv[i]);
    struct arc_gen_output out;
    if ((st = arc_gen(be, &s, cli_get(&a, "-o"), stamp, &out)) < 0)
        return cli_fail(st);
    for (int i = 0; i < out.n; i++)
        printf("%s\n", out.files[i]);
    return 0;
}
