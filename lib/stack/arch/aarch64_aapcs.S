/*
 * lib/stack/arch/aarch64_aapcs.S - stack switching for AArch64 (AAPCS64),
 * ELF (Linux, the BSDs).
 *
 * Same three routines as x86_64_sysv.S:
 *   ng__stack_call_on(fn, arg, sp)  run fn(arg) on another stack, come back
 *   ng__ctx_init(c, lo, top, fn, arg, done)  a context that runs fn(arg)
 *   ng__ctx_swap(from, to, data)    save the running context, resume another
 *
 * Save area (ng__ctx, offsets pinned in lib/stack/arch.h):
 *
 *   offset   field      saved because
 *   -------  ---------  ----------------------------------------------
 *        0   sp         the stack pointer to resume with
 *        8   pc         x30 at the switch: where to resume
 *   16..88   x19..x28   callee-saved by the ABI
 *       96   x29        frame pointer
 *  104..160  d8..d15    callee-saved low halves of v8..v15
 *      168   fpcr       rounding mode and trap enables
 */
#include "stack/arch.h"

#if NG__ARCH_AARCH64

	.text

/*
 * int ng__stack_call_on(int (*fn)(void *), void *arg, void *sp)
 * x0 = fn, x1 = arg, x2 = new stack top (16-byte aligned).
 * x29 keeps the old frame, so the CFA is x29 + 16 throughout.
 */
	.globl	ng__stack_call_on
	.hidden	ng__stack_call_on
	.type	ng__stack_call_on, %function
	.p2align 4
