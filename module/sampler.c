// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: the sampler. Every peak_ms it sums the tables into a workspace
 * of its own, raises the peaks and checks the thresholds, under the control
 * mutex (a reset must not clear the tables under it): never on the hot path.
 */
#include <linux/workqueue.h>

#include "control.h"

static struct ot_agg *ot_sampler_agg;
static struct delayed_work ot_sampler_work;
static unsigned long ot_sampler_period;

static void ot_sampler_fn(struct work_struct *w)
{
	ot_ctl_lock();
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
