import { classesOf, parseIp } from '../net/ip.js';
import { type OutboundPolicy, OutboundRefusal, targetOf } from '../net/outbound-policy.js';

/** The variable that lets callbacks use plain http:// beyond loopback. */
export const CALLBACK_HTTP_VARIABLE = 'KUBEPROOF_CALLBACK_ALLOW_HTTP';

/**
 * Where plain `http://` callbacks may go: `any` (KUBEPROOF_CALLBACK_ALLOW_HTTP=1), `loopback`
 * (the service itself listens on loopback: a developer machine, the tests), or `never` (https only).
 */
export type HttpCallbacks = 'any' | 'loopback' | 'never';

/** A callback URL the request may not use: `policy` refusals are 400 `outbound_policy`, the rest validation. */
export class CallbackRefusal extends Error {
  override readonly name = 'CallbackRefusal';
  constructor(
    message: string,
    readonly policy: boolean,
  ) {
    super(message);
  }
}

function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  const ip = parseIp(host);
  return ip !== undefined && classesOf(ip).includes('loopback');
}

/**
 * Checks a callback URL at intake: absolute http(s), no credentials or fragment, https unless
 * http is allowed for it, and a target the outbound policy lets through (resolved names checked
 * too). Returns the URL as it will be dialled. Nothing is dialled here.
 */
export async function admitCallbackUrl(raw: string, outbound: OutboundPolicy, http: HttpCallbacks): Promise<string> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CallbackRefusal('not an absolute URL', false);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new CallbackRefusal(`${url.protocol}// is not a callback scheme: use https://`, false);
  if (url.username || url.password)
    throw new CallbackRefusal('credentials in the URL are refused: name a callbackSecret to sign deliveries', false);
  if (url.hash) throw new CallbackRefusal('a fragment is never sent: remove the "#..." part', false);
  if (url.protocol === 'http:') {
    const allowed = http === 'any' || (http === 'loopback' && isLoopbackHost(targetOf(url).host));
    if (!allowed) {
      throw new CallbackRefusal(
        http === 'loopback'
          ? `http:// callbacks go to loopback only (kubeproof listens on loopback); use https://, or an operator sets ${CALLBACK_HTTP_VARIABLE}=1`
          : `callbacks are https:// only; an operator can allow http:// with ${CALLBACK_HTTP_VARIABLE}=1`,
        true,
      );
    }
  }
  try {
    await outbound.admit(url.href, ['https:', 'http:']);
  } catch (err) {
    if (err instanceof OutboundRefusal) throw new CallbackRefusal(err.message, true);
    throw err;
  }
  return url.href;
}
