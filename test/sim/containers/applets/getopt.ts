/**
 * POSIX getopt over argv (without argv[0]), as busybox applets parse options: clustered flags
 * (`-qO-`), values attached or separate (`-T2`, `-T 2`), `--` ends options. Long options
 * (`--timeout=2`) are mapped to short ones by `longs`.
 */
export interface ParsedOptions {
  flags: Set<string>;
  values: Map<string, string>;
  operands: string[];
  /** The first option we did not know, for the applet's usage error. */
  unknown?: string;
}

export function getopt(args: string[], spec: string, longs: Record<string, string> = {}): ParsedOptions {
  const takesValue = (c: string) => spec[spec.indexOf(c) + 1] === ':';
  const result: ParsedOptions = { flags: new Set(), values: new Map(), operands: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      result.operands.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const [name = '', value] = arg.slice(2).split(/=(.*)/s);
      const short = longs[name];
      if (short === undefined) result.unknown ??= arg;
      else if (takesValue(short)) result.values.set(short, value ?? args[++i] ?? '');
      else result.flags.add(short);
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      result.operands.push(arg);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const c = arg[j]!;
      if (!spec.includes(c)) {
        result.unknown ??= `-${c}`;
        continue;
      }
      if (takesValue(c)) {
        const rest = arg.slice(j + 1);
        result.values.set(c, rest !== '' ? rest : (args[++i] ?? ''));
        break;
      }
      result.flags.add(c);
    }
  }
  return result;
}
