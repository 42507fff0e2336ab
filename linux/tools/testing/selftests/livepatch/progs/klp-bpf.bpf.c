// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The BPF programs of test-bpf.sh, loaded by bpf-attach: one of each kind
 * that runs through a BPF trampoline.  bpf-attach chooses the function
 * each attaches to.  They count their runs, and fexit, which sees the
 * return value of the version that ran, counts wrong ones.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

/*
 * A map, not global variables: libbpf creates those only where it can
 * probe for them with a socket filter, which needs CONFIG_NET.
 */
#define KLP_CALLS	0	/* how many times the program ran */
#define KLP_WRONG	1	/* fexit: wrong return values seen */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} klp_data SEC(".maps");

static void count(void)
{
	__u32 key = KLP_CALLS;
	__u64 *calls = bpf_map_lookup_elem(&klp_data, &key);

	if (calls)
		__sync_fetch_and_add(calls, 1);
}

SEC("fentry")
int klp_fentry(__u64 *ctx)
{
	count();
	return 0;
}

/* getpid, whichever version ran, must have returned the caller's pid. */
SEC("fexit")
int klp_fexit(__u64 *ctx)
{
	__u32 key = KLP_WRONG;
	__u64 ret = 0, *wrong;

	bpf_get_func_ret(ctx, &ret);
	if (ret != bpf_get_current_pid_tgid() >> 32) {
		wrong = bpf_map_lookup_elem(&klp_data, &key);
		if (wrong)
			__sync_fetch_and_add(wrong, 1);
	}
	count();
	return 0;
}

/* Returning 0 lets the function run: the trampoline calls it. */
SEC("fmod_ret")
int klp_fmod_ret(__u64 *ctx)
{
	count();
	return 0;
}
