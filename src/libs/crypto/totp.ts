import { createHmac, timingSafeEqual } from 'node:crypto';
import { HavenError } from '../../errors/haven-error.js';
import { systemRandom } from './aead-core.js';
import type { RandomBytes } from './aead-core.js';

/**
 * One-time passwords: RFC 4226 HOTP and RFC 6238 TOTP, RFC 4648 base32 for secrets, and the
 * otpauth:// URI that authenticator apps scan. Verification accepts at most ±1 step of clock skew,
 * compares in constant time and returns the matched step so the caller can refuse replays.
 */

/** HMAC algorithm of an OTP (SHA-1 is the interoperable default; the RFC 6238 vectors cover all three). */
export type OtpAlgorithm = 'sha1' | 'sha256' | 'sha512';

/** Options of hotp/totp. */
export interface OtpOptions {
  /** Number of digits, 6..8 (default 6). */
  readonly digits?: number;
  /** HMAC algorithm (default sha1). */
  readonly algorithm?: OtpAlgorithm;
}

/** Options of totp: adds the time step and epoch. */
export interface TotpOptions extends OtpOptions {
  /** Step length in seconds (default 30). */
  readonly stepSeconds?: number;
  /** Unix time (seconds) at which counting starts (default 0). */
  readonly t0?: number;
}

/** Options of verifyTotp. */
export interface VerifyTotpOptions extends TotpOptions {
  /** Steps of skew accepted either side: 0 or 1 (default 1; more is refused). */
  readonly window?: number;
  /** The last step accepted for this secret; codes at or before it are refused (replay). */
  readonly lastUsedStep?: number;
}

/** Shortest secret accepted: 128 bits (RFC 4226 §4 R6). */
export const MIN_SECRET_BYTES = 16;
/** Default secret length for new secrets: 160 bits (RFC 4226 recommendation). */
export const DEFAULT_SECRET_BYTES = 20;
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const B32_VALID_TAIL = new Set([0, 2, 4, 5, 7]);

function invalid(argument: string): HavenError {
  return new HavenError('HAVEN_CRYPTO_INVALID_ARGUMENT', undefined, { detail: { argument } });
}

/**
 * RFC 4648 base32 encoding.
 * @param bytes - data to encode
 * @param opts - `padding` adds '=' to a multiple of 8 chars (default false, as otpauth URIs use)
 */
export function base32Encode(bytes: Uint8Array, opts: { padding?: boolean } = {}): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const byte of bytes) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += B32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= 0xff; // keep at most the 8 bits not yet emitted
  }
  if (bits > 0) {
    out += B32[(acc << (5 - bits)) & 31];
  }
  if (opts.padding === true) {
    out += '='.repeat((8 - (out.length % 8)) % 8);
  }
  return out;
}

/**
 * RFC 4648 base32 decoding; case-insensitive, spaces and padding ignored. Refuses foreign
 * characters, impossible lengths and non-zero leftover bits (so every secret has one spelling).
 * @param text - base32 text
 */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s]/g, '').replace(/=+$/, '').toUpperCase();
  if (!B32_VALID_TAIL.has(clean.length % 8)) {
    throw invalid('base32');
  }
  const out = Buffer.allocUnsafe(Math.floor((clean.length * 5) / 8));
  let acc = 0;
  let bits = 0;
  let at = 0;
  for (const ch of clean) {
    const v = B32.indexOf(ch);
    if (v < 0) {
      throw invalid('base32');
    }
    acc = ((acc << 5) | v) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      out[at++] = (acc >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) {
    throw invalid('base32');
  }
  return out;
}

/**
 * Generate a new random OTP secret.
 * @param random - random source (default node:crypto)
 * @param bytes - length in bytes (16..64, default 20)
 */
export function generateOtpSecret(random: RandomBytes = systemRandom, bytes = DEFAULT_SECRET_BYTES): Buffer {
  if (!Number.isInteger(bytes) || bytes < MIN_SECRET_BYTES || bytes > 64) {
    throw invalid('bytes');
  }
  return Buffer.from(random(bytes));
}

function digitsOf(opts: OtpOptions): number {
  const digits = opts.digits ?? 6;
  if (!Number.isInteger(digits) || digits < 6 || digits > 8) {
    throw invalid('digits');
  }
  return digits;
}

function algorithmOf(opts: OtpOptions): OtpAlgorithm {
  const algorithm = opts.algorithm ?? 'sha1';
  if (algorithm !== 'sha1' && algorithm !== 'sha256' && algorithm !== 'sha512') {
    throw invalid('algorithm');
  }
  return algorithm;
}

