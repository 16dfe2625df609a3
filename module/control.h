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

/* The module parameters, checked by main.c and handed down at load. */
struct ot_config {
	unsigned long max_objects;
	u32 max_sites;
	unsigned int walk_depth;
	bool walk_all;
	unsigned int peak_ms;
	bool sampled;
	u32 sample_bytes;
	unsigned int max_events;
	size_t module_bytes;		/* what the tables hold */
};

/* ---- control.c ---- */

void ot_ctl_lock(void);
void ot_ctl_unlock(void);
int ot_control_start(const struct ot_config *cfg);
void ot_control_stop(void);
int ot_parse_mode(const char *name, bool *sampled);
const struct ot_config *ot_config(void);
unsigned int ot_epoch(void);
u64 ot_epoch_start_ns(void);
int ot_control_file(struct proc_dir_entry *dir);

/* ---- sampler.c ---- */

int ot_sampler_start(unsigned int peak_ms);
void ot_sampler_stop(void);

/* ---- proc_tables.c, proc_status.c, proc_events.c ---- */

struct proc_dir_entry *ot_procfs_init(void);
void ot_procfs_exit(struct proc_dir_entry *dir);
void ot_show_banner(struct seq_file *m, const char *name, bool sampled, u32 sample_bytes);
int ot_tables_files(struct proc_dir_entry *dir);
int ot_status_file(struct proc_dir_entry *dir);
int ot_events_file(struct proc_dir_entry *dir);

#endif /* OOMTRACE_CONTROL_H */
