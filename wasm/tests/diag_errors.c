// EXPECT-FAIL
// Bad C: clang must report the same diagnostics as native clang-19.
#include "testbpf.h"

SEC("xdp")
int broken(struct xdp_md *ctx)
{
	int unused_var;
	return ctx->no_such_field + undeclared_thing;
}
