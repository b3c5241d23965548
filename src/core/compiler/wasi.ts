/**
 * A small WASI preview 1 host over an in-memory file system: what clang.wasm needs to
 * compile, in Node and in a browser worker, with nothing else underneath.
 *
 * Why our own (wasm/README.md has the measurements): `@wasmer/wasi` 1.2.2 inserts where it
 * should overwrite (LLVM patches the ELF header in place, so objects come out corrupt
 * unless written to stdout), its `init()` needs Node's `Buffer` in a browser, it costs
 * 178 KB gzipped plus ~115 ms to start, and its file system must be filled by copying
 * before the run; Node's `node:wasi` runs only in Node, on the real disk, and crashed the
 * process (SIGSEGV) on compiles of vmlinux.h at the default stack size.
 *
 * clang.wasm imports 25 functions of `wasi_snapshot_preview1` (args, environ, clock,
 * random, proc_exit, fd_* and path_* file calls); those and a few more are here, and any
 * other import a module names answers ENOSYS. Everything lives in a `MemoryFs`, a
 * tree of directories and growable files; the one preopened directory is `/` (fd 3).
 * stdout is a seekable in-memory file (so `-o -` gets real seek semantics), stderr a
 * pipe. A `HostLookup` may supply files the tree lacks, on demand (the CLI reads the
 * user's include directories from disk this way); they are copied in, never written back.
 * Every node has its own inode number: LLVM's FileManager tells files apart by (dev, ino).
 */

// ---------------------------------------------------------------------------------------
// WASI constants (wasi_snapshot_preview1 witx)

const ERRNO = {
  SUCCESS: 0, BADF: 8, EXIST: 20, FAULT: 21, FBIG: 22, INVAL: 28, IO: 29, ISDIR: 31, NAMETOOLONG: 37,
  NOENT: 44, NOSPC: 51, NOSYS: 52, NOTDIR: 54, NOTEMPTY: 55, NOTSUP: 58, PERM: 63, SPIPE: 70,
} as const;

const FILETYPE = { UNKNOWN: 0, CHARACTER_DEVICE: 2, DIRECTORY: 3, REGULAR_FILE: 4 } as const;
const OFLAGS = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 } as const;
const FDFLAGS_APPEND = 1;
const RIGHT_FD_READ = 1n << 1n;
const RIGHT_FD_WRITE = 1n << 6n;
/** All 29 rights of preview 1: wasi-libc derives a file's rights from its directory's. */
const ALL_RIGHTS = (1n << 29n) - 1n;
const WHENCE = { SET: 0, CUR: 1, END: 2 } as const;
const CLOCK = { REALTIME: 0, MONOTONIC: 1 } as const;

// ---------------------------------------------------------------------------------------
// The file system

export interface FileNode {
  kind: 'file';
  ino: number;
  /** Bytes 0..size of `data` are the content; the rest is room to grow. */
  data: Uint8Array;
  size: number;
}

export interface DirNode {
  kind: 'dir';
  ino: number;
  entries: Map<string, FsNode>;
}

export type FsNode = FileNode | DirNode;

/** A file or directory the host has at an absolute path, or undefined. */
export type HostLookup = (path: string) => { kind: 'file'; data: Uint8Array } | { kind: 'dir' } | undefined;

export interface MemoryFsOptions {
  /** Supplies paths the tree does not have (read on demand, copied in). */
  host?: HostLookup;
  /** Absolute directories the host lookup is never asked about (ours: /usr/include ...). */
  hostExcludes?: readonly string[];
  /** Total bytes the host may supply (a runaway include of a huge tree stops here). */
  hostByteLimit?: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Splits an absolute or relative path into its components, resolving `.` and `..`. */
function components(path: string): string[] {
  const out: string[] = [];
  for (const c of path.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') out.pop();
    else out.push(c);
  }
  return out;
}

export class FsError extends Error {
  constructor(readonly errno: number, message: string) {
    super(message);
    this.name = 'FsError';
  }
}

export class MemoryFs {
  readonly root: DirNode;
  private nextIno = 1;
  private readonly host?: HostLookup;
  private readonly hostExcludes: string[];
  private readonly hostMisses = new Set<string>();
  private hostBytes = 0;
  private readonly hostByteLimit: number;

