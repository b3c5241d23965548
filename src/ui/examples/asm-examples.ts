/**
 * Starter programs for assembly mode, in the syntaxes the assembler reads. Each one is
 * accepted by the 6.18 kernel's verifier (asm-examples.test.ts loads them with bpftool).
 */
export interface AsmExample {
  id: string;
  title: string;
  /** One sentence shown as the picker's description. */
  summary: string;
  source: string;
}

export const ASM_EXAMPLES: readonly AsmExample[] = [
  {
    id: 'xdp-counter',
    title: 'XDP packet counter (map)',
    summary: 'Counts every packet in an ARRAY map and lets it pass.',
    source: `; Count packets in counter[0], pass them on.
; Kernel syntax, as verifier logs print it.
.section xdp
.license "GPL"
.map counter array key=4 value=8 entries=1

    r1 = 0
    *(u32 *)(r10 -4) = r1      ; key = 0, on the stack
    r2 = r10
    r2 += -4                   ; r2 = &key
    r1 = counter ll            ; r1 = &counter
    call bpf_map_lookup_elem   ; r0 = &counter[key]
    if r0 == 0 goto out        ; or NULL: check
    r1 = 1
    lock *(u64 *)(r0 +0) += r1 ; atomic add
out:
    r0 = 2                     ; XDP_PASS
    exit
`,
  },
  {
    id: 'xdp-bounds',
    title: 'XDP packet bounds check',
    summary: 'Reads the Ethernet type after proving the header is inside the packet; drops IPv6.',
    source: `; Drop IPv6 frames, pass the rest. Packet reads
; are allowed only after a check against data_end.
.section xdp
.license "GPL"

    r2 = *(u32 *)(r1 +0)       ; r2 = ctx->data
    r3 = *(u32 *)(r1 +4)       ; r3 = ctx->data_end
    r4 = r2
    r4 += 14                   ; end of Ethernet header
    if r4 > r3 goto pass       ; too short
    r5 = *(u16 *)(r2 +12)      ; h_proto (big endian)
    if r5 != 0xdd86 goto pass  ; htons(ETH_P_IPV6)
    r0 = 1                     ; XDP_DROP
    exit
pass:
    r0 = 2                     ; XDP_PASS
    exit
`,
  },
  {
    id: 'socket-llvm',
    title: 'Socket filter (llvm syntax)',
    summary: 'Keeps only the first 64 bytes of each packet; written as llvm-objdump prints.',
    source: `// A socket filter returns how many bytes to keep.
// llvm-objdump syntax: hex, "+ 0x" offsets, w regs.
.section socket

    w0 = *(u32 *)(r1 + 0x0)    // skb->len
    if w0 < 0x40 goto +0x1 <short>
    w0 = 0x40
short:
    exit
`,
  },
  {
    id: 'bounded-loop',
    title: 'Bounded loop',
    summary: 'Sums 1..10 in a loop the verifier can prove terminates.',
    source: `# A loop with a constant trip count: the
# verifier follows it to the end.
.section socket

    r0 = 0
    r1 = 10
loop:
    r0 += r1
    r1 += -1
    if r1 != 0 goto loop       # back-edge
    exit                       # r0 = 55
`,
  },
];

export const DEFAULT_EXAMPLE = ASM_EXAMPLES[0];

export const exampleById = (id: string): AsmExample | undefined => ASM_EXAMPLES.find((e) => e.id === id);
