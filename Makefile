# SPDX-License-Identifier: GPL-2.0
#
# oomtrace: top-level build. Kernel code goes through Kbuild only; this file
# picks the kernel tree, then delegates (module -> Kbuild, tools/ -> its own
# Makefile, tests/ -> tests/run and tests/lab/lab.sh).
#
# Which kernel the module is built for, first match:
#   KDIR=DIR    that tree (a kernel build tree: headers or a prepared source)
#   KVER=REL    /lib/modules/REL/build
#   neither     the running kernel: /lib/modules/$(uname -r)/build
# Never another kernel's headers: a module built for another kernel does not
# load. scripts/kdir.sh checks the tree (there, prepared, 6.1 or newer) and
# says what to install or pass when it is not.
#
# The lab targets (demo, lab, lab-shell, bench, bench-profile, check) build for the lab
# kernel instead: LAB_KVER, default the newest installed Debian
# 6.1.0-*-amd64 with both /boot/vmlinuz-REL and /lib/modules/REL/build
# (the running kernel of this machine is not one QEMU boots); KDIR= or KVER=
# given on the command line still win.

ifneq ($(KDIR),)
KDIR_HOW := KDIR
else ifneq ($(KVER),)
KDIR := /lib/modules/$(KVER)/build
KDIR_HOW := KVER
else
KDIR := /lib/modules/$(shell uname -r)/build
KDIR_HOW := running
endif
# The release of KDIR's kernel, checked; in a recipe: $$($(KREL)).
KREL = scripts/kdir.sh '$(KDIR)' $(KDIR_HOW)

LAB_KVER ?= $(shell cd /lib/modules 2>/dev/null && for v in 6.1.0-*-amd64; do \
	[ -e "$$v/build/Makefile" ] && [ -e "/boot/vmlinuz-$$v" ] && echo "$$v"; \
	done | sort -V | tail -n 1)
# Expanded in the lab targets' recipes only, after deps ran.
LAB_KDIR = $(if $(filter running,$(KDIR_HOW)),$(if $(LAB_KVER),/lib/modules/$(LAB_KVER)/build,$(error \
	no lab kernel: no /lib/modules/6.1.0-*-amd64/build with its /boot/vmlinuz: run 'make deps' as root, \
	or set LAB_KVER)),$(KDIR))

PWD := $(CURDIR)
BUILD := $(PWD)/build
DESTDIR ?=
sbindir ?= /usr/sbin
mandir ?= /usr/share/man
# Under /lib/modules/REL: where make install puts oomtrace.ko (DKMS: updates/dkms).
INSTALL_MOD_DIR ?= extra
DEPMOD ?= depmod
# Absolute: Kbuild runs in KDIR and the tools' install in tools/.
DEST := $(abspath $(DESTDIR))
VERSION := $(shell cat $(CURDIR)/VERSION 2>/dev/null)
ifeq ($(VERSION),)
$(error $(CURDIR)/VERSION missing or empty: a copy of the sources needs it (Kbuild reads it too))
endif

.PHONY: all module tools testmods install module-install tools-install dkms-install \
	uninstall module-uninstall tools-uninstall dkms-source dkms-uninstall \
	clean style sparse check check-debug check-stub debug-kernel demo lab lab-shell deps \
	bench bench-profile bench-native kernel check-compile deb

all: module tools

# Prints the kernel the module is built for, or why there is none.
kernel:
	@krel=$$($(KREL)) && echo "KDIR=$(KDIR) ($(KDIR_HOW)) release $$krel"

module:
	@$(KREL) >/dev/null
	$(MAKE) -C $(KDIR) M=$(PWD) modules

tools:
	$(MAKE) -C tools

# Test modules (tests/modules/*) are never part of oomtrace.ko.
testmods:
	@$(KREL) >/dev/null
	$(MAKE) -C $(KDIR) M=$(PWD)/tests/modules modules

install: module-install tools-install

uninstall: module-uninstall tools-uninstall

# Kbuild signs on install when the tree says MODULE_SIG_ALL (Debian's does),
# with a key only a full kernel build has: without it, not signing is the
# outcome either way, minus sign-file's error.
NOSIGN = $(if $(wildcard $(KDIR)/certs/signing_key.pem),,CONFIG_MODULE_SIG_ALL=)

# The release comes from the tree (scripts/kdir.sh): the directory under
# lib/modules is the one the kernel looks in. depmod runs only where that
# kernel's modules.dep already is (/, or a DESTDIR that is a whole root);
# in a staging DESTDIR it would leave files that belong to the kernel.
DEPMOD_IF_ROOT = root=$(if $(DEST),$(DEST),/); \
	if [ -e "$$root/lib/modules/$$krel/modules.dep" ]; then \
		echo "$(DEPMOD) -b $$root $$krel"; $(DEPMOD) -b "$$root" "$$krel"; \
	else \
		echo "oomtrace: not running depmod: no $$root/lib/modules/$$krel/modules.dep (run 'depmod $$krel' where the module is used)"; \
	fi

