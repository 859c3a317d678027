import type { FastifyReply } from 'fastify';
import { SESSION_COOKIE } from '../../route-config.js';

/**
 * Set the session cookie: HttpOnly (no script can read it), Secure, SameSite=Strict (no cross-site sends), Path=/,
 * expiring with the session's absolute timeout.
 */
export function setSessionCookie(reply: FastifyReply, sessionId: string, expiresAt: string): void {
  reply.header('set-cookie', `${SESSION_COOKIE}=${sessionId}; Path=/; HttpOnly; Secure; SameSite=Strict; Expires=${new Date(expiresAt).toUTCString()}`);
}

/** Clear the session cookie. */
export function clearSessionCookie(reply: FastifyReply): void {
  reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0`);
}
