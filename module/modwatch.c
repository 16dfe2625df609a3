// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: following modules as they load and unload.
 *
 * A module's state shows in its row (live, gone). Init text is freed once a
 * module is live, and all its text once it is gone: those addresses may
 * then be reused by another module. So their sites are retired (looked up
 * anew next time), then the slots charged to those sites (they take no more
 * allocations; their counters and objects stay). One pass over each map,
 * under ot_slow_lock().
 */
#include <linux/module.h>
#include <linux/notifier.h>

#include "track.h"

static int ot_module_event(struct notifier_block *nb, unsigned long action, void *data)
{
	struct module *m = data;
	unsigned long flags;
	u32 id;

	flags = ot_slow_lock();
	id = ot_mod_get(m->name, strlen(m->name), OT_MOD_COMING);
	switch (action) {
	case MODULE_STATE_COMING:
		ot_mod_set_state(id, OT_MOD_COMING);
		break;
	case MODULE_STATE_LIVE:
		ot_mod_set_state(id, OT_MOD_LIVE);
		break;
	case MODULE_STATE_GOING:
		ot_mod_set_state(id, OT_MOD_GONE);
		break;
	}
	if (id != OT_KERNEL && (action == MODULE_STATE_LIVE || action == MODULE_STATE_GOING)) {
		ot_sites_retire(id, action == MODULE_STATE_LIVE);
		ot_slots_retire_module(id, action == MODULE_STATE_LIVE);
	}
	ot_slow_unlock(flags);
	return NOTIFY_DONE;
}

static struct notifier_block ot_module_nb = {
	.notifier_call = ot_module_event,
};

/**
 * ot_modwatch_init - follow module load and unload
 *
 * Return: 0 or a negative errno.
 */
int ot_modwatch_init(void)
{
	return register_module_notifier(&ot_module_nb);
}

/**
 * ot_modwatch_exit - stop following modules; returns once no event runs
 */
void ot_modwatch_exit(void)
{
	unregister_module_notifier(&ot_module_nb);
}
