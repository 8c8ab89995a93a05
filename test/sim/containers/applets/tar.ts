/**
 * busybox `tar` (archival/tar.c) and `test`/`[`, enough for `kubectl cp`, which runs
 * `tar cf - <path>` in the container to copy out and `tar -xmf - [-C <dir>]` with the archive
 * on stdin to copy in, after `test -d <dest>` (staging/src/k8s.io/kubectl/pkg/cmd/cp/cp.go).
 * Archives are ustar (512-byte headers, octal fields, checksum); like busybox, create strips a
 * leading `/` from member names and says so on stderr. Files are the container's emulated files.
 */
import type { Program } from '../types.js';

const BLOCK = 512;

function header(name: string, size: number, type: '0' | '5', mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  const put = (value: string, offset: number, length: number) => h.write(value, offset, length, 'latin1');
  const octal = (n: number, length: number) => n.toString(8).padStart(length - 1, '0');
  let prefix = '';
  let short = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    prefix = name.slice(0, cut);
    short = name.slice(cut + 1);
  }
  put(short, 0, 100);
  put(octal(type === '5' ? 0o755 : 0o644, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(size, 12), 124, 12);
  put(octal(mtime, 12), 136, 12);
  put('        ', 148, 8);
  put(type, 156, 1);
  put('ustar', 257, 6);
  put('00', 263, 2);
  put('root', 265, 32);
  put('root', 297, 32);
  put(prefix, 345, 155);
  let sum = 0;
  for (const byte of h) sum += byte;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return h;
}

const pad = (n: number) => Buffer.alloc((BLOCK - (n % BLOCK)) % BLOCK, 0);

function readField(block: Buffer, offset: number, length: number): string {
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? length : end).toString('latin1');
}

interface Entry {
  name: string;
  type: string;
  data: Buffer;
}

function parseArchive(archive: Buffer): Entry[] | undefined {
  const entries: Entry[] = [];
  let pos = 0;
  while (pos + BLOCK <= archive.length) {
    const block = archive.subarray(pos, pos + BLOCK);
    if (block.every((b) => b === 0)) break;
    const magic = readField(block, 257, 6);
    if (!magic.startsWith('ustar')) return undefined;
    const prefix = readField(block, 345, 155);
    const name = (prefix ? `${prefix}/` : '') + readField(block, 0, 100);
    const size = Number.parseInt(readField(block, 124, 12).trim() || '0', 8);
    const type = readField(block, 156, 1) || '0';
    pos += BLOCK;
    entries.push({ name, type, data: archive.subarray(pos, pos + size) });
    pos += size + pad(size).length;
  }
  return entries;
}

/** Splits `cf`, `-xmf`, `-C dir` into flags, the archive file and the operands. */
function parseArgs(args: string[]): { flags: Set<string>; file?: string; dir?: string; operands: string[] } {
  const flags = new Set<string>();
  const operands: string[] = [];
  let file: string | undefined;
  let dir: string | undefined;
  const rest = [...args];
  let first = true;
  while (rest.length > 0) {
    const arg = rest.shift()!;
    if (arg === '-C') {
      dir = rest.shift();
    } else if ((arg.startsWith('-') && arg.length > 1) || (first && /^[cxtvfmzpO]+$/.test(arg))) {
      for (const ch of arg.replace(/^-/, '')) {
        if (ch === 'f') file = rest.shift();
        else flags.add(ch);
      }
    } else {
      operands.push(arg);
    }
    first = false;
  }
  return { flags, file, dir, operands };
}

const resolve = (cwd: string, path: string) => (path.startsWith('/') ? path : `${cwd.replace(/\/$/, '')}/${path}`);

export const tar: Program = async ({ argv, ctx, io }) => {
  const { flags, file, dir, operands } = parseArgs(argv.slice(1));
  if (file !== undefined && file !== '-') {
    io.stderr(`tar: can't open '${file}': Read-only file system\n`);
    return 1;
  }
  const cwd = dir ?? '/';
  if (flags.has('c')) {
    const chunks: Buffer[] = [];
    let warned = false;
    for (const operand of operands) {
      const path = resolve(cwd, operand).replace(/\/+$/, '');
      const under = [...ctx.files.keys()].filter((f) => f === path || f.startsWith(`${path}/`)).sort();
      if (under.length === 0) {
        io.stderr(`tar: ${operand}: No such file or directory\n`);
        return 1;
      }
      const member = (full: string) => {
        let name = operand.startsWith('/') ? full : full.slice(cwd.replace(/\/$/, '').length + 1);
        if (name.startsWith('/')) {
          name = name.replace(/^\/+/, '');
          if (!warned) io.stderr("tar: removing leading '/' from member names\n");
          warned = true;
        }
        return name;
      };
      const mtime = Math.floor(Date.now() / 1000);
      if (!ctx.files.has(path)) chunks.push(header(`${member(path)}/`, 0, '5', mtime));
      for (const f of under) {
        const data = Buffer.from(ctx.files.get(f) ?? '');
        chunks.push(header(member(f), data.length, '0', mtime), data, pad(data.length));
        if (flags.has('v')) io.stderr(`${member(f)}\n`);
      }
    }
    chunks.push(Buffer.alloc(BLOCK * 2, 0));
    io.stdout(Buffer.concat(chunks));
    return 0;
  }
  if (flags.has('x') || flags.has('t')) {
    const archive = await io.readStdin();
    const entries = parseArchive(Buffer.from(archive));
    if (!entries) {
      io.stderr('tar: invalid tar magic\n');
      return 1;
    }
    for (const e of entries) {
      if (flags.has('t') || flags.has('v')) (flags.has('t') ? io.stdout : io.stderr)(`${e.name}\n`);
      if (flags.has('x') && e.type === '0') ctx.files.set(resolve(cwd, e.name), e.data.toString());
    }
    return 0;
  }
  io.stderr(
    'tar: need to specify one of -c, -t, -x\nBusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: tar c|x|t [-ZzJjahmvokO] [-f TARFILE] [-C DIR] [-T FILE] [-X FILE] [LONGOPT]... [FILE]...\n',
  );
  return 1;
};

/** `test -d PATH`, `test -f PATH`, `test -e PATH` over the emulated files (directories are implicit). */
export const test: Program = async ({ argv, ctx }) => {
  const args = argv[0] === '[' ? argv.slice(1, -1) : argv.slice(1);
  const [op, path = ''] = args;
  const clean = path.replace(/\/+$/, '') || '/';
  const isFile = ctx.files.has(clean);
  const isDir =
    clean === '/' ||
    [...ctx.files.keys()].some((f) => f.startsWith(`${clean === '/' ? '' : clean}/`)) ||
    ['/tmp', '/root', '/etc', '/var', '/usr', '/bin', '/home'].includes(clean);
  if (op === '-d') return isDir ? 0 : 1;
  if (op === '-f') return isFile ? 0 : 1;
  if (op === '-e') return isDir || isFile ? 0 : 1;
  if (args.length === 1) return op ? 0 : 1;
  return 1;
};
