/**
 * Answers read one after the other from one kept-alive port-forward stream
 * (src/kube/cluster/http-response.ts, keep-alive.ts).
 */
import { describe, expect, it } from 'vitest';
import { HttpResponseReader } from '../../src/kube/cluster/http-response.js';
import { KeepAliveAnswers } from '../../src/kube/cluster/keep-alive.js';

const answer = (body: string, extra = '') =>
  `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\nContent-Type: text/plain; charset=utf-8\r\n${extra}\r\n${body}`;

describe('HttpResponseReader on a kept-alive connection', () => {
  it('completes at Content-Length and hands over the bytes of the next answer', () => {
    const reader = new HttpResponseReader();
    reader.push(Buffer.from(answer('web-1') + answer('web-2').slice(0, 10)));
    expect(reader.complete()).toBe(true);
    expect(reader.answer()?.body).toBe('web-1');
    const next = new HttpResponseReader();
    next.push(reader.rest());
    expect(next.complete()).toBe(false);
    next.push(Buffer.from(answer('web-2').slice(10)));
    expect(next.answer()?.body).toBe('web-2');
    expect(next.rest().length).toBe(0);
  });

  it('has nothing past a chunked answer (complete only when it ends with the last chunk)', () => {
    const reader = new HttpResponseReader();
    reader.push(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nweb-1\r\n0\r\n\r\n'));
    expect(reader.complete()).toBe(true);
    expect(reader.answer()?.body).toBe('web-1');
    expect(reader.rest().length).toBe(0);
  });

  it('gives no rest before the answer is complete', () => {
    const reader = new HttpResponseReader();
    reader.push(Buffer.from(answer('web-1').slice(0, -2)));
    expect(reader.complete()).toBe(false);
    expect(reader.rest().length).toBe(0);
  });
});

describe('KeepAliveAnswers', () => {
  it('asks for the next request after each complete answer, the last one marked, until it has them all', () => {
    const exchange = new KeepAliveAnswers(3);
    expect(exchange.askingLast).toBe(false);
    expect(exchange.push(Buffer.from(answer('web-1').slice(0, 20)))).toBe(0);
    expect(exchange.push(Buffer.from(answer('web-1').slice(20)))).toBe(1);
    expect(exchange.push(Buffer.from(answer('web-1')))).toBe(1);
    expect(exchange.askingLast).toBe(true);
    expect(exchange.done).toBe(false);
    expect(exchange.push(Buffer.from(answer('web-1', 'Connection: close\r\n')))).toBe(0);
    expect(exchange.done).toBe(true);
    expect(exchange.answers.map((a) => a.body)).toEqual(['web-1', 'web-1', 'web-1']);
  });

  it('stops when the server closes the connection, so the rest go over a new one', () => {
    const exchange = new KeepAliveAnswers(5);
    expect(exchange.push(Buffer.from(answer('web-1', 'Connection: close\r\n')))).toBe(0);
    expect(exchange.done).toBe(true);
    expect(exchange.answers).toHaveLength(1);
  });

  it('keeps an answer without a length for when the connection closes', () => {
    const exchange = new KeepAliveAnswers(2);
    expect(exchange.push(Buffer.from('HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nweb-1'))).toBe(0);
    expect(exchange.answers).toHaveLength(0);
    expect(exchange.unfinished()?.body).toBe('web-1');
  });
});
