/** The syntax tree of the small POSIX-sh subset the emulated busybox/agnhost `sh` runs. */

export type WordPart =
  | { kind: 'lit'; text: string; quoted: boolean }
  | { kind: 'var'; name: string; quoted: boolean }
  | { kind: 'subst'; script: string; quoted: boolean };

export type Word = WordPart[];

export interface Redirect {
  fd: number;
  op: '>' | '>>' | '<' | '>&';
  target: Word;
}

export type Command =
  | { kind: 'simple'; assigns: Array<{ name: string; value: Word }>; words: Word[]; redirects: Redirect[] }
  | { kind: 'for'; variable: string; items: Word[] | undefined; body: List }
  | { kind: 'loop'; until: boolean; condition: List; body: List }
  | { kind: 'if'; branches: Array<{ condition: List; body: List }>; otherwise: List | undefined }
  | { kind: 'group'; body: List; subshell: boolean };

export interface Pipeline {
  negated: boolean;
  commands: Command[];
}

export interface AndOr {
  first: Pipeline;
  rest: Array<{ op: '&&' | '||'; pipeline: Pipeline }>;
}

export type List = AndOr[];
