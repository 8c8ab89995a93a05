/**
 * Splits shell source into words and operators. Quotes and `$...` expansions are kept inside
 * words as parts, because expansion happens when the command runs, not when it is parsed.
 */
import type { Word, WordPart } from './ast.js';

export type Token =
  | { kind: 'word'; word: Word; raw: string }
  | { kind: 'op'; op: string }
  | { kind: 'newline' }
  | { kind: 'eof' };

export class ShellSyntaxError extends Error {}

const OPERATORS = ['&&', '||', '>>', '>&', ';;', ';', '|', '&', '(', ')', '<', '>'];
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '\\' && src[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '\n') {
      tokens.push({ kind: 'newline' });
      i++;
      continue;
    }
    // `2>` / `2>&1`: a digit directly before a redirection belongs to it.
    if (/[0-9]/.test(c) && (src[i + 1] === '>' || src[i + 1] === '<')) {
      const op = src.startsWith('>&', i + 1) ? '>&' : src.startsWith('>>', i + 1) ? '>>' : src[i + 1]!;
      tokens.push({ kind: 'op', op: c + op });
      i += 1 + op.length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', op });
      i += op.length;
      continue;
    }
    const [word, raw, next] = readWord(src, i);
    tokens.push({ kind: 'word', word, raw });
    i = next;
  }
  tokens.push({ kind: 'eof' });
  return tokens;
}

function isWordEnd(c: string): boolean {
  return ' \t\n;&|()<>'.includes(c);
}

function readWord(src: string, start: number): [Word, string, number] {
  const parts: WordPart[] = [];
  let i = start;
  const lit = (text: string, quoted: boolean) => {
    const last = parts[parts.length - 1];
    if (last?.kind === 'lit' && last.quoted === quoted) last.text += text;
    else parts.push({ kind: 'lit', text, quoted });
  };
  while (i < src.length && !isWordEnd(src[i]!)) {
    const c = src[i]!;
    if (c === "'") {
      const end = src.indexOf("'", i + 1);
      if (end < 0) throw new ShellSyntaxError('unterminated quoted string');
      lit(src.slice(i + 1, end), true);
      i = end + 1;
    } else if (c === '"') {
      i = readDoubleQuoted(src, i + 1, parts, lit);
    } else if (c === '\\') {
      lit(src[i + 1] ?? '', true);
      i += 2;
    } else if (c === '$') {
      i = readDollar(src, i, false, parts, lit);
    } else {
      lit(c, false);
      i++;
    }
  }
  return [parts, src.slice(start, i), i];
}

function readDoubleQuoted(
  src: string,
  start: number,
  parts: WordPart[],
  lit: (text: string, quoted: boolean) => void,
): number {
  let i = start;
  lit('', true); // "" is an empty word, not no word
  while (i < src.length && src[i] !== '"') {
    const c = src[i]!;
    if (c === '\\' && '$`"\\\n'.includes(src[i + 1] ?? '')) {
      lit(src[i + 1]!, true);
      i += 2;
    } else if (c === '$') {
      i = readDollar(src, i, true, parts, lit);
    } else {
      lit(c, true);
      i++;
    }
  }
  if (src[i] !== '"') throw new ShellSyntaxError('unterminated quoted string');
  return i + 1;
}

function readDollar(
  src: string,
  start: number,
  quoted: boolean,
  parts: WordPart[],
  lit: (text: string, quoted: boolean) => void,
): number {
  const rest = src.slice(start + 1);
  if (rest.startsWith('(')) {
    const end = matchingParen(src, start + 1);
    parts.push({ kind: 'subst', script: src.slice(start + 2, end), quoted });
    return end + 1;
  }
  if (rest.startsWith('{')) {
    const end = src.indexOf('}', start);
    if (end < 0) throw new ShellSyntaxError('missing }');
    parts.push({ kind: 'var', name: src.slice(start + 2, end), quoted });
    return end + 1;
  }
  const special = rest[0];
  if (special !== undefined && '?$#!0123456789'.includes(special)) {
    parts.push({ kind: 'var', name: special, quoted });
    return start + 2;
  }
  const name = NAME.exec(rest)?.[0];
  if (!name) {
    lit('$', quoted);
    return start + 1;
  }
  parts.push({ kind: 'var', name, quoted });
  return start + 1 + name.length;
}

function matchingParen(src: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < src.length; i++) {
    const c = src[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  throw new ShellSyntaxError('unterminated $(');
}
