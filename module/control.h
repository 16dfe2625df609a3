/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oomtrace: the control layer. One mutex serialises everything that
 * changes or reads the tables as a whole: control writes, a reset (whose
 * order lives here: probes off, tables cleared, probes on), the sampler of
 * peaks and thresholds, and every /proc file's open (control.c,
 * sampler.c, proc_tables.c, proc_status.c, proc_events.c).
 *
 * Lock order: ot_ctl_lock() -> the OOM layer's mutex -> the ring's lock ->
 * ot_slow_lock().
 */
#ifndef OOMTRACE_CONTROL_H
#define OOMTRACE_CONTROL_H

#include <linux/types.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "track.h"
#include "oom.h"

/* ---- control.c ---- */

void ot_ctl_lock(void);
void ot_ctl_unlock(void);
int ot_control_start(const struct ot_config *cfg);
void ot_control_stop(void);
int ot_parse_mode(const char *name, bool *sampled);
const struct ot_config *ot_config(void);
int ot_control_file(struct proc_dir_entry *dir);

/* ---- sampler.c ---- */

int ot_sampler_start(unsigned int peak_ms);
void ot_sampler_stop(void);

/* ---- proc_tables.c, proc_status.c, proc_events.c ---- */

struct proc_dir_entry *ot_procfs_init(void);
void ot_procfs_exit(struct proc_dir_entry *dir);
void ot_seq_emit(void *m, const char *line, size_t len);
int ot_tables_files(struct proc_dir_entry *dir);
int ot_status_file(struct proc_dir_entry *dir);
int ot_events_file(struct proc_dir_entry *dir);

#endif /* OOMTRACE_CONTROL_H */
