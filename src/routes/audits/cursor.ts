import { invalidField } from '../../http/errors.js';

/** Opaque page cursor: the (createdAt, id) of the last item of the previous page. */
export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.getTime()}:${id}`, 'utf8').toString('base64url');
}

/** The cursor's (createdAt, id); a malformed cursor is a 400 on `query.cursor`. */
export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const at = text.indexOf(':');
  const millis = Number(text.slice(0, at));
  const id = text.slice(at + 1);
  if (at <= 0 || !Number.isInteger(millis) || id === '') {
    throw invalidField('query.cursor', 'not a cursor this API returned');
  }
  return { createdAt: new Date(millis), id };
}
