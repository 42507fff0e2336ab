# klp: kernel live patching, written from scratch.
#   make demo [ARCH=ppc64le]   boot a guest and live-patch it before your eyes
#   make check                 every test suite, on x86_64 and ppc64le
#   make lint                  checkpatch --strict, W=1 and kernel-doc on our files
#   make kernel [ARCH=...]     just build the kernel (incrementally)
#   make clean                 remove build/
ARCH ?= x86_64
export ARCH

.PHONY: demo check lint kernel clean
demo:
	@harness/demo.sh
check:
	@harness/check.sh
lint:
	@harness/lint.sh
kernel:
	@harness/deps.sh && harness/kernel.sh
clean:
	rm -rf build
