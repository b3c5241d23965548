// one program per kind of SEC() name, to check section -> program type, expected
// attach type and load flags against libbpf: kretprobe, uprobe, fentry, fexit,
// fmod_ret, lsm, lsm.s (sleepable), iter, syscall (sleepable), sk_msg, sk_skb verdict,
// cgroup sock_addr and sysctl hooks, sockops, flow_dissector, xdp.frags, tcx, sk_lookup
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("kretprobe/do_unlinkat")
int kret(struct pt_regs *ctx) { return 0; }

SEC("uprobe//bin/true:main")
int up(struct pt_regs *ctx) { return 1; }

SEC("fentry/do_unlinkat")
int BPF_PROG(fent, int dfd, struct filename *name) { return 0; }

SEC("fexit/do_unlinkat")
int BPF_PROG(fex, int dfd, struct filename *name, long ret) { return 0; }

SEC("fmod_ret/security_file_open")
int BPF_PROG(fmodret, struct file *file) { return 0; }

SEC("lsm/file_open")
int BPF_PROG(lsm_open, struct file *file) { return 0; }

SEC("lsm.s/bprm_check_security")
int BPF_PROG(lsm_bprm, struct linux_binprm *bprm) { return 0; }

SEC("iter/task")
int iter_task(struct bpf_iter__task *ctx) { return 0; }

SEC("syscall")
int sys(void *ctx) { return 0; }

SEC("sk_msg")
int msg(struct sk_msg_md *msg) { return SK_PASS; }

SEC("sk_skb/stream_verdict")
int verdict(struct __sk_buff *skb) { return SK_PASS; }

SEC("cgroup/connect4")
int conn4(struct bpf_sock_addr *ctx) { return 1; }

SEC("cgroup/sysctl")
int sysctl(struct bpf_sysctl *ctx) { return 1; }

SEC("sockops")
int sock_ops(struct bpf_sock_ops *ctx) { return 1; }

SEC("flow_dissector")
int dissect(struct __sk_buff *skb) { return 0; }

SEC("xdp.frags")
int frags(struct xdp_md *ctx) { return 2; }

SEC("tcx/ingress")
int tcx_in(struct __sk_buff *skb) { return 0; }

SEC("sk_lookup")
int lookup(struct bpf_sk_lookup *ctx) { return 1; }

char LICENSE[] SEC("license") = "GPL";
