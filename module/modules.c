// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace: the modules allocations are charged to, by name. Entry 0 is
 * the core kernel ("[kernel]"); a module keeps its entry (and its
 * counters' rows) for good, so a module unloaded with live objects stays
 * visible as "gone", and loaded again continues under its name.
 *
 * Inserts and state changes are serialised by ot_slow_lock(); readers take
 * ot_mods_nr() and read below it without a lock.
 */
#include <linux/module.h>
#include <linux/string.h>

#include "format.h"
#include "identity.h"

struct ot_mod {
	char name[MODULE_NAME_LEN];
	u8 state;
};

static struct ot_mod ot_mods[OT_MAX_MODULES];
static struct ot_tab ot_mods_tab = { .max = OT_MAX_MODULES };

/**
 * ot_mod_get - find or add a module by name; ot_slow_lock() held
 * @name: its name (not NUL-terminated)
 * @len: the name's length
 * @state: its state if it is new
 *
 * A full table never answers with another module's id: [kernel]'s state
 * and rows would then be a stranger's.
 *
 * Return: its id, or OT_NONE when the table is full.
 */
u32 ot_mod_get(const char *name, size_t len, u8 state)
{
	u32 i, nr = ot_mods_tab.nr;

	len = min_t(size_t, len, MODULE_NAME_LEN - 1);
	for (i = 0; i < nr; i++)
		if (!strncmp(ot_mods[i].name, name, len) && !ot_mods[i].name[len])
			return i;
	i = ot_tab_next(&ot_mods_tab);
	if (i == OT_NONE)
		return OT_NONE;
	memcpy(ot_mods[i].name, name, len);
	ot_mods[i].name[len] = '\0';
	ot_mods[i].state = state;
	ot_tab_publish(&ot_mods_tab, i);
	return i;
}

/**
 * ot_mod_set_state - a module came, went live or went; ot_slow_lock() held
 * @id: its id
 * @state: OT_MOD_COMING, OT_MOD_LIVE or OT_MOD_GONE
 */
void ot_mod_set_state(u32 id, u8 state)
{
	WRITE_ONCE(ot_mods[id].state, state);
}

/**
 * ot_mods_init - start with the core kernel alone
 */
void ot_mods_init(void)
{
	strscpy(ot_mods[OT_KERNEL].name, OT_NAME_KERNEL, MODULE_NAME_LEN);
	ot_mods[OT_KERNEL].state = OT_MOD_LIVE;
	ot_mods_tab.nr = 1;
}

/**
 * ot_mods_nr - modules known; entries below are complete
 *
 * Return: the count.
 */
u32 ot_mods_nr(void)
{
	return ot_tab_nr(&ot_mods_tab);
}

/**
 * ot_mod_name - a module's name
 * @id: its id, below ot_mods_nr()
 *
 * Return: the name.
 */
const char *ot_mod_name(u32 id)
{
	return ot_mods[id].name;
}

/**
 * ot_mod_gone - whether a module was unloaded
 * @id: its id, below ot_mods_nr()
 *
 * Return: true once it is gone (until it is loaded again).
 */
bool ot_mod_gone(u32 id)
{
	return READ_ONCE(ot_mods[id].state) == OT_MOD_GONE;
}

/**
 * ot_mod_coming - whether a module is still initialising
 * @id: its id, below ot_mods_nr()
 *
 * Return: true between its COMING and LIVE notifications.
 */
bool ot_mod_coming(u32 id)
{
	return READ_ONCE(ot_mods[id].state) == OT_MOD_COMING;
}

/**
 * ot_mods_bytes - memory of the module table
 *
 * Return: bytes.
 */
size_t ot_mods_bytes(void)
{
	return sizeof(ot_mods);
}
