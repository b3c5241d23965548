#!/usr/bin/env python3
# Prints what the kernel reports about a pinned BPF program (BPF_OBJ_GET +
# BPF_OBJ_GET_INFO_BY_FD) as JSON: xlated instructions, the JIT image, per-function
# lengths, kernel addresses and tags, func_info, line_info and jited_line_info.
# Debian's bpftool cannot dump jited code without libbfd (not even raw to a file), and
# kbpf does not report func/line info, so scripts/record-listing-goldens.mjs reads them here.
# Offsets are those of struct bpf_prog_info in include/uapi/linux/bpf.h.
# Usage: python3 scripts/bpf-prog-info.py /sys/fs/bpf/PIN
import ctypes, json, os, sys

libc = ctypes.CDLL(None, use_errno=True)
SYS_bpf = 321
BPF_OBJ_GET, BPF_OBJ_GET_INFO_BY_FD = 7, 15


def bpf(cmd, attr):
    r = libc.syscall(SYS_bpf, cmd, ctypes.byref(attr), ctypes.sizeof(attr))
    if r < 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))
    return r


def put(buf, off, ctype, value):
    ctype.from_buffer(buf, off).value = value


def get(buf, off, ctype):
    return ctype.from_buffer(buf, off).value


path = ctypes.create_string_buffer(sys.argv[1].encode())
attr = (ctypes.c_uint8 * 128)()
put(attr, 0, ctypes.c_uint64, ctypes.addressof(path))
fd = bpf(BPF_OBJ_GET, attr)


def prog_info(info):
    a = (ctypes.c_uint8 * 128)()
    put(a, 0, ctypes.c_uint32, fd)
    put(a, 4, ctypes.c_uint32, ctypes.sizeof(info))
    put(a, 8, ctypes.c_uint64, ctypes.addressof(info))
    bpf(BPF_OBJ_GET_INFO_BY_FD, a)


INFO_SIZE = 232
first = (ctypes.c_uint8 * INFO_SIZE)()
prog_info(first)
u32 = lambda o: get(first, o, ctypes.c_uint32)
jited_len, xlated_len = u32(16), u32(20)
nr_ksyms, nr_func_lens = u32(104), u32(108)
func_info_rec, nr_func_info, nr_line_info = u32(132), u32(144), u32(148)
nr_jited_line_info, line_info_rec, jited_line_info_rec, nr_tags = u32(168), u32(172), u32(176), u32(180)

jited = (ctypes.c_uint8 * jited_len)()
xlated = (ctypes.c_uint8 * xlated_len)()
ksyms = (ctypes.c_uint64 * nr_ksyms)()
func_lens = (ctypes.c_uint32 * nr_func_lens)()
func_info = (ctypes.c_uint8 * (nr_func_info * func_info_rec))()
line_info = (ctypes.c_uint8 * (nr_line_info * line_info_rec))()
jited_line_info = (ctypes.c_uint64 * nr_jited_line_info)()
tags = (ctypes.c_uint8 * (8 * nr_tags))()

second = (ctypes.c_uint8 * INFO_SIZE)()
for off, n in ((16, jited_len), (20, xlated_len), (104, nr_ksyms), (108, nr_func_lens), (132, func_info_rec),
               (144, nr_func_info), (148, nr_line_info), (168, nr_jited_line_info), (172, line_info_rec),
               (176, jited_line_info_rec), (180, nr_tags)):
    put(second, off, ctypes.c_uint32, n)
for off, buf in ((24, jited), (32, xlated), (112, ksyms), (120, func_lens), (136, func_info), (152, line_info),
                 (160, jited_line_info), (184, tags)):
    put(second, off, ctypes.c_uint64, ctypes.addressof(buf))
prog_info(second)

xb, fb, lb = bytes(xlated), bytes(func_info), bytes(line_info)
le32 = lambda b, o: int.from_bytes(b[o:o + 4], 'little')
print(json.dumps({
    "tag": bytes(first[8:16]).hex(),
    "name": bytes(first[64:80]).split(b'\0')[0].decode(),
    "xlated": [xb[o:o + 8].hex() for o in range(0, len(xb), 8)],
    "jited": bytes(jited).hex(),
    "jited_func_lens": list(func_lens),
    "jited_ksyms": [hex(v) for v in ksyms],
    "prog_tags": [bytes(tags[8 * k:8 * k + 8]).hex() for k in range(nr_tags)],
    "func_info": [{"insn_off": le32(fb, k * func_info_rec), "type_id": le32(fb, k * func_info_rec + 4)} for k in range(nr_func_info)],
    "line_info": [{"insn_off": le32(lb, k * line_info_rec), "line": le32(lb, k * line_info_rec + 12) >> 10,
                   "col": le32(lb, k * line_info_rec + 12) & 0x3ff} for k in range(nr_line_info)],
    "jited_line_info": [hex(v) for v in jited_line_info],
}))
