/* arclight command line: argument parsing shared by the subcommands, and their entry points.
 * Not for: modelling. Every subcommand parses, calls the library, prints, and returns an exit
 * status: 0 done, 2 bad input (one line "arclight: FILE:FIELD: what was expected"), 1 when a tool
 * or the system failed. */
#ifndef ARCLIGHT_CLI_H
#define ARCLIGHT_CLI_H

#include <stdbool.h>

#include "arclight/model.h"
#include "arclight/workload.h"

#define CLI_MAX_FLAGS 24
#define CLI_MAX_POS 8

struct cli_flag {
    const char *name;  /* "--batch" */
    bool has_value;
    const char *value; /* set when given */
    bool set;
};

struct cli_args {
    struct cli_flag flags[CLI_MAX_FLAGS];
    int n_flags;
    const char *pos[CLI_MAX_POS];
    int n_pos;
    char spec[1024]; /* flag names point in here */
};

/* spec: space-separated flags, a trailing '=' marks one that takes a value: "--json --batch=" */
int cli_parse(int argc, char **argv, const char *cmd, const char *spec, struct cli_args *a);
const char *cli_get(const struct cli_args *a, const char *name);
bool cli_has(const struct cli_args *a, const char *name);
/* Integer flag in [lo, hi]; *out unchanged when the flag is absent. */
int cli_int(const struct cli_args *a, const char *name, long long lo, long long hi, long long *out);

/* The flags that pick a model variant and a workload, for trace and sim. */
#define CLI_WORKLOAD_FLAGS "--phase= --batch= --ctx= --tp= --ep= --pp= --devices= --dtype= --chunk= --softmax-every= --softmax-layers="
int cli_model(const struct cli_args *a, const char *name, struct arc_model *m);
int cli_workload(const struct cli_args *a, const struct arc_model *m, struct arc_workload *w);

/* Prints "arclight: <message>" and returns the exit status for st. */
int cli_fail(int st);

int cmd_model(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_sim(int argc, char **argv);
int cmd_hw(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_gen(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);
int cmd_validate(int argc, char **argv);
/* report --sweep (cmd_report_sweep.c): whether argv asks for it, and the command */
int cmd_report_sweep_given(int argc, char **argv);
int cmd_report_sweep(int argc, char **argv);

/* Human-readable quantities: "12.3 ms", "1.23 GB" */
const char *cli_time(double s, char *buf, int n);
const char *cli_bytes(double b, char *buf, int n);

#endif
