import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;

function head(major: number, n: number): Buffer {
  if (n < 24) {
    return Buffer.from([(major << 5) | n]);
  }
  if (n < 0x100) {
    return Buffer.from([(major << 5) | 24, n]);
  }
  if (n < 0x10000) {
    const b = Buffer.alloc(3);
    b[0] = (major << 5) | 25;
    b.writeUInt16BE(n, 1);
    return b;
  }
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}

/**
 * A tiny CBOR encoder (RFC 8949) for what WebAuthn needs: small integers, text, byte strings and maps.
 * @param v - the value
 */
export function cbor(v: Cbor): Buffer {
  if (typeof v === 'number') {
    return v >= 0 ? head(0, v) : head(1, -1 - v);
  }
  if (typeof v === 'string') {
    const b = Buffer.from(v, 'utf8');
    return Buffer.concat([head(3, b.length), b]);
  }
  if (v instanceof Uint8Array) {
    return Buffer.concat([head(2, v.length), v]);
  }
  return Buffer.concat([head(5, v.size), ...[...v].flatMap(([k, x]) => [cbor(k), cbor(x)])]);
}

const sha256 = (b: Buffer | string): Buffer => createHash('sha256').update(b).digest();
const b64url = (b: Buffer): string => b.toString('base64url');

/** Options as Haven's WebAuthn routes return them (the fields the authenticator reads). */
export interface CeremonyOptions {
  readonly challenge: string;
}

/** Overrides to script attacks: another challenge, another signing key, a chosen counter. */
export interface AssertionTweaks {
  readonly challenge?: string;
  readonly signWith?: KeyObject;
  readonly counter?: number;
}

/**
 * A software security key: an ES256 key pair, a credential id and a signature counter. It builds the same
 * clientDataJSON, authenticator data and "none" attestation a browser and a real key would.
 */
export class SoftAuthenticator {
  readonly credentialId = randomBytes(16);
  private readonly keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  counter = 0;

  constructor(
    private readonly rpId: string,
    private readonly origin: string,
  ) {}

  private authData(flags: number, counter: number, attested?: Buffer): Buffer {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    return Buffer.concat([sha256(this.rpId), Buffer.from([flags]), c, ...(attested ? [attested] : [])]);
  }

  private coseKey(): Buffer {
    const jwk = this.keys.publicKey.export({ format: 'jwk' });
    // COSE_Key: kty EC2 (1:2), alg ES256 (3:-7), crv P-256 (-1:1), x (-2), y (-3).
    return cbor(
      new Map<Cbor, Cbor>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
  }

  /**
   * Answer navigator.credentials.create: a registration response with a "none" attestation.
   * @param options - the registration options from Haven
   */
  register(options: CeremonyOptions) {
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin: this.origin, crossOrigin: false }));
    const idLen = Buffer.alloc(2);
    idLen.writeUInt16BE(this.credentialId.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLen, this.credentialId, this.coseKey()]);
    // Flags: user present (0x01), user verified (0x04), attested credential data (0x40).
    const authData = this.authData(0x45, this.counter, attested);
    const attestationObject = cbor(new Map<Cbor, Cbor>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]));
    const id = b64url(this.credentialId);
    return {
      id,
      rawId: id,
      type: 'public-key',
      response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject), transports: ['usb'] },
      clientExtensionResults: {},
    };
  }

  /**
   * Answer navigator.credentials.get: sign authenticator data and the client data hash, counter + 1.
   * @param options - the authentication options from Haven
   * @param tweaks - attack scripting
   */
  assert(options: CeremonyOptions, tweaks: AssertionTweaks = {}) {
    this.counter = tweaks.counter ?? this.counter + 1;
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: tweaks.challenge ?? options.challenge, origin: this.origin, crossOrigin: false }));
    const authData = this.authData(0x05, this.counter);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), tweaks.signWith ?? this.keys.privateKey);
    const id = b64url(this.credentialId);
    return {
      id,
      rawId: id,
      type: 'public-key',
      response: { clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(authData), signature: b64url(signature) },
      clientExtensionResults: {},
    };
  }
}