ng__stack_call_on:
	.cfi_startproc
	stp	x29, x30, [sp, #-16]!	/* save frame pointer and return */
	.cfi_def_cfa_offset 16
	.cfi_offset x29, -16
	.cfi_offset x30, -8
	mov	x29, sp			/* x29 = old stack, for the way back */
	.cfi_def_cfa_register x29
	mov	sp, x2			/* switch to the new stack */
	mov	x3, x0			/* fn */
	mov	x0, x1			/* first argument: arg */
/* Local label named like gcc's split-stack switch, so that gdb unwinds
 * across stacks (see x86_64_sysv.S). */
	.type	__morestack, %function
__morestack:
	blr	x3			/* fn(arg) */
	mov	sp, x29			/* back on the old stack */
	ldp	x29, x30, [sp], #16	/* restore frame pointer and return */
	.cfi_def_cfa sp, 0
	.cfi_restore x29
	.cfi_restore x30
	ret				/* w0 holds fn's result */
	.cfi_endproc
	.size	__morestack, .-__morestack
	.size	ng__stack_call_on, .-ng__stack_call_on

/*
 * First code of every fresh context: x19 = entry, x20 = arg.
 * The return address is marked undefined so backtraces end here.
 */
	.type	ng__ctx_start, %function
	.p2align 4
ng__ctx_start:
	.cfi_startproc
	.cfi_undefined x30		/* outermost frame of a task */
	mov	x0, x20			/* first argument: arg */
	blr	x19			/* fn(arg); w0 = its result */
	blr	x21			/* done(result); never returns */
	brk	#0x3e8			/* protector: done returned */
	.cfi_endproc
	.size	ng__ctx_start, .-ng__ctx_start

/*
 * void ng__ctx_init(ng__ctx *c, void *lo, void *top, int (*fn)(void *),
 *                   void *arg, void (*done)(int))
 * x0 = c, x1 = lo (unused), x2 = top, x3 = fn, x4 = arg, x5 = done.
 */
	.globl	ng__ctx_init
	.hidden	ng__ctx_init
	.type	ng__ctx_init, %function
	.p2align 4
ng__ctx_init:
	.cfi_startproc
	and	x2, x2, #-16		/* align the top down to 16 */
	str	x2, [x0, #NG__A64_SP]	/* start with sp = top */
	adr	x6, ng__ctx_start
	str	x6, [x0, #NG__A64_PC]	/* resume in ng__ctx_start */
	stp	x3, x4, [x0, #NG__A64_X19]	/* x19 = fn, x20 = arg */
	stp	x5, xzr, [x0, #NG__A64_X19 + 16]	/* x21 = done, x22 */
	stp	xzr, xzr, [x0, #NG__A64_X19 + 32]	/* x23, x24 */
	stp	xzr, xzr, [x0, #NG__A64_X19 + 48]	/* x25, x26 */
	stp	xzr, xzr, [x0, #NG__A64_X19 + 64]	/* x27, x28 */
	str	xzr, [x0, #NG__A64_X29]	/* fp 0 ends frame-pointer walks */
	stp	xzr, xzr, [x0, #NG__A64_D8]	/* clean d8..d15 */
	stp	xzr, xzr, [x0, #NG__A64_D8 + 16]
	stp	xzr, xzr, [x0, #NG__A64_D8 + 32]
	stp	xzr, xzr, [x0, #NG__A64_D8 + 48]
	mrs	x6, fpcr		/* inherit the creator's FP modes */
	str	x6, [x0, #NG__A64_FPCR]
	ret
	.cfi_endproc
	.size	ng__ctx_init, .-ng__ctx_init

/*
 * int ng__ctx_swap(ng__ctx *from, const ng__ctx *to, int data)
 * x0 = from, x1 = to, w2 = data. Resuming `from` returns from this call
 * (pc = x30) with the data of the swap that resumed it.
 */
	.globl	ng__ctx_swap
	.hidden	ng__ctx_swap
	.type	ng__ctx_swap, %function
	.p2align 4
ng__ctx_swap:
	.cfi_startproc
	mov	x9, sp
	stp	x9, x30, [x0, #NG__A64_SP]	/* sp and resume address */
	stp	x19, x20, [x0, #NG__A64_X19]	/* callee-saved registers */
	stp	x21, x22, [x0, #NG__A64_X19 + 16]
	stp	x23, x24, [x0, #NG__A64_X19 + 32]
	stp	x25, x26, [x0, #NG__A64_X19 + 48]
	stp	x27, x28, [x0, #NG__A64_X19 + 64]
	str	x29, [x0, #NG__A64_X29]
	stp	d8, d9, [x0, #NG__A64_D8]	/* callee-saved FP registers */
	stp	d10, d11, [x0, #NG__A64_D8 + 16]
	stp	d12, d13, [x0, #NG__A64_D8 + 32]
	stp	d14, d15, [x0, #NG__A64_D8 + 48]
	mrs	x9, fpcr			/* floating-point control */
	str	x9, [x0, #NG__A64_FPCR]

	ldr	x9, [x1, #NG__A64_FPCR]		/* load the other context */
	msr	fpcr, x9
	ldp	d8, d9, [x1, #NG__A64_D8]
	ldp	d10, d11, [x1, #NG__A64_D8 + 16]
	ldp	d12, d13, [x1, #NG__A64_D8 + 32]
	ldp	d14, d15, [x1, #NG__A64_D8 + 48]
	ldp	x19, x20, [x1, #NG__A64_X19]
	ldp	x21, x22, [x1, #NG__A64_X19 + 16]
	ldp	x23, x24, [x1, #NG__A64_X19 + 32]
	ldp	x25, x26, [x1, #NG__A64_X19 + 48]
	ldp	x27, x28, [x1, #NG__A64_X19 + 64]
	ldr	x29, [x1, #NG__A64_X29]
	ldp	x9, x30, [x1, #NG__A64_SP]	/* saved sp and resume address */
	mov	sp, x9				/* switch stacks */
	mov	w0, w2				/* the other context's call returns */
						/* our data */
	ret					/* resume at the saved pc */
	.cfi_endproc
	.size	ng__ctx_swap, .-ng__ctx_swap

#endif /* NG__ARCH_AARCH64 */

	.section .note.GNU-stack,"",%progbits
