// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Calls getpid() as fast as it can until killed: a user task that spends
 * its life entering and leaving the patched system call.
 */
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	for (;;)
		syscall(SYS_getpid);
}
