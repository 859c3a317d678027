import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as never);

/** A generated certificate chain: a private CA (its key is discarded) and a server certificate it signed. */
export interface GeneratedTls {
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

function toPem(der: ArrayBuffer, label: string): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64.trimEnd()}\n-----END ${label}-----\n`;
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1');
}

/**
 * Generate a local CA and a server certificate for the given host names and addresses.
 * The CA key never leaves this function, so nobody can mint further certificates with it;
 * renewing means a new CA (clients are given the new ca.pem).
 * @param names - DNS names and IP addresses for the subjectAltName
 * @param now - issue time
 * @param days - validity in days
 */
export async function generateTls(names: { dns: string[]; ips: string[] }, now: Date, days = 397): Promise<GeneratedTls> {
  const notAfter = new Date(now.getTime() + days * 86_400_000);
  const caKeys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=Haven local CA',
    notBefore: now,
    notAfter,
    signingAlgorithm: ALG,
    keys: caKeys as never,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey as never),
    ],
  });
  const leafKeys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'CN=haven',
    issuer: ca.subject,
    notBefore: now,
    notAfter,
    signingAlgorithm: ALG,
    publicKey: leafKeys.publicKey as never,
    signingKey: caKeys.privateKey as never,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension([
        ...names.dns.map((value) => ({ type: 'dns' as const, value })),
        ...names.ips.map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey as never),
    ],
  });
  const keyDer = await webcrypto.subtle.exportKey('pkcs8', leafKeys.privateKey);
  return { caPem: ca.toString('pem') + '\n', certPem: leaf.toString('pem') + '\n' + ca.toString('pem') + '\n', keyPem: toPem(keyDer, 'PRIVATE KEY') };
}
