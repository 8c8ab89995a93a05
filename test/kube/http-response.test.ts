/** Answers read one after the other from one kept-alive port-forward stream (src/kube/cluster/http-response.ts). */
import { describe, expect, it } from 'vitest';
import { HttpResponseReader } from '../../src/kube/cluster/http-response.js';

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
