/* arclight sweep database: a sweep's rows in SQLite (libsqlite3), written so that a run killed at
 * any moment loses at most its open transaction and can be finished with --resume.
 *
 * For: opening or creating the database of one spec (refusing another spec's, a read-only path,
 * or a finished run without --resume), reading which points are done, inserting rows in batched
 * transactions, and arc_sweep_db_run, the whole single-machine sweep. One connection, used by one
 * thread. The schema (README "Sweeps"):
 *   meta(key TEXT PRIMARY KEY, value TEXT): schema_version, arclight_version, spec (canonical
 *     text), spec_hash (FNV-1a 64 of spec and the files it names, hex; sweep.h), spec_hash_method,
 *     spec_inputs ("model=HEX,hw=HEX,calibration=HEX,tables=HEX": each input's FNV-1a 64),
 *     spec_file, engine, hw, model, n_points, grid_points, axes (the axis columns,
 *     comma-separated), created_utc
 *   points(point INTEGER PRIMARY KEY, one column per axis named by its path, valid, error,
 *     latency_s, energy_j, latency_per_token_s, energy_per_token_j, tokens, bound, fits,
 *     footprint_bytes, capacity_bytes, devices, area_mm2, flop, link_bytes, cycles, alt_energy_j,
 *     energy_idle_j, energy_compute_j, energy_memory_j, energy_sram_j, energy_wire_j,
 *     energy_link_j); outputs are NULL on invalid rows.
 * The journal is WAL with synchronous NORMAL: a commit survives the process being killed.
 * Not for: evaluating points (sweep.h) or reading results back for reports. */
#ifndef ARCLIGHT_SWEEP_DB_H
#define ARCLIGHT_SWEEP_DB_H

#include <stdint.h>

#include "arclight/sweep.h"

#define ARC_SWEEP_DB_SCHEMA 1

struct arc_sweep_db;

/* Opens path for spec s. A missing file (or an empty database) is created with the schema and
 * meta. An existing database must hold the same spec over the same file contents (spec_hash), and
 * then resume must be set; otherwise, or when the path is read-only, it fails with ARC_EINPUT and
 * the file untouched; the message names the files that changed when the spec's text did not. */
int arc_sweep_db_open(const char *path, const struct arc_sweep *s, int resume,
                      struct arc_sweep_db **out);
/* Marks which of the points [first, first + n) are present in done (a bitmap of (n + 7) / 8 bytes:
 * point p is bit (p - first) % 8 of byte (p - first) / 8), zeroing it first, and sets *n_done to how many are. */
int arc_sweep_db_done(struct arc_sweep_db *db, uint64_t first, uint64_t n, uint8_t *done,
                      uint64_t *n_done);
/* Rows present in the whole database */
int arc_sweep_db_count(struct arc_sweep_db *db, uint64_t *n_rows);
/* Inserts rows, opening a transaction when none is open. A point already present is an error. */
int arc_sweep_db_insert(struct arc_sweep_db *db, const struct arc_sweep_row *rows, size_t n);
/* Commits the open transaction, if any. */
int arc_sweep_db_commit(struct arc_sweep_db *db);
/* Rolls back what is not committed and closes. */
void arc_sweep_db_close(struct arc_sweep_db *db);

struct arc_sweep_stats {
    uint64_t n_points;    /* in the spec */
    uint64_t done_before; /* present when the run started (resume) */
    uint64_t written;     /* rows this run wrote */
    uint64_t valid;       /* of the rows written, valid ones */
    double seconds;       /* this run's wall time */
};

/* The single-machine sweep: opens or resumes path, evaluates every point not yet present on
 * o->jobs threads, writes them in batches, commits. o->done_before and o->total are filled in. */
int arc_sweep_db_run(const struct arc_sweep *s, const char *path, int resume,
                     const struct arc_sweep_opts *o,
                     void (*progress)(void *ctx, uint64_t done, uint64_t total, double elapsed_s),
                     void *progress_ctx, struct arc_sweep_stats *stats);

#endif