  constructor(opts: MemoryFsOptions = {}) {
    this.root = this.newDir();
    this.host = opts.host;
    this.hostExcludes = (opts.hostExcludes ?? []).map((p) => `/${components(p).join('/')}`);
    this.hostByteLimit = opts.hostByteLimit ?? 256 * 1024 * 1024;
  }

  newDir(): DirNode {
    return { kind: 'dir', ino: this.nextIno++, entries: new Map() };
  }

  newFile(data: Uint8Array = new Uint8Array(0)): FileNode {
    return { kind: 'file', ino: this.nextIno++, data, size: data.length };
  }

  /** Creates a directory and its parents. */
  mkdirp(path: string): DirNode {
    let dir = this.root;
    for (const c of components(path)) {
      let next = dir.entries.get(c);
      if (!next) dir.entries.set(c, (next = this.newDir()));
      if (next.kind !== 'dir') throw new FsError(ERRNO.NOTDIR, `${path}: ${c} is a file`);
      dir = next;
    }
    return dir;
  }

  /** Writes a file (text as UTF-8), creating its directories. */
  writeFile(path: string, content: Uint8Array | string): void {
    const cs = components(path);
    const name = cs.pop();
    if (!name) throw new FsError(ERRNO.INVAL, `${path}: not a file path`);
    const dir = this.mkdirp(cs.join('/'));
    const data = typeof content === 'string' ? encoder.encode(content) : content;
    dir.entries.set(name, this.newFile(data));
  }

  /** A file's content (a copy), or undefined. */
  readFile(path: string): Uint8Array | undefined {
    const n = this.resolve(path);
    return n?.kind === 'file' ? n.data.slice(0, n.size) : undefined;
  }

  /** The node at an absolute path (`.` and `..` resolved by name: no symlinks), or undefined. */
  resolve(path: string): FsNode | undefined {
    let node: FsNode = this.root;
    let abs = '';
    for (const c of components(path)) {
      if (node.kind !== 'dir') return undefined;
      abs += `/${c}`;
      const next: FsNode | undefined = node.entries.get(c) ?? this.fromHost(node, c, abs);
      if (!next) return undefined;
      node = next;
    }
    return node;
  }

  /** Asks the host for a path the tree lacks; a miss is remembered. */
  private fromHost(dir: DirNode, name: string, abs: string): FsNode | undefined {
    if (!this.host || this.hostMisses.has(abs)) return undefined;
    if (this.hostExcludes.some((x) => abs === x || abs.startsWith(`${x}/`))) return undefined;
    const got = this.host(abs);
    if (!got) {
      this.hostMisses.add(abs);
      return undefined;
    }
    let node: FsNode;
    if (got.kind === 'dir') node = this.newDir();
    else {
      this.hostBytes += got.data.length;
      if (this.hostBytes > this.hostByteLimit) throw new FsError(ERRNO.FBIG, `more than ${this.hostByteLimit} bytes read from the host's files`);
      node = this.newFile(got.data);
    }
    dir.entries.set(name, node);
    return node;
  }
}

// ---------------------------------------------------------------------------------------
// Running a command

/** `proc_exit`: unwinds the wasm stack to `runWasi`. */
export class WasiExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = 'WasiExit';
  }
}

/** The run passed its deadline (checked at each system call). */
export class WasiTimeout extends Error {
  constructor(ms: number) {
    super(`did not finish within ${ms} ms`);
    this.name = 'WasiTimeout';
  }
}

export interface WasiOptions {
  /** argv, argv[0] included. */
  args: string[];
  env?: Record<string, string>;
  fs: MemoryFs;
  /** Largest stdout (bytes) before writes fail with ENOSPC; default 256 MiB. */
  stdoutLimit?: number;
  /** Largest stderr; default 16 MiB. */
  stderrLimit?: number;
  /** Stop with `WasiTimeout` at the first system call after this many ms. */
  timeoutMs?: number;
}

export interface WasiResult {
  exitCode: number;
  stdout: Uint8Array;
  stderr: Uint8Array;
}

