# SPDX-License-Identifier: GPL-2.0
#
# oomtrace: top-level build. Kernel code goes through Kbuild only; this file
# picks the kernel tree, then delegates (module -> Kbuild, tools/ -> its own
# Makefile, tests/ -> tests/run and tests/lab/lab.sh).

# Newest installed Debian 6.1 headers: the host's own kernel usually has no
# module support here, so /lib/modules/$(uname -r)/build is used only if present.
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	$(lastword $(sort $(wildcard /lib/modules/6.1.0-*-amd64/build))))
PWD := $(CURDIR)
BUILD := $(PWD)/build
DESTDIR ?=
sbindir ?= /usr/sbin
mandir ?= /usr/share/man
VERSION := $(shell cat $(CURDIR)/VERSION)

export KDIR

.PHONY: all module tools testmods install module-install tools-install dkms-install \
	clean style sparse check check-debug debug-kernel demo lab lab-shell deps bench

all: module tools

module:
	@test -n "$(KDIR)" || { echo "no kernel headers: run 'make deps' (as root)" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(PWD) modules

tools:
	$(MAKE) -C tools

# Test modules (tests/modules/*) are never part of oomtrace.ko.
testmods:
	$(MAKE) -C $(KDIR) M=$(PWD)/tests/modules modules

install: module-install tools-install

module-install: module
	$(MAKE) -C $(KDIR) M=$(PWD) INSTALL_MOD_DIR=extra modules_install
	depmod -a $(notdir $(patsubst %/build,%,$(realpath $(KDIR))))

tools-install: tools
	$(MAKE) -C tools install DESTDIR=$(DESTDIR) sbindir=$(sbindir) mandir=$(mandir)

dkms-install:
	mkdir -p /usr/src/oomtrace-$(VERSION)
	cp -r Kbuild Makefile dkms.conf module /usr/src/oomtrace-$(VERSION)/
	dkms add oomtrace/$(VERSION)
	dkms build oomtrace/$(VERSION)
	dkms install oomtrace/$(VERSION)

clean:
	-$(MAKE) -C $(KDIR) M=$(PWD) clean
	-$(MAKE) -C $(KDIR) M=$(PWD)/tests/modules clean
	$(MAKE) -C tools clean
	rm -rf $(BUILD)

CHECKPATCH ?= $(firstword $(wildcard /usr/src/linux-source-6.1/scripts/checkpatch.pl) \
	$(wildcard $(BUILD)/linux-source-6.1/scripts/checkpatch.pl))

# checkpatch ships in Debian's linux-source-6.1 (scripts/deps.sh unpacks it).
STYLE_FILES = $(wildcard module/*.[ch]) $(filter-out %.mod.c,$(wildcard tests/modules/*/*.c))

style:
	@mkdir -p $(BUILD); test -n "$(CHECKPATCH)" || { echo "checkpatch.pl not found: run 'make deps'" >&2; exit 1; }
	perl $(CHECKPATCH) --strict --no-tree --terse --show-types -f \
		$(STYLE_FILES) | tee $(BUILD)/style.log; \
	! grep -qE "(ERROR|WARNING|CHECK):" $(BUILD)/style.log

# Zero warnings: the log is kept in build/ and any warning fails the target.
sparse:
	@mkdir -p $(BUILD)
	$(MAKE) -C $(KDIR) M=$(PWD) C=2 modules > $(BUILD)/sparse.log 2>&1; \
	status=$$?; cat $(BUILD)/sparse.log; \
	[ $$status -eq 0 ] && ! grep -qE "(warning|error):" $(BUILD)/sparse.log

deps:
	scripts/deps.sh

demo: deps all testmods
	tests/lab/lab.sh tests/lab/demo.sh

check: deps
	tests/run

# The debug lane: the whole lab again on Debian's 6.1 source built with
# KASAN, kmemleak, lockdep, PROVE_RCU, DEBUG_ATOMIC_SLEEP, DEBUG_LIST
# (tests/lab/debug.config). The kernel is built once per machine and input
# (~10 min) and cached in /var/cache/oomtrace/debug-kernel; modules build in
# build/debug/src. Same "N passed, N failed, N skipped" line as make check.
check-debug: deps
	tests/run --debug

# Only build (or find) the debug kernel; prints KDIR, KERNEL, KVER, MODROOT.
debug-kernel: deps
	scripts/debug-kernel.sh

# make lab SCENARIO=name | make lab SCRIPT=path [FILES="host:guest ..."]
lab: all testmods
	tests/lab/lab.sh $(if $(SCRIPT),$(SCRIPT),tests/lab/scenarios/$(SCENARIO).sh)

lab-shell: all testmods
	tests/lab/lab.sh --shell

# Allocator cost without oomtrace, exact and sampled, in one boot (ratios only:
# TCG). Multi-threaded TCG, so that the vCPUs really run side by side: the
# stale-int3 hazard of tests/lab/lab.sh needs code patched under a tight
# allocation loop, and the benchmark patches (loads, switches mode) only
# while it is idle.
bench: all testmods
	ACCEL=$${ACCEL:-tcg,thread=multi} tests/lab/lab.sh tests/lab/bench.sh