module-install: module
	@krel=$$($(KREL)) || exit 1; set -e; \
	echo "installing oomtrace.ko for $$krel under $(DEST)/lib/modules/$$krel/$(INSTALL_MOD_DIR)"; \
	$(MAKE) -C $(KDIR) M=$(PWD) INSTALL_MOD_PATH=$(DEST) INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) \
		KERNELRELEASE=$$krel $(NOSIGN) modules_install; \
	$(DEPMOD_IF_ROOT)

module-uninstall:
	@krel=$$($(KREL)) || exit 1; set -e; \
	rm -fv $(DEST)/lib/modules/$$krel/$(INSTALL_MOD_DIR)/oomtrace.ko*; \
	rmdir --ignore-fail-on-non-empty $(DEST)/lib/modules/$$krel/$(INSTALL_MOD_DIR) 2>/dev/null || :; \
	$(DEPMOD_IF_ROOT)

# The man page's .TH footer gets the version here, whatever it says in tools/.
tools-install: tools
	$(MAKE) -C tools install DESTDIR=$(DEST) sbindir=$(sbindir) mandir=$(mandir)
	sed -i '1,10s/^\(\.TH OOMTRACE 8 "[^"]*" "oomtrace \)[^"]*"/\1$(VERSION)"/' \
		$(DEST)$(mandir)/man8/oomtrace.8
	@grep -q '^\.TH OOMTRACE 8 "[^"]*" "oomtrace $(VERSION)"' $(DEST)$(mandir)/man8/oomtrace.8 || { \
		echo "oomtrace: no version in the .TH line of tools/oomtrace.8" >&2; exit 1; }

tools-uninstall:
	$(MAKE) -C tools uninstall DESTDIR=$(DEST) sbindir=$(sbindir) mandir=$(mandir)

# DKMS. The source tree DKMS builds from: $(DESTDIR)/usr/src/oomtrace-VERSION
# with Kbuild, VERSION, module/ and dkms.conf, made from dkms.conf.in with
# VERSION written in (the Debian package uses the same template through
# dh_dkms -V). dkms-install registers it and builds and installs the module
# for the chosen kernel (KDIR/KVER, as for make module); DKMS itself builds
# it for every later kernel (AUTOINSTALL, BUILD_EXCLUSIVE_KERNEL: 6.1+).
DKMS_SRC = $(DEST)/usr/src/oomtrace-$(VERSION)

