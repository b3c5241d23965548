// kload: loads raw BPF instructions into the running kernel with bpf(2) and prints what
// the kernel said, as one JSON object. The differential tests' way to ask the kernel
// about programs that are not ELF objects (bpftool handles those).
//
//   kload --insns FILE [--type N] [--attach-type N] [--flags N] [--log-level N]
//         [--map TYPE,KEY,VALUE,MAX,FLAGS[,INNER]]... [--map-init M,KEYHEX,VALUEHEX]...
//         [--fixup SLOT,MAP]... [--pin PATH]
//         [--data FILE] [--ctx FILE] [--repeat N] [--data-out-size N]
//
// FILE holds the program as hex (16 hex digits per 8-byte slot, whitespace ignored).
// Output: {"accepted", "errno", "log", "processed_insns"...} and, with --data/--ctx, a test
// run: "retval", "duration_ns", "data_out" (hex), "ctx_out", and "maps" (every entry, hex).
// Exit status: 0 accepted (and run ok), 1 rejected, 2 bad usage, 3 other failures.
#include <errno.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_MAPS 64
#define MAX_FIXUPS 256
#define LOG_SIZE (64u << 20)

struct map_spec { uint32_t type, key, value, max, flags; int inner; int fd; };

static struct map_spec maps[MAX_MAPS];
static int nmaps;
static int fixups[MAX_FIXUPS][2];
static int nfixups;

static long sys_bpf(int cmd, union bpf_attr *attr) {
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static void die(int code, const char *msg) {
	fprintf(stderr, "kload: %s\n", msg);
	exit(code);
}

static unsigned char *read_file(const char *path, size_t *len) {
	FILE *f = fopen(path, "rb");
	if (!f) die(2, "cannot open input file");
	size_t cap = 1 << 16, n = 0;
	unsigned char *buf = malloc(cap);
	size_t r;
	while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) buf = realloc(buf, cap *= 2);
	}
	fclose(f);
	*len = n;
	return buf;
}

