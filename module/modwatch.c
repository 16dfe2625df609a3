// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: following modules as they load and unload.
 *
 * A module's state shows in its row (live, gone). Init text is freed once a
 * module is live, and all its text once it is gone: those addresses may
 * then be reused by another module. So their sites are retired (looked up
 * anew next time), then the slots charged to those sites (they take no more
 * allocations; their counters and objects stay). One pass over each map,
 * under ot_slow_lock(). A module the module table has no room for is
 * nobody's: its allocations are dropped and counted, its events change no
 * other module's state.
 */
#include <linux/module.h>
#include <linux/notifier.h>

#include "track.h"

/* A module's state, then (live: its init text, gone: all of it) its sites and slots. */
static void ot_module_named_event(u32 id, unsigned long action)
{
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
}

/*
 * A module without room in the module table has no state to keep and no
 * slots: only its sites go, found by its text (all share OT_MOD_UNNAMED).
 */
static void ot_module_unnamed_event(const struct module *m, unsigned long action)
{
	if (action == MODULE_STATE_LIVE || action == MODULE_STATE_GOING)
		ot_sites_retire_unnamed(m, action == MODULE_STATE_LIVE);
}

static int ot_module_event(struct notifier_block *nb, unsigned long action, void *data)
{
	struct module *m = data;
	unsigned long flags;
	u32 id;

	flags = ot_slow_lock();
	id = ot_mod_get(m->name, strlen(m->name), OT_MOD_COMING);
	if (id == OT_NONE)
		ot_module_unnamed_event(m, action);
	else
		ot_module_named_event(id, action);
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