dkms-source:
	rm -rf $(DKMS_SRC)
	install -d $(DKMS_SRC)/module
	install -m 0644 Kbuild VERSION LICENSE $(DKMS_SRC)/
	install -m 0644 $(wildcard module/*.c module/*.h) $(DKMS_SRC)/module/
	sed 's/#MODULE_VERSION#/$(VERSION)/g' dkms.conf.in > $(DKMS_SRC)/dkms.conf

dkms-install:
	@command -v dkms >/dev/null || { echo "oomtrace: dkms not installed: apt-get install dkms" >&2; exit 1; }
	@test -z "$(DESTDIR)" || { echo "oomtrace: dkms-install registers with this system's DKMS: no DESTDIR (make dkms-source DESTDIR=... stages the tree)" >&2; exit 1; }
	@$(KREL) >/dev/null
	$(MAKE) dkms-source DESTDIR=
	dkms status -m oomtrace -v $(VERSION) | grep -q . || dkms add -m oomtrace -v $(VERSION)
	dkms build --force -m oomtrace -v $(VERSION) -k $$($(KREL)) --kernelsourcedir $(KDIR)
	dkms install --force -m oomtrace -v $(VERSION) -k $$($(KREL)) --kernelsourcedir $(KDIR)
	dkms status -m oomtrace

dkms-uninstall:
	@command -v dkms >/dev/null || { echo "oomtrace: dkms not installed" >&2; exit 1; }
	if dkms status -m oomtrace -v $(VERSION) | grep -q .; then dkms remove -m oomtrace -v $(VERSION) --all; fi
	rm -rf /usr/src/oomtrace-$(VERSION)

# Kbuild's outputs, removed without a kernel tree (clean works on a machine
# with no headers, and whichever kernel the objects were built for).
KBUILD_OUTPUTS = -name '*.o' -o -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.zst' \
	-o -name '*.ko.gz' -o -name '*.mod' -o -name '*.mod.c' -o -name '.*.cmd' -o -name '.*.d' \
	-o -name '*.a' -o -name '*.dwo' -o -name modules.order -o -name Module.symvers

clean:
	find . -maxdepth 1 -type f \( $(KBUILD_OUTPUTS) \) -delete
	find module tests/modules -type f \( $(KBUILD_OUTPUTS) \) -delete
	rm -rf .tmp_versions
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
	@$(KREL) >/dev/null
	@mkdir -p $(BUILD)
	$(MAKE) -C $(KDIR) M=$(PWD) C=2 modules > $(BUILD)/sparse.log 2>&1; \
	status=$$?; cat $(BUILD)/sparse.log; \
	[ $$status -eq 0 ] && ! grep -qE "(warning|error):" $(BUILD)/sparse.log

deps:
	scripts/deps.sh

# Debian packages in build/deb/ (oomtrace-dkms, oomtrace): scripts/build-deb.sh.
# scripts/test-packages.sh installs, checks and removes them (as root).
deb:
	scripts/build-deb.sh

# oomtrace.ko and the test modules, W=1, against Debian's 6.1 and 6.12
# headers and the newest upstream kernel (sid's linux-source-X.Y, fetched and
# prepared once by scripts/kernel-src.sh, cached in /var/cache/oomtrace);
# fails on any warning or error and prints them. Builds in build/compile/.
check-compile: deps
	scripts/check-compile.sh

# The lab targets build for and boot the lab kernel (LAB_KDIR, above).
demo: deps
	$(MAKE) KDIR=$(LAB_KDIR) all testmods
	KDIR=$(LAB_KDIR) tests/lab/lab.sh tests/lab/demo.sh

check: deps
	KDIR=$(LAB_KDIR) tests/run

# The debug lane: the whole lab again on Debian's 6.1 source built with
# KASAN, kmemleak, lockdep, PROVE_RCU, DEBUG_ATOMIC_SLEEP, DEBUG_LIST
# (tests/lab/debug.config). The kernel is built once per machine and input
# (~10 min) and cached in /var/cache/oomtrace/debug-kernel; modules build in
# build/debug/src. Same "N passed, N failed, N skipped" line as make check.
check-debug: deps
	tests/run --debug

# Proof that the lab suite measures: every scenario against a stub oomtrace.ko
# that serves plausible fixed content and tracks nothing
# (tests/modules/stub). Fails if a scenario that loads oomtrace passes.
check-stub: deps
	KDIR=$(LAB_KDIR) tests/run --stub

# Only build (or find) the debug kernel; prints KDIR, KERNEL, KVER, MODROOT.
debug-kernel: deps
	scripts/debug-kernel.sh

# make lab SCENARIO=name | make lab SCRIPT=path [FILES="host:guest ..."]
lab:
	$(MAKE) KDIR=$(LAB_KDIR) all testmods
	KDIR=$(LAB_KDIR) tests/lab/lab.sh $(if $(SCRIPT),$(SCRIPT),tests/lab/scenarios/$(SCENARIO).sh)

lab-shell:
	$(MAKE) KDIR=$(LAB_KDIR) all testmods
	KDIR=$(LAB_KDIR) tests/lab/lab.sh --shell

# What oomtrace costs (BENCHMARKS.md). Part 1, tests/lab/bench.sh:
# instructions under QEMU's icount on one vCPU (the scenario's header asks
# for it): deterministic, the host's load does not matter; BENCH_BOOTS
# boots of it (tests/lab/host/bench-boots.sh: what a kernel randomises at
# boot moves some figures between boots, not within one), each figure the
# median of the boots' medians; its "bench:" lines are kept in
# build/bench/KVER.txt and compared with the previous run on that kernel
# (tests/lab/host/bench-compare.sh: two runs agree within 1%; five boots:
# 6.12's DRBD writes spread by up to 2% between boots). Part 2,
# tests/lab/bench_smp.sh: an allocating CPU while another reads,
# TCG wall clock on two vCPUs, multi-threaded so that they really run side
# by side (the stale-int3 hazard of tests/lab/host/boot.sh needs code
# patched under a tight allocation loop; part 2 patches, loading modules,
# only while idle).
BENCH_BOOTS ?= 5

bench:
	$(MAKE) KDIR=$(LAB_KDIR) all testmods
	KDIR=$(LAB_KDIR) tests/lab/host/bench-boots.sh $(BENCH_BOOTS)
	tests/lab/host/bench-compare.sh $(or $(LAB_OUT),$(BUILD)/lab)/bench.clean.log
	KDIR=$(LAB_KDIR) ACCEL=$${ACCEL:-tcg,thread=multi} tests/lab/lab.sh tests/lab/bench_smp.sh

# Where oomtrace's instructions go: perf record in the guest under icount,
# one sample per 20011 instructions (tests/lab/bench_profile.sh).
bench-profile:
	$(MAKE) KDIR=$(LAB_KDIR) all testmods
	KDIR=$(LAB_KDIR) tests/lab/lab.sh tests/lab/bench_profile.sh

# Nanoseconds at native speed: otbench in User-Mode Linux built from
# linux-source-6.1 (scripts/uml-kernel.sh, cached; ~15 min the first time).
bench-native:
	tests/lab/host/bench-native.sh