static int hexval(int c) {
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* Decodes hex digits (whitespace ignored) into a new buffer. */
static unsigned char *from_hex(const char *s, size_t slen, size_t *out_len) {
	unsigned char *out = malloc(slen / 2 + 1);
	size_t n = 0;
	int hi = -1;
	for (size_t k = 0; k < slen; k++) {
		int v = hexval((unsigned char)s[k]);
		if (v < 0) {
			if (s[k] == ' ' || s[k] == '\n' || s[k] == '\t' || s[k] == '\r') continue;
			die(2, "bad hex digit");
		}
		if (hi < 0) hi = v; else { out[n++] = (unsigned char)(hi << 4 | v); hi = -1; }
	}
	if (hi >= 0) die(2, "odd number of hex digits");
	*out_len = n;
	return out;
}

static void print_json_string(const char *s, size_t n) {
	putchar('"');
	for (size_t k = 0; k < n; k++) {
		unsigned char c = (unsigned char)s[k];
		if (c == '"' || c == '\\') printf("\\%c", c);
		else if (c == '\n') printf("\\n");
		else if (c == '\t') printf("\\t");
		else if (c < 0x20) printf("\\u%04x", c);
		else putchar(c);
	}
	putchar('"');
}

static void print_hex(const unsigned char *b, size_t n) {
	putchar('"');
	for (size_t k = 0; k < n; k++) printf("%02x", b[k]);
	putchar('"');
}

static int create_map(struct map_spec *m) {
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_type = m->type;
	a.key_size = m->key;
	a.value_size = m->value;
	a.max_entries = m->max;
	a.map_flags = m->flags;
	if (m->inner >= 0) a.inner_map_fd = maps[m->inner].fd;
	return (int)sys_bpf(BPF_MAP_CREATE, &a);
}

int main(int argc, char **argv) {
	const char *insns_path = NULL, *pin = NULL, *data_path = NULL, *ctx_path = NULL;
	uint32_t type = BPF_PROG_TYPE_SOCKET_FILTER, attach = 0, flags = 0, log_level = 1, repeat = 0;
	uint32_t data_out_size = 0;
	static char inits[MAX_MAPS * 4][2048];
	int ninits = 0;

	for (int k = 1; k < argc; k++) {
		const char *a = argv[k];
		const char *v = k + 1 < argc ? argv[k + 1] : NULL;
		if (!v) die(2, "option needs a value");
		k++;
		if (!strcmp(a, "--insns")) insns_path = v;
		else if (!strcmp(a, "--type")) type = strtoul(v, NULL, 0);
		else if (!strcmp(a, "--attach-type")) attach = strtoul(v, NULL, 0);
		else if (!strcmp(a, "--flags")) flags = strtoul(v, NULL, 0);
		else if (!strcmp(a, "--log-level")) log_level = strtoul(v, NULL, 0);
		else if (!strcmp(a, "--pin")) pin = v;
		else if (!strcmp(a, "--data")) data_path = v;
		else if (!strcmp(a, "--ctx")) ctx_path = v;
		else if (!strcmp(a, "--repeat")) repeat = strtoul(v, NULL, 0);
		else if (!strcmp(a, "--data-out-size")) data_out_size = strtoul(v, NULL, 0);
		else if (!strcmp(a, "--map")) {
			if (nmaps == MAX_MAPS) die(2, "too many maps");
			struct map_spec *m = &maps[nmaps++];
			m->inner = -1;
			if (sscanf(v, "%u,%u,%u,%u,%u,%d", &m->type, &m->key, &m->value, &m->max, &m->flags, &m->inner) < 5)
				die(2, "--map wants TYPE,KEY,VALUE,MAX,FLAGS[,INNER]");
		} else if (!strcmp(a, "--map-init")) {
			if (ninits == MAX_MAPS * 4 || strlen(v) >= sizeof(inits[0])) die(2, "too many or too long --map-init");
			strcpy(inits[ninits++], v);
		} else if (!strcmp(a, "--fixup")) {
			if (nfixups == MAX_FIXUPS) die(2, "too many fixups");
			if (sscanf(v, "%d,%d", &fixups[nfixups][0], &fixups[nfixups][1]) != 2) die(2, "--fixup wants SLOT,MAP");
			nfixups++;
		} else die(2, "unknown option");
	}
	if (!insns_path) die(2, "--insns is required");

	size_t hex_len, len;
	char *hex = (char *)read_file(insns_path, &hex_len);
	struct bpf_insn *insns = (struct bpf_insn *)from_hex(hex, hex_len, &len);
	if (len % 8 || len == 0) die(2, "program is not a whole number of 8-byte instructions");
	size_t cnt = len / 8;

	for (int k = 0; k < nmaps; k++) {
		maps[k].fd = create_map(&maps[k]);
		if (maps[k].fd < 0) {
			printf("{\"accepted\": false, \"map_create_errno\": %d, \"map\": %d}\n", errno, k);
			return 3;
		}
	}
	for (int k = 0; k < ninits; k++) {
		int m;
		char key_hex[1024], val_hex[1024];
		if (sscanf(inits[k], "%d,%1023[0-9a-fA-F],%1023[0-9a-fA-F]", &m, key_hex, val_hex) != 3 || m < 0 || m >= nmaps) die(2, "--map-init wants MAP,KEYHEX,VALUEHEX");
		size_t kl, vl;
		unsigned char *key = from_hex(key_hex, strlen(key_hex), &kl);
		unsigned char *val = from_hex(val_hex, strlen(val_hex), &vl);
		union bpf_attr a;
		memset(&a, 0, sizeof(a));
		a.map_fd = maps[m].fd;
		a.key = (uint64_t)(uintptr_t)key;
		a.value = (uint64_t)(uintptr_t)val;
		if (sys_bpf(BPF_MAP_UPDATE_ELEM, &a) < 0) die(3, "map init failed");
	}
	for (int k = 0; k < nfixups; k++) {
		int slot = fixups[k][0], m = fixups[k][1];
		if (slot < 0 || (size_t)slot >= cnt || m < 0 || m >= nmaps) die(2, "fixup out of range");
		insns[slot].imm = maps[m].fd;
		/* map[idx:N] forms name the map by index; the kernel gets its fd. */
		if (insns[slot].src_reg == 0 || insns[slot].src_reg == BPF_PSEUDO_MAP_IDX) insns[slot].src_reg = BPF_PSEUDO_MAP_FD;
		else if (insns[slot].src_reg == BPF_PSEUDO_MAP_IDX_VALUE) insns[slot].src_reg = BPF_PSEUDO_MAP_VALUE;
	}

	char *log = calloc(1, LOG_SIZE);
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.prog_type = type;
	a.insn_cnt = (uint32_t)cnt;
	a.insns = (uint64_t)(uintptr_t)insns;
	a.license = (uint64_t)(uintptr_t)"GPL";
	a.log_level = log_level;
	a.log_size = log_level ? LOG_SIZE : 0;
	a.log_buf = log_level ? (uint64_t)(uintptr_t)log : 0;
	a.prog_flags = flags;
	a.expected_attach_type = attach;
	strcpy(a.prog_name, "kload");
	int fd = (int)sys_bpf(BPF_PROG_LOAD, &a);
	int load_errno = fd < 0 ? errno : 0;

	printf("{\"accepted\": %s, \"errno\": %d, \"log\": ", fd >= 0 ? "true" : "false", load_errno);
	print_json_string(log, strlen(log));
	int status = fd >= 0 ? 0 : 1;

	if (fd >= 0 && pin) {
		union bpf_attr p;
		memset(&p, 0, sizeof(p));
		p.pathname = (uint64_t)(uintptr_t)pin;
		p.bpf_fd = fd;
		printf(", \"pinned\": %s", sys_bpf(BPF_OBJ_PIN, &p) == 0 ? "true" : "false");
	}

	if (fd >= 0 && (data_path || ctx_path)) {
		size_t dlen = 0, clen = 0;
		unsigned char *data = data_path ? read_file(data_path, &dlen) : NULL;
		unsigned char *ctx = ctx_path ? read_file(ctx_path, &clen) : NULL;
		uint32_t out_size = data_out_size ? data_out_size : (uint32_t)dlen + 65536;
		unsigned char *data_out = data ? calloc(1, out_size) : NULL;
		unsigned char *ctx_out = ctx ? calloc(1, clen) : NULL;
		union bpf_attr t;
		memset(&t, 0, sizeof(t));
		t.test.prog_fd = fd;
		t.test.data_in = (uint64_t)(uintptr_t)data;
		t.test.data_size_in = (uint32_t)dlen;
		t.test.data_out = (uint64_t)(uintptr_t)data_out;
		t.test.data_size_out = data ? out_size : 0;
		t.test.ctx_in = (uint64_t)(uintptr_t)ctx;
		t.test.ctx_size_in = (uint32_t)clen;
		t.test.ctx_out = (uint64_t)(uintptr_t)ctx_out;
		t.test.ctx_size_out = (uint32_t)clen;
		t.test.repeat = repeat;
		long r = sys_bpf(BPF_PROG_TEST_RUN, &t);
		if (r < 0) {
			printf(", \"run_errno\": %d", errno);
			status = 3;
		} else {
			printf(", \"retval\": %u, \"duration_ns\": %u, \"data_out\": ", t.test.retval, t.test.duration);
			print_hex(data_out ? data_out : (unsigned char *)"", data ? t.test.data_size_out : 0);
			if (ctx) { printf(", \"ctx_out\": "); print_hex(ctx_out, t.test.ctx_size_out); }
		}
		printf(", \"maps\": [");
		for (int k = 0; k < nmaps; k++) {
			printf("%s[", k ? ", " : "");
			unsigned char key[512], next[512], *val = malloc(maps[k].value * 256 + 8);
			int first = 1, n = 0;
			union bpf_attr g;
			for (;;) {
				memset(&g, 0, sizeof(g));
				g.map_fd = maps[k].fd;
				g.key = first ? 0 : (uint64_t)(uintptr_t)key;
				g.next_key = (uint64_t)(uintptr_t)next;
				if (sys_bpf(BPF_MAP_GET_NEXT_KEY, &g) < 0) break;
				memcpy(key, next, maps[k].key);
				first = 0;
				memset(&g, 0, sizeof(g));
				g.map_fd = maps[k].fd;
				g.key = (uint64_t)(uintptr_t)key;
				g.value = (uint64_t)(uintptr_t)val;
				if (sys_bpf(BPF_MAP_LOOKUP_ELEM, &g) < 0) continue;
				printf("%s[", n++ ? ", " : "");
				print_hex(key, maps[k].key);
				printf(", ");
				print_hex(val, maps[k].value);
				printf("]");
				if (n >= 4096) break;
			}
			printf("]");
			free(val);
		}
		printf("]");
	}
	printf("}\n");
	return status;
}
