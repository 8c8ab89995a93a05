/**
 * What must never show up in a report, a log or the SQLite file after an encryption audit,
 * and a search for it. For the service's tests too:
 * @example
 * const needles = encryptionSecrets(etcd, sim storage or storage.writtenSecretValues());
 * expect(findLeaks(readFileSync(dbPath), needles)).toEqual([]);
 */

export interface EtcdKeyMaterial {
  keyPem: string;
}

/** The etcd client key (whole and per base64 line) and every Secret value written (raw and base64). */
export function encryptionSecrets(etcd: EtcdKeyMaterial | undefined, writtenValues: readonly Buffer[]): string[] {
  const keyLines = etcd
    ? [etcd.keyPem, ...etcd.keyPem.split('\n').filter((line) => line.length > 20 && !line.startsWith('-----'))]
    : [];
  return [...keyLines, ...writtenValues.flatMap((value) => [value.toString('utf8'), value.toString('base64')])].filter(
    (s) => s.length >= 8,
  );
}

/** The needles found in the haystack, shortened so the assertion message does not leak them either. */
export function findLeaks(haystack: string | Buffer, needles: readonly string[]): string[] {
  const text = Buffer.isBuffer(haystack) ? haystack : Buffer.from(haystack, 'utf8');
  return needles
    .filter((needle) => text.includes(Buffer.from(needle, 'utf8')))
    .map((needle) => `${needle.slice(0, 6)}…`);
}
