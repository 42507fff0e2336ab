# klp: kernel live patching, written from scratch.
#   make demo [ARCH=ppc64le]   boot a guest and live-patch it before your eyes
#   make demo PATCH=fix.patch [CHECK=check.sh] [ARCH=ppc64le]
#                              the same with a module klp-build makes from
#                              your patch; CHECK runs in the guest, patched
#   make klp-build PATCH=fix.patch [ARCH=ppc64le] [KLP_FLAGS=-v]
#                              a live patch module from a source patch, in
#                              build/klp-build/<arch>/
#   make klp-build-check       klp-build's whole corpus, built and run in guests,
#                              on both arches, our kernel and upstream's
#   make check                 every test suite, on x86_64 and ppc64le
#   make check-debug           every livepatch kselftest on the debug kernel (~1 h)
#   make compat-check          upstream's kernel of each arch: its kselftests
#                              and our test-compat.sh
#   make lint                  checkpatch --strict, W=1 and kernel-doc on our files
#   make series                our tree as a bisectable patch series, in build/series/
#   make series-check          git am it onto the pristine base, build every step,
#                              boot the core point and each improvement taken out
#   make stress [CYCLES=1000]  enable/disable cycles under load on the debug kernel
#   make mttcg [RUNS=20]       x86_64 under multi-threaded TCG: text-patching
#                              rounds per cycle, then test-syscall.sh RUNS times
#   make bench                 benchmarks, upstream's livepatch vs ours, both arches:
#                              bench/RESULTS.md, bench/goals.tsv, bench/*.svg
#   make bench-page            the same page again from the last run's figures
#   make kernel [ARCH=...]     just build the kernel (incrementally)
#   make clean                 remove build/
ARCH ?= x86_64
export ARCH

.PHONY: demo klp-build klp-build-check check check-debug compat-check lint series series-check stress mttcg bench bench-page kernel clean
demo:
	@PATCH="$(PATCH)" CHECK="$(CHECK)" harness/demo.sh
klp-build:
	@PATCH="$(PATCH)" KLP_FLAGS="$(KLP_FLAGS)" OUT="$(OUT)" harness/klp-build.sh
klp-build-check:
	@harness/klp-build-check.sh
check:
	@harness/check.sh
check-debug:
	@harness/check-debug.sh
compat-check:
	@harness/compat-check.sh
lint:
	@harness/lint.sh
series:
	@harness/deps.sh && harness/series.sh
series-check:
	@harness/deps.sh && harness/series-check.sh
stress:
	@KCONFIG_VARIANT=debug harness/stress.sh $(CYCLES)
mttcg:
	@harness/mttcg.sh $(RUNS)
bench:
	@harness/bench.sh
bench-page:
	@harness/bench-page.sh
kernel:
	@harness/deps.sh && harness/kernel.sh
clean:
	rm -rf build