interface OpenFd {
  node: FsNode;
  /** Absolute path of the node, for relative lookups under a directory fd. */
  path: string;
  pos: number;
  read: boolean;
  write: boolean;
  append: boolean;
  /** A pipe: no seeking (stdin, stderr). */
  pipe?: boolean;
  /** Size limit for writes (stdout, stderr). */
  limit?: number;
  /** For directories: the entries as listed when reading started. */
  listing?: [string, FsNode][];
}

/** Instantiates `module` with a fresh WASI environment and runs its `_start`. */
export async function runWasi(module: WebAssembly.Module, opts: WasiOptions): Promise<WasiResult> {
  const host = new WasiHost(opts);
  const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: host.imports(WebAssembly.Module.imports(module)) });
  return host.start(instance);
}

class WasiHost {
  private memory: WebAssembly.Memory | null = null;
  private readonly fds = new Map<number, OpenFd>();
  private nextFd = 4;
  private readonly fs: MemoryFs;
  private readonly stdout: FileNode;
  private readonly stderr: FileNode;
  private readonly started = Date.now();
  private readonly monoStart = typeof performance !== 'undefined' ? performance.now() : 0;
  private readonly deadline: number;

  constructor(private readonly opts: WasiOptions) {
    this.fs = opts.fs;
    this.stdout = this.fs.newFile();
    this.stderr = this.fs.newFile();
    const stdio = (node: FileNode, write: boolean, pipe: boolean, limit?: number): OpenFd =>
      ({ node, path: '', pos: 0, read: !write, write, append: false, pipe, limit });
    this.fds.set(0, stdio(this.fs.newFile(), false, true));
    this.fds.set(1, stdio(this.stdout, true, false, opts.stdoutLimit ?? 256 * 1024 * 1024));
    this.fds.set(2, stdio(this.stderr, true, true, opts.stderrLimit ?? 16 * 1024 * 1024));
    this.fds.set(3, { node: this.fs.root, path: '/', pos: 0, read: true, write: false, append: false });
    this.deadline = opts.timeoutMs !== undefined ? this.started + opts.timeoutMs : Infinity;
  }

  start(instance: WebAssembly.Instance): WasiResult {
    const memory = instance.exports.memory;
    const start = instance.exports._start;
    if (!(memory instanceof WebAssembly.Memory) || typeof start !== 'function') throw new Error('not a WASI command module (no memory or _start export)');
    this.memory = memory;
    let exitCode = 0;
    try {
      (start as () => void)();
    } catch (e) {
      if (!(e instanceof WasiExit)) throw e;
      exitCode = e.code;
    } finally {
      this.memory = null; // let the instance's memory go with it
    }
    return { exitCode, stdout: this.stdout.data.slice(0, this.stdout.size), stderr: this.stderr.data.slice(0, this.stderr.size) };
  }

  /** The import object: our functions for what we implement, ENOSYS for the rest. */
  imports(wanted: WebAssembly.ModuleImportDescriptor[]): Record<string, (...a: never[]) => unknown> {
    const table = this.syscalls();
    const out: Record<string, (...a: never[]) => unknown> = {};
    for (const imp of wanted) {
      if (imp.module !== 'wasi_snapshot_preview1' || imp.kind !== 'function') continue;
      const f = table[imp.name];
      out[imp.name] = f ? this.guard(imp.name, f) : () => ERRNO.NOSYS;
    }
    return out;
  }

  /** Bad pointers give EFAULT instead of a host exception; the deadline is checked. */
  private guard(name: string, f: (...a: never[]) => unknown): (...a: never[]) => unknown {
    return (...a: never[]) => {
      if (this.deadline !== Infinity && Date.now() >= this.deadline) throw new WasiTimeout(this.opts.timeoutMs!);
      try {
        return f(...a);
      } catch (e) {
        if (e instanceof RangeError) return ERRNO.FAULT;
        if (e instanceof FsError) return e.errno;
        if (e instanceof WasiExit || e instanceof WasiTimeout) throw e;
        throw new Error(`WASI ${name}: ${(e as Error).message}`);
      }
    };
  }

