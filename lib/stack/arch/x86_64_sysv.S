/*
 * lib/stack/arch/x86_64_sysv.S - stack switching for x86-64, System V ABI,
 * ELF (Linux, the BSDs).
 *
 * Three routines, one job each:
 *   ng__stack_call_on(fn, arg, sp)  run fn(arg) on another stack, come back
 *   ng__ctx_init(c, lo, top, fn, arg, done)  a context that runs fn(arg)
 *   ng__ctx_swap(from, to, data)    save the running context, resume another
 *
 * Save area (ng__ctx, offsets pinned in lib/stack/arch.h):
 *
 *   offset  field    saved because
 *   ------  -------  --------------------------------------------------
 *        0  rsp      the stack pointer to resume with
 *        8  rip      the instruction to resume at
 *   16..56  rbx rbp r12 r13 r14 r15   callee-saved by the ABI
 *       64  mxcsr    SSE rounding mode and exception masks
 *       68  x87 cw   x87 precision, rounding and exception masks
 *
 * Caller-saved registers need no saving: ng__ctx_swap is an ordinary call,
 * so the compiler has already spilled whatever it needs across it.
 */
#include "stack/arch.h"

#if NG__ARCH_X86_64

	.text

/*
 * int ng__stack_call_on(int (*fn)(void *), void *arg, void *sp)
 * rdi = fn, rsi = arg, rdx = new stack top (16-byte aligned).
 * The old stack pointer is kept in rbp, so the CFA of this frame is always
 * rbp + 16 and an unwinder steps from fn's frames back to our caller.
 */
	.globl	ng__stack_call_on
	.hidden	ng__stack_call_on
	.type	ng__stack_call_on, @function
	.p2align 4
ng__stack_call_on:
	.cfi_startproc
	pushq	%rbp			/* save the caller's frame pointer */
	.cfi_def_cfa_offset 16
	.cfi_offset %rbp, -16
	movq	%rsp, %rbp		/* rbp = old stack, for the way back */
	.cfi_def_cfa_register %rbp
	movq	%rdx, %rsp		/* switch to the new stack */
	movq	%rdi, %rax		/* fn */
	movq	%rsi, %rdi		/* first argument: arg */
/*
 * gdb refuses to unwind from a frame on one stack to a caller at a lower
 * address ("previous frame inner to this frame") unless the caller's pc
 * is in a function named __morestack, gcc's split-stack switch. This
 * local (never exported) label gives the call site that name, so
 * backtraces continue across segments and system-stack calls.
 */
	.type	__morestack, @function
__morestack:
	callq	*%rax			/* fn(arg), rsp 16-byte aligned */
	movq	%rbp, %rsp		/* back on the old stack */
	popq	%rbp			/* restore the caller's frame pointer */
	.cfi_def_cfa %rsp, 8
	retq				/* eax holds fn's result */
	.cfi_endproc
	.size	__morestack, .-__morestack
	.size	ng__stack_call_on, .-ng__stack_call_on

/*
 * First code of every fresh context: r12 = fn, r13 = arg, r14 = done (set
 * by ng__ctx_init; callee-saved, so done survives fn). fn's frame is the
 * first on the stack. rip is marked undefined so backtraces end here.
 */
	.type	ng__ctx_start, @function
	.p2align 4
ng__ctx_start:
	.cfi_startproc
	.cfi_undefined %rip		/* outermost frame of a task */
	movq	%r13, %rdi		/* first argument: arg */
	callq	*%r12			/* fn(arg) */
	movl	%eax, %edi		/* its result */
	callq	*%r14			/* done(result); never returns */
	ud2				/* protector: done returned */
	.cfi_endproc
	.size	ng__ctx_start, .-ng__ctx_start

/*
 * void ng__ctx_init(ng__ctx *c, void *lo, void *top, int (*fn)(void *),
 *                   void *arg, void (*done)(int))
 * rdi = c, rsi = lo (unused here), rdx = top, rcx = fn, r8 = arg,
 * r9 = done.
 */
	.globl	ng__ctx_init
	.hidden	ng__ctx_init
	.type	ng__ctx_init, @function
	.p2align 4
