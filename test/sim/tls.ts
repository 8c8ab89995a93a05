/**
 * Certificates for the simulated cluster: a CA generated at start, the API server's serving
 * certificate, and client certificates (the storage part uses them for etcd's TLS).
 * ECDSA P-256 because it is generated in milliseconds.
 */
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface CertificateAuthority {
  certPem: string;
  keyPem: string;
  cert: x509.X509Certificate;
  keys: webcrypto.CryptoKeyPair;
}

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
}

export interface CertificateRequest {
  commonName: string;
  /** DNS names and IP addresses (IPv4 or IPv6), told apart by their shape. */
  sans?: string[];
  /** Adds the clientAuth usage (and keeps serverAuth when sans are given). */
  client?: boolean;
  organization?: string;
  validDays?: number;
}

function serialNumber(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
    .toString('hex')
    .replace(/^[89a-f]/, '1');
}

function pemKey(der: ArrayBuffer): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return `-----BEGIN PRIVATE KEY-----\n${b64.trimEnd()}\n-----END PRIVATE KEY-----\n`;
}

function validity(days: number): { notBefore: Date; notAfter: Date } {
  const notBefore = new Date(Date.now() - 60_000);
  return { notBefore, notAfter: new Date(notBefore.getTime() + days * 86_400_000) };
}

function isIp(value: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(value) || value.includes(':');
}

export async function createCertificateAuthority(commonName = 'kubernetes'): Promise<CertificateAuthority> {
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: `CN=${commonName}`,
    ...validity(3650),
    keys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const keyPem = pemKey(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return { certPem: cert.toString('pem'), keyPem, cert, keys };
}

/**
 * Issues a leaf certificate signed by the CA.
 * @example
 * const etcdClient = await issueCertificate(ca, { commonName: 'kube-apiserver-etcd-client', client: true });
 */
export async function issueCertificate(ca: CertificateAuthority, req: CertificateRequest): Promise<IssuedCertificate> {
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const sans = req.sans ?? [];
  const usages: string[] = [];
  if (sans.length > 0 || !req.client) usages.push(x509.ExtendedKeyUsage.serverAuth);
  if (req.client) usages.push(x509.ExtendedKeyUsage.clientAuth);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension(usages, false),
    await x509.AuthorityKeyIdentifierExtension.create(ca.cert, false),
  ];
  if (sans.length > 0) {
    extensions.push(
      new x509.SubjectAlternativeNameExtension(
        sans.map((value) => ({ type: isIp(value) ? ('ip' as const) : ('dns' as const), value })),
      ),
    );
  }
  const subject = req.organization ? `CN=${req.commonName}, O=${req.organization}` : `CN=${req.commonName}`;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject,
    issuer: ca.cert.subject,
    ...validity(req.validDays ?? 365),
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: algorithm,
    extensions,
  });
  const keyPem = pemKey(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return { certPem: cert.toString('pem'), keyPem };
}

/** The API server's serving certificate for loopback. */
export function issueServingCertificate(ca: CertificateAuthority): Promise<IssuedCertificate> {
  return issueCertificate(ca, {
    commonName: 'kube-apiserver',
    sans: ['127.0.0.1', '::1', 'localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', '10.96.0.1'],
  });
}
