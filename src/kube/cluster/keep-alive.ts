import type { HttpAnswer } from '../cluster-access.js';
import { HttpResponseReader } from './http-response.js';

/**
 * Reads up to `count` HTTP/1.1 answers off one connection, asking for the next one only once
 * the previous is complete (no pipelining). It stops early when the server says it closes the
 * connection (`Connection: close`, RFC 9112 §9.6): the rest must go over a new connection.
 */
export class KeepAliveAnswers {
  readonly answers: HttpAnswer[] = [];
  private reader = new HttpResponseReader();
  /** No more answers will come on this connection (all asked for, or the server closes it). */
  done = false;

  constructor(private readonly count: number) {}

  /** Whether the request to send next is the last one (it says `Connection: close`). */
  get askingLast(): boolean {
    return this.answers.length === this.count - 1;
  }

  /** Takes bytes from the connection; returns how many requests to send now (0 or 1). */
  push(chunk: Buffer): number {
    this.reader.push(chunk);
    let ask = 0;
    while (!this.done && this.reader.complete()) {
      const answer = this.reader.answer()!;
      this.answers.push(answer);
      const rest = this.reader.rest();
      this.reader = new HttpResponseReader();
      this.reader.push(rest);
      if (this.answers.length === this.count || answer.headers.connection?.toLowerCase() === 'close') this.done = true;
      else ask++;
    }
    return ask;
  }

  /** When the connection closed: an answer without a length, which ends there. */
  unfinished(): HttpAnswer | undefined {
    return this.reader.answer();
  }
}
