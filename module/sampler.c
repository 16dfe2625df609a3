// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: the sampler. Every peak_ms it sums the tables into a workspace
 * of its own, raises the peaks and checks the thresholds, under the control
 * mutex (a reset must not clear the tables under it): never on the hot path.
 * It also says in the log when the hot path began to sample [kernel].
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/workqueue.h>

#include "control.h"

static struct ot_agg *ot_sampler_agg;
static struct delayed_work ot_sampler_work;
static unsigned long ot_sampler_period;
static unsigned int ot_sampler_told = UINT_MAX;	/* the epoch it was said in */

/* Once per epoch: [kernel] is sampled since its half of the table filled. */
static void ot_sampler_tell(void)
{
	struct ot_track_sum ts;

	ot_track_sum(&ts);
	if (!ts.kernel_sampled || ot_sampler_told == ot_track_epoch())
		return;
	ot_sampler_told = ot_track_epoch();
	pr_info("the pointer table's half for [kernel] is full: [kernel] is sampled from now on (sample_bytes=%u), modules stay exact\n",
		ts.sample_bytes);
}

static void ot_sampler_fn(struct work_struct *w)
{
	ot_ctl_lock();
	ot_sampler_tell();
	ot_agg_collect(ot_sampler_agg);
	ot_peaks_update(ot_sampler_agg);
	ot_thresholds_check(ot_sampler_agg);
	ot_ctl_unlock();
	schedule_delayed_work(&ot_sampler_work, ot_sampler_period);
}

/**
 * ot_sampler_start - sample every @peak_ms milliseconds
 * @peak_ms: the period
 *
 * Return: 0 or -ENOMEM.
 */
int ot_sampler_start(unsigned int peak_ms)
{
	ot_sampler_agg = ot_agg_alloc();
	if (!ot_sampler_agg)
		return -ENOMEM;
	ot_sampler_period = msecs_to_jiffies(peak_ms);
	INIT_DELAYED_WORK(&ot_sampler_work, ot_sampler_fn);
	schedule_delayed_work(&ot_sampler_work, ot_sampler_period);
	return 0;
}

/**
 * ot_sampler_stop - stop sampling and free the workspace
 */
void ot_sampler_stop(void)
{
	cancel_delayed_work_sync(&ot_sampler_work);
	ot_agg_free(ot_sampler_agg);
}
