// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A kprobe with a post_handler on "symbol": through ftrace it claims the
 * right to change the function's instruction pointer (IPMODIFY), which a
 * live patch of the same function needs too.
 */
#include <linux/kprobes.h>
#include <linux/module.h>

static char *symbol = "cmdline_proc_show";
module_param(symbol, charp, 0444);
MODULE_PARM_DESC(symbol, "function to probe");

static char *symbol2;
module_param(symbol2, charp, 0444);
MODULE_PARM_DESC(symbol2, "a second function to probe (optional)");

static void klp_test_post(struct kprobe *p, struct pt_regs *regs,
			  unsigned long flags)
{
}

static struct kprobe kp = { .post_handler = klp_test_post };
static struct kprobe kp2 = { .post_handler = klp_test_post };

static int __init klp_test_kprobe_init(void)
{
	int ret;

	kp.symbol_name = symbol;
	ret = register_kprobe(&kp);
	if (ret || !symbol2)
		return ret;
	kp2.symbol_name = symbol2;
	ret = register_kprobe(&kp2);
	if (ret)
		unregister_kprobe(&kp);
	return ret;
}

static void __exit klp_test_kprobe_exit(void)
{
	if (symbol2)
		unregister_kprobe(&kp2);
	unregister_kprobe(&kp);
}

module_init(klp_test_kprobe_init);
module_exit(klp_test_kprobe_exit);
MODULE_DESCRIPTION("klp selftest: a kprobe with a post_handler");
MODULE_LICENSE("GPL");
