/**
 * Bound ServiceAccount tokens, as `POST .../serviceaccounts/NAME/token` (TokenRequest) issues
 * them and the service-account authenticator accepts them: RS256 JWTs with the claims of
 * pkg/serviceaccount/claims.go (`iss`, `sub` = system:serviceaccount:NS:NAME, `aud`, `exp`,
 * `iat`, `nbf`, `jti`, `kubernetes.io.{namespace,serviceaccount}`), valid while unexpired and
 * while the ServiceAccount still exists with the same uid. The user they authenticate as is
 * pkg/serviceaccount/util.go's: groups system:serviceaccounts, system:serviceaccounts:NS and
 * system:authenticated, extra `authentication.kubernetes.io/credential-id: JTI=<jti>`.
 */
import { createSign, createVerify, generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import type { KubeObj, SimStore } from '../contracts.js';
import type { UserInfo } from './rbac.js';

export const defaultAudience = 'https://kubernetes.default.svc.cluster.local';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

export interface IssuedToken {
  token: string;
  expirationTimestamp: string;
}

export class TokenIssuer {
  private keys: { privateKey: KeyObject; publicKey: KeyObject } | undefined;
  private readonly kid = randomUUID().replaceAll('-', '');

  constructor(
    private readonly store: SimStore,
    private readonly issuer = defaultAudience,
    private readonly now: () => number = Date.now,
  ) {}

  /** The key pair is made on first use: most simulated clusters never issue a token. */
  private keyPair() {
    this.keys ??= generateKeyPairSync('rsa', { modulusLength: 2048 });
    return this.keys;
  }

  issue(sa: KubeObj, expirationSeconds: number, audiences: string[]): IssuedToken {
    const iat = Math.floor(this.now() / 1000);
    const exp = iat + expirationSeconds;
    const claims = {
      aud: audiences,
      exp,
      iat,
      iss: this.issuer,
      jti: randomUUID(),
      'kubernetes.io': {
        namespace: sa.metadata.namespace,
        serviceaccount: { name: sa.metadata.name, uid: sa.metadata.uid },
      },
      nbf: iat,
      sub: `system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}`,
    };
    const signingInput = `${b64({ alg: 'RS256', kid: this.kid })}.${b64(claims)}`;
    const signature = createSign('RSA-SHA256').update(signingInput).sign(this.keyPair().privateKey, 'base64url');
    return {
      token: `${signingInput}.${signature}`,
      expirationTimestamp: new Date(exp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
  }

  /** The user a token authenticates as, or undefined (→ 401) when it is not one of ours or no longer valid. */
  authenticate(token: string): UserInfo | undefined {
    if (!this.keys) return undefined;
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [header, payload, signature] = parts as [string, string, string];
    const valid = createVerify('RSA-SHA256')
      .update(`${header}.${payload}`)
      .verify(this.keys.publicKey, Buffer.from(signature, 'base64url'));
    if (!valid) return undefined;
    // biome-ignore lint/suspicious/noExplicitAny: our own claims, verified above
    let claims: any;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    const nowSeconds = Math.floor(this.now() / 1000);
    if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) return undefined;
    const ref = claims['kubernetes.io'] ?? {};
    const namespace: string = ref.namespace ?? '';
    const sa = this.store.get('serviceaccounts', namespace, ref.serviceaccount?.name ?? '');
    if (!sa || sa.metadata.uid !== ref.serviceaccount?.uid || sa.metadata.deletionTimestamp) return undefined;
    return {
      username: claims.sub,
      uid: sa.metadata.uid,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
      extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${claims.jti}`] },
    };
  }
}