/**
 * RFC 4226 HOTP value for a counter.
 * @param secret - shared secret (at least 16 bytes)
 * @param counter - moving factor (non-negative safe integer)
 * @param opts - digits and algorithm
 */
export function hotp(secret: Uint8Array, counter: number, opts: OtpOptions = {}): string {
  if (!(secret instanceof Uint8Array) || secret.length < MIN_SECRET_BYTES) {
    throw new HavenError('HAVEN_CRYPTO_KEY_INVALID', 'OTP secret must be at least 16 bytes');
  }
  if (!Number.isSafeInteger(counter) || counter < 0) {
    throw invalid('counter');
  }
  const digits = digitsOf(opts);
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithmOf(opts), secret).update(msg).digest();
  // Dynamic truncation (RFC 4226 §5.3).
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fff_ffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/**
 * The TOTP time step containing an instant.
 * @param nowMs - instant in ms since the epoch (injected clock)
 * @param opts - step length and epoch
 */
export function totpStep(nowMs: number, opts: TotpOptions = {}): number {
  const step = opts.stepSeconds ?? 30;
  const t0 = opts.t0 ?? 0;
  if (!Number.isInteger(step) || step < 1 || !Number.isInteger(t0) || !Number.isFinite(nowMs) || nowMs < t0 * 1000) {
    throw invalid('time');
  }
  return Math.floor((Math.floor(nowMs / 1000) - t0) / step);
}

/**
 * RFC 6238 TOTP value at an instant.
 * @param secret - shared secret (at least 16 bytes)
 * @param nowMs - instant in ms since the epoch (injected clock)
 * @param opts - digits, algorithm, step, epoch
 */
export function totp(secret: Uint8Array, nowMs: number, opts: TotpOptions = {}): string {
  return hotp(secret, totpStep(nowMs, opts), opts);
}

/**
 * Check a TOTP code. Returns the matched step (store it as the new lastUsedStep) or null.
 * Every candidate step is computed and compared in constant time, without early exit.
 * @param secret - shared secret
 * @param code - the code the user typed (spaces ignored)
 * @param nowMs - instant in ms since the epoch (injected clock)
 * @param opts - window (0 or 1), lastUsedStep, and the TOTP options
 */
export function verifyTotp(secret: Uint8Array, code: string, nowMs: number, opts: VerifyTotpOptions = {}): number | null {
  const window = opts.window ?? 1;
  if (window !== 0 && window !== 1) {
    throw invalid('window');
  }
  const digits = digitsOf(opts);
  const current = totpStep(nowMs, opts);
  const typed = Buffer.from(typeof code === 'string' ? code.replace(/ /g, '') : '', 'utf8');
  const wellFormed = typed.length === digits && /^[0-9]+$/.test(typed.toString('utf8'));
  const probe = wellFormed ? typed : Buffer.alloc(digits, 0x78); // 'x' never matches; still compare, to keep timing flat
  let matched: number | null = null;
  for (let step = current - window; step <= current + window; step++) {
    if (step < 0) {
      continue;
    }
    const expected = Buffer.from(hotp(secret, step, opts), 'utf8');
    const equal = timingSafeEqual(expected, probe);
    if (equal && wellFormed && (opts.lastUsedStep === undefined || step > opts.lastUsedStep)) {
      matched = step;
    }
  }
  return matched;
}

/** Fields of an otpauth:// URI. */
export interface OtpauthParams {
  /** Service name shown in the app (no ':'). */
  readonly issuer: string;
  /** Account name, e.g. the user's e-mail (no ':'). */
  readonly account: string;
  readonly secret: Uint8Array;
  readonly digits?: number;
  readonly algorithm?: OtpAlgorithm;
  readonly stepSeconds?: number;
}

/**
 * Build the otpauth://totp/ URI (Key Uri Format) for enrolment QR codes.
 * @param params - issuer, account, secret, and optional digits/algorithm/step
 */
export function otpauthUri(params: OtpauthParams): string {
  for (const name of ['issuer', 'account'] as const) {
    const v = params[name];
    if (typeof v !== 'string' || v.length === 0 || v.includes(':')) {
      throw invalid(name);
    }
  }
  const digits = digitsOf(params);
  const step = params.stepSeconds ?? 30;
  if (!Number.isInteger(step) || step < 1) {
    throw invalid('stepSeconds');
  }
  const label = `${encodeURIComponent(params.issuer)}:${encodeURIComponent(params.account)}`;
  const query = [
    `secret=${base32Encode(params.secret)}`,
    `issuer=${encodeURIComponent(params.issuer)}`,
    `algorithm=${algorithmOf(params).toUpperCase()}`,
    `digits=${digits}`,
    `period=${step}`,
  ].join('&');
  return `otpauth://totp/${label}?${query}`;
}
