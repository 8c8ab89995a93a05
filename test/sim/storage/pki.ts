/**
 * A throwaway PKI for the test etcd: one CA, a server certificate for 127.0.0.1 and a
 * client certificate. ECDSA P-256 keeps generation fast. TODO(reconcile): move onto
 * test/sim/tls.ts `issueCertificate` once the API-server engineer's helper lands.
 */
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

// Node's webcrypto types differ nominally from the DOM ones @peculiar/x509 is typed against.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
type X509Key = X509KeyPair['privateKey'];
type X509KeyPair = Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]['keys'];

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface IssuedPair {
  certPem: string;
  keyPem: string;
}

export interface Authority extends IssuedPair {
  issue(options: { commonName: string; usage: 'server' | 'client'; ipAddresses?: string[] }): Promise<IssuedPair>;
}

async function privateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
}

function validity(): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - 60_000), notAfter: new Date(now + 24 * 3600_000) };
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(8)))
    .toString('hex')
    .replace(/^[89a-f]/, '1');
}

export async function createAuthority(commonName: string): Promise<Authority> {
  const caKeys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    keys: caKeys as unknown as X509KeyPair,
    signingAlgorithm: ALGORITHM,
    ...validity(),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  const issue: Authority['issue'] = async ({ commonName: cn, usage, ipAddresses = [] }) => {
    const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject: `CN=${cn}`,
      issuer: caCert.subject,
      publicKey: keys.publicKey as unknown as X509Key,
      signingKey: caKeys.privateKey as unknown as X509Key,
      signingAlgorithm: ALGORITHM,
      ...validity(),
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
        new x509.ExtendedKeyUsageExtension(
          // etcd's own gRPC gateway dials itself with the server certificate, so (as kubeadm
          // does) server certificates are also valid client certificates.
          usage === 'server'
            ? [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]
            : [x509.ExtendedKeyUsage.clientAuth],
        ),
        ...(ipAddresses.length > 0
          ? [new x509.SubjectAlternativeNameExtension(ipAddresses.map((value) => ({ type: 'ip' as const, value })))]
          : []),
      ],
    });
    return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
  };
  return {
    certPem: caCert.toString('pem'),
    keyPem: await privateKeyPem(caKeys.privateKey as unknown as X509Key),
    issue,
  };
}