ng__ctx_init:
	.cfi_startproc
	andq	$-16, %rdx		/* align the top down to 16 */
	movq	%rdx, NG__X64_RSP(%rdi)	/* start with rsp = top, as after a */
					/* call minus the return address: */
					/* ng__ctx_start's call re-aligns */
	leaq	ng__ctx_start(%rip), %rax
	movq	%rax, NG__X64_RIP(%rdi)	/* resume in ng__ctx_start */
	movq	%rcx, NG__X64_R12(%rdi)	/* fn */
	movq	%r8, NG__X64_R13(%rdi)	/* arg */
	movq	%r9, NG__X64_R14(%rdi)	/* done */
	xorl	%eax, %eax
	movq	%rax, NG__X64_RBX(%rdi)	/* clean callee-saved registers */
	movq	%rax, NG__X64_RBP(%rdi)	/* rbp 0 ends frame-pointer walks */
	movq	%rax, NG__X64_R15(%rdi)
	stmxcsr	NG__X64_MXCSR(%rdi)	/* inherit the creator's SSE modes */
	fnstcw	NG__X64_FPUCW(%rdi)	/* and x87 control word */
	retq
	.cfi_endproc
	.size	ng__ctx_init, .-ng__ctx_init

/*
 * int ng__ctx_swap(ng__ctx *from, const ng__ctx *to, int data)
 * rdi = from, rsi = to, edx = data. Saves, then loads; the return address
 * becomes the saved rip, so resuming `from` returns from this call, with
 * the data of the swap that resumed it. Leaving through
 * ret (not jmp) matters: a jmp leaves our call's entry on the return-stack
 * predictor, and every return after the switch then mispredicts (measured:
 * 30 ns per task switch instead of 10).
 */
	.globl	ng__ctx_swap
	.hidden	ng__ctx_swap
	.type	ng__ctx_swap, @function
	.p2align 4
ng__ctx_swap:
	.cfi_startproc
	movq	(%rsp), %rax		/* our return address */
	leaq	8(%rsp), %rcx		/* rsp as it will be after returning */
	movq	%rcx, NG__X64_RSP(%rdi)
	movq	%rax, NG__X64_RIP(%rdi)
	movq	%rbx, NG__X64_RBX(%rdi)	/* callee-saved registers */
	movq	%rbp, NG__X64_RBP(%rdi)
	movq	%r12, NG__X64_R12(%rdi)
	movq	%r13, NG__X64_R13(%rdi)
	movq	%r14, NG__X64_R14(%rdi)
	movq	%r15, NG__X64_R15(%rdi)
	stmxcsr	NG__X64_MXCSR(%rdi)	/* floating-point control state */
	fnstcw	NG__X64_FPUCW(%rdi)

	ldmxcsr	NG__X64_MXCSR(%rsi)	/* load the other context */
	fldcw	NG__X64_FPUCW(%rsi)
	movq	NG__X64_RBX(%rsi), %rbx
	movq	NG__X64_RBP(%rsi), %rbp
	movq	NG__X64_R12(%rsi), %r12
	movq	NG__X64_R13(%rsi), %r13
	movq	NG__X64_R14(%rsi), %r14
	movq	NG__X64_R15(%rsi), %r15
	movq	NG__X64_RSP(%rsi), %rsp	/* switch stacks */
	pushq	NG__X64_RIP(%rsi)	/* resume address, into the slot its */
					/* own call used (free stack below sp) */
	movl	%edx, %eax		/* the other context's call returns */
					/* our data (edx untouched since) */
	retq				/* a ret, not a jmp: the CPU's return */
					/* predictor stays in step with calls */
	.cfi_endproc
	.size	ng__ctx_swap, .-ng__ctx_swap

#endif /* NG__ARCH_X86_64 */

	.section .note.GNU-stack,"",%progbits
