/* arclight: the command. Dispatch only; each subcommand lives in its own cmd_*.c. */
#include <stdio.h>
#include <string.h>

#include "arclight/common.h"
#include "cli.h"

static const char usage_[] =
    "usage: arclight COMMAND ...\n"
    "\n"
    "  model show MODEL [--json] [--softmax-every N | --softmax-layers K] [--dtype bf16|fp8]\n"
    "  model list\n"
    "      MODEL: a built-in name (arclight model list) or a Hugging Face config.json\n"
    "  trace MODEL --phase prefill|decode --batch B --ctx N [--tp T] [--ep E] [--pp P]\n"
    "        [--devices D] [--dtype bf16|fp8|int8] [--chunk C]\n"
    "        [--softmax-every N | --softmax-layers K] [-o FILE]\n"
    "  trace --check FILE\n"
    "  trace --import-torch-profile PROFILE.json[.gz] [MODEL] -o OUT.csv [--json FILE] [--model NAME]\n"
    "      a PyTorch profiler capture as a trace of the kernels it ran (replay it with sim)\n"
    "  sim (TRACE.csv | MODEL [trace flags]) --hw HW [--engine cost|cycle] [--json]\n"
    "        [--fit] [--timeline FILE.json]\n"
    "      --fit: the fewest devices that hold the model (chooses --tp --ep --pp --devices)\n"
    "      --timeline: with --engine cycle, a Chrome/Perfetto trace of the units' activity\n"
    "  hw show HW [--json]\n"
    "  hw area HW [--dim D] [--area-nodes FILE] [--area-unit FILE]\n"
    "      the design's area: die, plus an le design's lightning unit (logic fitted to Yosys, scaled\n"
    "      to the node; D the head dimension it is built for, default 128); FILEs replace sim/area/'s\n"
    "  hw list\n"
    "      HW: a built-in name (arclight hw list) or a .json file (may name a \"preset\")\n"
    "  report [--out DIR]      the built-in study: report.md, CSV, JSON and gnuplot plots\n"
    "  report --sweep FILE.sqlite [--out DIR]   Pareto fronts of a sweep: plots and front.md\n"
    "  gen cuda|llvm|ptx lightning-prefill|lightning-decode [--heads H] [--dim D] [--chunk C]\n"
    "        [--split S] [--warps W] (-o DIR | --print-ir)\n"
    "  gen verilog lightning-decode|lightning-chunk [--heads H] [--dim D] [--chunk C] [--lanes L]\n"
    "        [--format fixed:W.F] (-o DIR | --print-ir)\n"
    "      synthesizable Verilog of the lightning unit in fixed point (default 8 lanes, fixed:16.8);\n"
    "      --lanes and --format are the verilog back end's only\n"
    "  verify gpu [--kernel lightning-prefill|lightning-decode|all] [--json FILE] [--hw HW]\n"
    "        [--bench] [--reps N] [--keep DIR] [--check-only] [--backend cuda|all]\n"
    "        [--chunk C] [--split S] [--warps W] [--decode-warps W]\n"
    "      runs the generated CUDA kernels on this machine's NVIDIA GPU against the C reference,\n"
    "      times them and prints the cost engine's prediction for HW (default h200-sxm) beside each;\n"
    "      --chunk, --split, --warps choose the prefill kernel, --decode-warps the decode kernel\n"
    "  sweep SPEC.json [--db FILE.sqlite] [--jobs N] [--engine cost|cycle] [--resume]\n"
    "      every point of the spec's axes into SQLite (default SPEC.sqlite); --resume finishes a\n"
    "      killed run; --jobs defaults to the number of cores; under mpirun -np N the ranks share the\n"
    "      points, each on --jobs threads, and rank 0 writes the database\n"
    "  calibrate gpu [--hw HW] [--out FILE] [--set grid|holdout|quick] [--no-energy] [--python PY]\n"
    "      measures this machine's GPU (cuBLASLt GEMMs, copies, elementwise, PyTorch flash attention,\n"
    "      arclight's lightning kernels, launch costs, NVML board energy) into a calibration file;\n"
    "      HW (default h200-sxm) must describe this GPU. --set holdout measures shapes off the grid\n"
    "  validate FILE [--hw HW] [--calib FILE] [--json OUT]\n"
    "      a held-out measured set beside the cost engine's predictions: median and p90 error per kind\n"
    "  version\n"
    "\n"
    "Bad input exits with status 2 and one line: arclight: FILE:FIELD: what was expected\n";

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "-h") == 0) {
        fputs(usage_, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("arclight %s\n", arc_version());
        return 0;
    }
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {{"model", cmd_model}, {"trace", cmd_trace}, {"sim", cmd_sim},
                {"hw", cmd_hw},       {"report", cmd_report}, {"gen", cmd_gen},
                {"verify", cmd_verify}, {"sweep", cmd_sweep}, {"calibrate", cmd_calibrate},
                {"validate", cmd_validate}};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (strcmp(cmd, cmds[i].name) == 0)
            return cmds[i].fn(argc - 2, argv + 2);
    fprintf(stderr, "arclight: %s: unknown command; expected model, trace, sim, hw, report, gen, verify, sweep, calibrate, validate or version\n", cmd);
    return 2;
}