  private view(): DataView {
    return new DataView(this.memory!.buffer);
  }

  private bytes(ptr: number, len: number): Uint8Array {
    return new Uint8Array(this.memory!.buffer, ptr, len);
  }

  private string(ptr: number, len: number): string {
    return decoder.decode(this.bytes(ptr, len));
  }

  /** Writes NUL-terminated strings and their pointers (args_get, environ_get). */
  private putStrings(list: string[], ptrs: number, buf: number): number {
    const v = this.view();
    let at = buf;
    list.forEach((s, k) => {
      const b = encoder.encode(`${s}\0`);
      v.setUint32(ptrs + 4 * k, at, true);
      this.bytes(at, b.length).set(b);
      at += b.length;
    });
    return ERRNO.SUCCESS;
  }

  private sizes(list: string[], countPtr: number, sizePtr: number): number {
    const v = this.view();
    v.setUint32(countPtr, list.length, true);
    v.setUint32(sizePtr, list.reduce((n, s) => n + encoder.encode(s).length + 1, 0), true);
    return ERRNO.SUCCESS;
  }

  private env(): string[] {
    return Object.entries(this.opts.env ?? {}).map(([k, v]) => `${k}=${v}`);
  }

  private fd(fd: number): OpenFd {
    const f = this.fds.get(fd);
    if (!f) throw new FsError(ERRNO.BADF, `bad fd ${fd}`);
    return f;
  }

  private dirFd(fd: number): OpenFd & { node: DirNode } {
    const f = this.fd(fd);
    if (f.node.kind !== 'dir') throw new FsError(ERRNO.NOTDIR, 'not a directory');
    return f as OpenFd & { node: DirNode };
  }

  /** `path` under directory fd `fd`, as an absolute path. */
  private absolute(fd: number, path: string): string {
    const base = this.dirFd(fd);
    return `/${components(path.startsWith('/') ? path : `${base.path}/${path}`).join('/')}`;
  }

  /** The parent directory and last component of `path` under directory fd `fd`. */
  private parentOf(fd: number, path: string): { dir: DirNode; name: string; abs: string } {
    const abs = this.absolute(fd, path);
    const cut = abs.lastIndexOf('/');
    const name = abs.slice(cut + 1);
    if (name === '') throw new FsError(ERRNO.INVAL, 'no file name');
    const dir = this.fs.resolve(abs.slice(0, cut));
    if (!dir) throw new FsError(ERRNO.NOENT, 'no such directory');
    if (dir.kind !== 'dir') throw new FsError(ERRNO.NOTDIR, 'not a directory');
    this.fs.resolve(abs); // the entry itself may come from the host
    return { dir, name, abs };
  }

  private node(fd: number, path: string): FsNode {
    const node = this.fs.resolve(this.absolute(fd, path));
    if (!node) throw new FsError(ERRNO.NOENT, 'no such file');
    return node;
  }

  private filestat(ptr: number, node: FsNode, filetype?: number): number {
    const v = this.view();
    v.setBigUint64(ptr, 1n, true); // dev
    v.setBigUint64(ptr + 8, BigInt(node.ino), true);
    v.setUint8(ptr + 16, filetype ?? (node.kind === 'dir' ? FILETYPE.DIRECTORY : FILETYPE.REGULAR_FILE));
    v.setBigUint64(ptr + 24, 1n, true); // nlink
    v.setBigUint64(ptr + 32, BigInt(node.kind === 'file' ? node.size : 4096), true);
    const t = BigInt(this.started) * 1_000_000n;
    v.setBigUint64(ptr + 40, t, true);
    v.setBigUint64(ptr + 48, t, true);
    v.setBigUint64(ptr + 56, t, true);
    return ERRNO.SUCCESS;
  }

