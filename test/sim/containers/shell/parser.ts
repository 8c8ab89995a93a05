/** Recursive-descent parser for the sh subset: lists, && / ||, pipes, for/while/until/if, groups. */
import type { AndOr, Command, List, Pipeline, Redirect, Word } from './ast.js';
import { ShellSyntaxError, type Token, tokenize } from './lexer.js';

const LIST_END = new Set(['do', 'done', 'then', 'elif', 'else', 'fi', '}']);
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;

export function parseScript(src: string): List {
  const parser = new Parser(tokenize(src));
  const list = parser.list();
  parser.expectEof();
  return list;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos]!;
  }
  private next(): Token {
    return this.tokens[this.pos++]!;
  }
  private isOp(op: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.op === op;
  }
  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t.kind === 'word' && t.raw === word;
  }
  private skipNewlines(): void {
    while (this.peek().kind === 'newline') this.pos++;
  }
  private unexpected(): never {
    const t = this.peek();
    const text = t.kind === 'word' ? t.raw : t.kind === 'op' ? t.op : t.kind === 'newline' ? 'newline' : 'end of file';
    throw new ShellSyntaxError(`syntax error: unexpected "${text}"`);
  }
  private keyword(word: string): void {
    this.skipNewlines();
    if (!this.isKeyword(word)) this.unexpected();
    this.pos++;
  }

  expectEof(): void {
    this.skipNewlines();
    if (this.peek().kind !== 'eof') this.unexpected();
  }

  list(): List {
    const list: List = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.kind === 'eof' || (t.kind === 'op' && t.op === ')') || (t.kind === 'word' && LIST_END.has(t.raw))) break;
      list.push(this.andOr());
      if (this.isOp(';') || this.isOp('&') || this.peek().kind === 'newline') this.pos++;
      else break;
    }
    return list;
  }

  private andOr(): AndOr {
    const first = this.pipeline();
    const rest: AndOr['rest'] = [];
    while (this.isOp('&&') || this.isOp('||')) {
      const op = (this.next() as { op: '&&' | '||' }).op;
      this.skipNewlines();
      rest.push({ op, pipeline: this.pipeline() });
    }
    return { first, rest };
  }

  private pipeline(): Pipeline {
    let negated = false;
    if (this.isKeyword('!')) {
      negated = true;
      this.pos++;
    }
    const commands = [this.command()];
    while (this.isOp('|')) {
      this.pos++;
      this.skipNewlines();
      commands.push(this.command());
    }
    return { negated, commands };
  }

  private command(): Command {
    const t = this.peek();
    if (t.kind === 'op' && t.op === '(') {
      this.pos++;
      const body = this.list();
      if (!this.isOp(')')) this.unexpected();
      this.pos++;
      return { kind: 'group', body, subshell: true };
    }
    if (t.kind === 'word') {
      switch (t.raw) {
        case '{': {
          this.pos++;
          const body = this.list();
          this.keyword('}');
          return { kind: 'group', body, subshell: false };
        }
        case 'for':
          return this.forCommand();
        case 'while':
        case 'until':
          return this.loop(t.raw === 'until');
        case 'if':
          return this.ifCommand();
      }
    }
    return this.simple();
  }

  private forCommand(): Command {
    this.pos++;
    const name = this.next();
    if (name.kind !== 'word') this.unexpected();
    let items: Word[] | undefined;
    if (this.isKeyword('in')) {
      this.pos++;
      items = [];
      while (this.peek().kind === 'word') items.push((this.next() as { word: Word }).word);
    }
    if (this.isOp(';')) this.pos++;
    this.keyword('do');
    const body = this.list();
    this.keyword('done');
    return { kind: 'for', variable: name.raw, items, body };
  }

  private loop(until: boolean): Command {
    this.pos++;
    const condition = this.list();
    this.keyword('do');
    const body = this.list();
    this.keyword('done');
    return { kind: 'loop', until, condition, body };
  }

  private ifCommand(): Command {
    this.pos++;
    const branches: Array<{ condition: List; body: List }> = [];
    let otherwise: List | undefined;
    for (;;) {
      const condition = this.list();
      this.keyword('then');
      branches.push({ condition, body: this.list() });
      this.skipNewlines();
      if (this.isKeyword('elif')) {
        this.pos++;
        continue;
      }
      if (this.isKeyword('else')) {
        this.pos++;
        otherwise = this.list();
      }
      this.keyword('fi');
      return { kind: 'if', branches, otherwise };
    }
  }

  private simple(): Command {
    const assigns: Array<{ name: string; value: Word }> = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'op' && /^[0-9]?(>>|>&|>|<)$/.test(t.op)) {
        this.pos++;
        const target = this.next();
        if (target.kind !== 'word') this.unexpected();
        const fdText = /^[0-9]/.test(t.op) ? t.op[0]! : undefined;
        const op = t.op.slice(fdText ? 1 : 0) as Redirect['op'];
        const fd = fdText !== undefined ? Number(fdText) : op === '<' ? 0 : 1;
        redirects.push({ fd, op, target: target.word });
        continue;
      }
      if (t.kind !== 'word') break;
      const assignment = words.length === 0 ? ASSIGNMENT.exec(t.raw) : null;
      if (assignment) {
        this.pos++;
        assigns.push({ name: assignment[1]!, value: dropPrefix(t.word, assignment[0].length) });
        continue;
      }
      this.pos++;
      words.push(t.word);
    }
    if (words.length === 0 && assigns.length === 0 && redirects.length === 0) this.unexpected();
    return { kind: 'simple', assigns, words, redirects };
  }
}

/** The value part of `NAME=value`: the word without its first `length` literal characters. */
function dropPrefix(word: Word, length: number): Word {
  const out: Word = [];
  let left = length;
  for (const part of word) {
    if (left > 0 && part.kind === 'lit') {
      const cut = Math.min(left, part.text.length);
      left -= cut;
      if (cut < part.text.length) out.push({ ...part, text: part.text.slice(cut) });
      continue;
    }
    out.push(part);
  }
  return out;
}