  /** Copies between iovecs and a file at `pos`; returns bytes moved. */
  private transfer(iovs: number, count: number, file: FileNode, pos: number, write: boolean, limit?: number): number {
    const v = this.view();
    let moved = 0;
    for (let k = 0; k < count; k++) {
      const ptr = v.getUint32(iovs + 8 * k, true);
      const len = v.getUint32(iovs + 8 * k + 4, true);
      const at = pos + moved;
      if (write) {
        if (limit !== undefined && at + len > limit) throw new FsError(ERRNO.NOSPC, 'output too large');
        grow(file, at + len);
        file.data.set(this.bytes(ptr, len), at);
        if (at + len > file.size) file.size = at + len;
        moved += len;
      } else {
        const n = Math.max(0, Math.min(len, file.size - at));
        this.bytes(ptr, n).set(file.data.subarray(at, at + n));
        moved += n;
        if (n < len) break;
      }
    }
    return moved;
  }

  private syscalls(): Record<string, (...a: never[]) => unknown> {
    const calls: Record<string, (...a: any[]) => unknown> = {
      args_sizes_get: (countPtr: number, sizePtr: number) => this.sizes(this.opts.args, countPtr, sizePtr),
      args_get: (ptrs: number, buf: number) => this.putStrings(this.opts.args, ptrs, buf),
      environ_sizes_get: (countPtr: number, sizePtr: number) => this.sizes(this.env(), countPtr, sizePtr),
      environ_get: (ptrs: number, buf: number) => this.putStrings(this.env(), ptrs, buf),

      clock_time_get: (id: number, _precision: bigint, out: number) => {
        const ns = id === CLOCK.REALTIME
          ? BigInt(Date.now()) * 1_000_000n
          : BigInt(Math.round(((typeof performance !== 'undefined' ? performance.now() : Date.now()) - this.monoStart) * 1e6));
        this.view().setBigUint64(out, ns, true);
        return ERRNO.SUCCESS;
      },
      random_get: (buf: number, len: number) => {
        for (let at = 0; at < len; at += 65536) crypto.getRandomValues(this.bytes(buf + at, Math.min(65536, len - at)));
        return ERRNO.SUCCESS;
      },
      proc_exit: (code: number) => {
        throw new WasiExit(code);
      },

      fd_prestat_get: (fd: number, out: number) => {
        if (fd !== 3) return ERRNO.BADF;
        const v = this.view();
        v.setUint8(out, 0); // a directory
        v.setUint32(out + 4, 1, true); // "/"
        return ERRNO.SUCCESS;
      },
      fd_prestat_dir_name: (fd: number, ptr: number, len: number) => {
        if (fd !== 3) return ERRNO.BADF;
        if (len < 1) return ERRNO.NAMETOOLONG;
        this.bytes(ptr, 1)[0] = 0x2f;
        return ERRNO.SUCCESS;
      },
      fd_fdstat_get: (fd: number, out: number) => {
        const f = this.fd(fd);
        const v = this.view();
        // Pipes are neither terminals (isatty wants a character device without seek
        // rights) nor seekable; files and directories are what they are.
        const type = f.pipe ? FILETYPE.UNKNOWN : f.node.kind === 'dir' ? FILETYPE.DIRECTORY : FILETYPE.REGULAR_FILE;
        v.setUint8(out, type);
        v.setUint16(out + 2, f.append ? FDFLAGS_APPEND : 0, true);
        v.setBigUint64(out + 8, ALL_RIGHTS, true);
        v.setBigUint64(out + 16, ALL_RIGHTS, true);
        return ERRNO.SUCCESS;
      },
      fd_filestat_get: (fd: number, out: number) => {
        const f = this.fd(fd);
        return this.filestat(out, f.node, f.pipe ? FILETYPE.UNKNOWN : undefined);
      },
      fd_close: (fd: number) => {
        this.fd(fd);
        if (fd <= 3) return ERRNO.SUCCESS; // stdio and the preopen stay
        this.fds.delete(fd);
        return ERRNO.SUCCESS;
      },
      fd_read: (fd: number, iovs: number, count: number, out: number) => {
        const f = this.fd(fd);
        if (!f.read) return ERRNO.BADF;
        if (f.node.kind !== 'file') return ERRNO.ISDIR;
        const n = this.transfer(iovs, count, f.node, f.pos, false);
        f.pos += n;
        this.view().setUint32(out, n, true);
        return ERRNO.SUCCESS;
      },
      fd_pread: (fd: number, iovs: number, count: number, offset: bigint, out: number) => {
        const f = this.fd(fd);
        if (!f.read) return ERRNO.BADF;
        if (f.node.kind !== 'file') return ERRNO.ISDIR;
        if (f.pipe) return ERRNO.SPIPE;
        this.view().setUint32(out, this.transfer(iovs, count, f.node, Number(offset), false), true);
        return ERRNO.SUCCESS;
      },
      fd_write: (fd: number, iovs: number, count: number, out: number) => {
        const f = this.fd(fd);
        if (!f.write) return ERRNO.BADF;
        if (f.node.kind !== 'file') return ERRNO.ISDIR;
        const at = f.append || f.pipe ? f.node.size : f.pos;
        const n = this.transfer(iovs, count, f.node, at, true, f.limit);
        f.pos = at + n;
        this.view().setUint32(out, n, true);
        return ERRNO.SUCCESS;
      },
      fd_pwrite: (fd: number, iovs: number, count: number, offset: bigint, out: number) => {
        const f = this.fd(fd);
        if (!f.write) return ERRNO.BADF;
        if (f.node.kind !== 'file') return ERRNO.ISDIR;
        if (f.pipe) return ERRNO.SPIPE;
        this.view().setUint32(out, this.transfer(iovs, count, f.node, Number(offset), true, f.limit), true);
        return ERRNO.SUCCESS;
      },
      fd_tell: (fd: number, out: number) => {
        const f = this.fd(fd);
        if (f.pipe) return ERRNO.SPIPE;
        this.view().setBigUint64(out, BigInt(f.pos), true);
        return ERRNO.SUCCESS;
      },
      fd_sync: (fd: number) => (this.fd(fd), ERRNO.SUCCESS),
      fd_datasync: (fd: number) => (this.fd(fd), ERRNO.SUCCESS),
      fd_seek: (fd: number, offset: bigint, whence: number, out: number) => {
        const f = this.fd(fd);
        if (f.pipe) return ERRNO.SPIPE;
        if (f.node.kind !== 'file') return ERRNO.BADF;
        const base = whence === WHENCE.SET ? 0 : whence === WHENCE.CUR ? f.pos : whence === WHENCE.END ? f.node.size : NaN;
        const pos = base + Number(offset);
        if (!Number.isSafeInteger(pos) || pos < 0) return ERRNO.INVAL;
        f.pos = pos;
        this.view().setBigUint64(out, BigInt(pos), true);
        return ERRNO.SUCCESS;
      },
      fd_readdir: (fd: number, buf: number, len: number, cookie: bigint, out: number) => {
        const f = this.dirFd(fd);
        if (cookie === 0n || !f.listing) f.listing = [...f.node.entries];
        const v = this.view();
        let used = 0;
        for (let k = Number(cookie); k < f.listing.length && used < len; k++) {
          const [name, node] = f.listing[k];
          const nameBytes = encoder.encode(name);
          // The header and name, truncated at the buffer's end (the caller retries bigger).
          const entry = new Uint8Array(24 + nameBytes.length);
          const ev = new DataView(entry.buffer);
          ev.setBigUint64(0, BigInt(k + 1), true);
          ev.setBigUint64(8, BigInt(node.ino), true);
          ev.setUint32(16, nameBytes.length, true);
          ev.setUint8(20, node.kind === 'dir' ? FILETYPE.DIRECTORY : FILETYPE.REGULAR_FILE);
          entry.set(nameBytes, 24);
          const n = Math.min(entry.length, len - used);
          this.bytes(buf + used, n).set(entry.subarray(0, n));
          used += n;
        }
        v.setUint32(out, used, true);
        return ERRNO.SUCCESS;
      },

      path_open: (dirfd: number, _lookup: number, pathPtr: number, pathLen: number, oflags: number,
        rightsBase: bigint, _rightsInheriting: bigint, fdflags: number, out: number) => {
        const path = this.string(pathPtr, pathLen);
        const { dir, name, abs } = this.parentOf(dirfd, path);
        let node = dir.entries.get(name);
        if (node && oflags & OFLAGS.CREAT && oflags & OFLAGS.EXCL) return ERRNO.EXIST;
        if (!node) {
          if (!(oflags & OFLAGS.CREAT)) return ERRNO.NOENT;
          node = this.fs.newFile();
          dir.entries.set(name, node);
        }
        if (oflags & OFLAGS.DIRECTORY && node.kind !== 'dir') return ERRNO.NOTDIR;
        const write = (rightsBase & RIGHT_FD_WRITE) !== 0n;
        if (node.kind === 'dir' && write) return ERRNO.ISDIR;
        if (node.kind === 'file' && oflags & OFLAGS.TRUNC) node.size = 0;
        const fd = this.nextFd++;
        this.fds.set(fd, { node, path: abs, pos: 0, read: (rightsBase & RIGHT_FD_READ) !== 0n, write, append: (fdflags & FDFLAGS_APPEND) !== 0 });
        this.view().setUint32(out, fd, true);
        return ERRNO.SUCCESS;
      },
      path_filestat_get: (dirfd: number, _flags: number, pathPtr: number, pathLen: number, out: number) =>
        this.filestat(out, this.node(dirfd, this.string(pathPtr, pathLen))),
      path_create_directory: (dirfd: number, pathPtr: number, pathLen: number) => {
        const { dir, name } = this.parentOf(dirfd, this.string(pathPtr, pathLen));
        if (dir.entries.has(name)) return ERRNO.EXIST;
        dir.entries.set(name, this.fs.newDir());
        return ERRNO.SUCCESS;
      },
      path_remove_directory: (dirfd: number, pathPtr: number, pathLen: number) => {
        const { dir, name } = this.parentOf(dirfd, this.string(pathPtr, pathLen));
        const node = dir.entries.get(name);
        if (!node) return ERRNO.NOENT;
        if (node.kind !== 'dir') return ERRNO.NOTDIR;
        if (node.entries.size) return ERRNO.NOTEMPTY;
        dir.entries.delete(name);
        return ERRNO.SUCCESS;
      },
      path_unlink_file: (dirfd: number, pathPtr: number, pathLen: number) => {
        const { dir, name } = this.parentOf(dirfd, this.string(pathPtr, pathLen));
        const node = dir.entries.get(name);
        if (!node) return ERRNO.NOENT;
        if (node.kind === 'dir') return ERRNO.ISDIR;
        dir.entries.delete(name);
        return ERRNO.SUCCESS;
      },
      path_rename: (fromFd: number, fromPtr: number, fromLen: number, toFd: number, toPtr: number, toLen: number) => {
        const from = this.parentOf(fromFd, this.string(fromPtr, fromLen));
        const to = this.parentOf(toFd, this.string(toPtr, toLen));
        const node = from.dir.entries.get(from.name);
        if (!node) return ERRNO.NOENT;
        const old = to.dir.entries.get(to.name);
        if (old === node) return ERRNO.SUCCESS;
        if (old?.kind === 'dir' && (node.kind !== 'dir' || old.entries.size)) return node.kind !== 'dir' ? ERRNO.ISDIR : ERRNO.NOTEMPTY;
        if (old?.kind === 'file' && node.kind === 'dir') return ERRNO.NOTDIR;
        from.dir.entries.delete(from.name);
        to.dir.entries.set(to.name, node);
        return ERRNO.SUCCESS;
      },
      // No symbolic links here: an existing path is not one, a missing one does not exist.
      path_readlink: (dirfd: number, pathPtr: number, pathLen: number) => {
        this.node(dirfd, this.string(pathPtr, pathLen));
        return ERRNO.INVAL;
      },
      path_symlink: () => ERRNO.NOTSUP,
    };
    return calls as Record<string, (...a: never[]) => unknown>;
  }
}

/** Makes room for `size` bytes, doubling to keep appends cheap. */
function grow(file: FileNode, size: number): void {
  if (size <= file.data.length) return;
  const next = new Uint8Array(Math.max(size, file.data.length * 2, 4096));
  next.set(file.data.subarray(0, file.size));
  file.data = next;
}

/** For the runners' messages. */
export const WASI_ERRNO = ERRNO;
