import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An account the test identity provider knows. */
export interface TestAccount {
  readonly sub: string;
  readonly preferred_username?: string;
  readonly groups?: readonly string[];
}

/** How the next login at the provider goes: who logs in, and the amr/acr the provider reports. */
export interface TestLogin {
  readonly accountId: string;
  readonly amr: readonly string[];
  readonly acr?: string;
}

/** A real oidc-provider on 127.0.0.1 with one confidential client and a scripted login interaction. */
export interface TestIdp {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  readonly accounts: Map<string, TestAccount>;
  /** Set before driving a login: the account and amr the interaction will report. */
  nextLogin: TestLogin;
  close(): Promise<void>;
}

// The minimal surface of oidc-provider the helper uses (the package ships no type declarations).
interface Grant {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: readonly string[]): void;
  save(): Promise<string>;
}
interface InteractionDetails {
  readonly prompt: { readonly name: string; readonly details: { missingOIDCScope?: string[]; missingOIDCClaims?: string[] } };
  readonly params: { readonly client_id: string };
  readonly session?: { readonly accountId: string };
  readonly grantId?: string;
}
interface Provider {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
  interactionFinished(req: IncomingMessage, res: ServerResponse, result: unknown, opts?: { mergeWithLastSubmission: boolean }): Promise<void>;
  Grant: { new (init: { accountId: string; clientId: string }): Grant; find(id: string): Promise<Grant | undefined> };
}
type ProviderCtor = new (issuer: string, config: unknown) => Provider;
// A string-typed specifier keeps the untyped package out of type checking.
const PROVIDER_MODULE: string = 'oidc-provider';

/**
 * Start an OpenID provider on a free loopback port (plain HTTP: Haven must run with `oidc.allowInsecureLoopback`).
 * Logins are finished by a scripted interaction (no HTML): it logs in `nextLogin` and grants whatever is asked.
 * @param redirectUri - Haven's callback URL registered for the client
 */
export async function startTestIdp(redirectUri: string): Promise<TestIdp> {
  const { default: ProviderClass } = (await import(PROVIDER_MODULE)) as { default: ProviderCtor };
  const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  const accounts = new Map<string, TestAccount>();
  const state: { nextLogin: TestLogin } = { nextLogin: { accountId: 'nobody', amr: ['pwd'] } };
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'haven-test';
  const clientSecret = 'test-client-secret-0123456789abcdef';
  const provider = new ProviderClass(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: [{ ...jwk, kid: 'test-es256', alg: 'ES256', use: 'sig' }] },
    cookies: { keys: ['test-cookie-key-0123456789abcdef'] },
    pkce: { required: () => true },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
    scopes: ['openid', 'profile', 'groups'],
    // oidc-provider releases acr/amr/auth_time only when asked for; tying them to the openid scope puts the login's
    // values in every ID token, as enterprise providers do.
    claims: { sid: null, openid: ['sub', 'acr', 'amr', 'auth_time'], profile: ['preferred_username'], groups: ['groups'] },
    // Put the scope claims into the ID token (Haven reads groups from it, as most enterprise providers send them).
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx: unknown, id: string) => {
      const a = accounts.get(id);
      return a ? { accountId: id, claims: () => ({ ...a }) } : undefined;
    },
  });
  const handle = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.startsWith('/interaction/')) {
      handle(req, res);
      return;
    }
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === 'login') {
        const l = state.nextLogin;
        await provider.interactionFinished(req, res, { login: { accountId: l.accountId, amr: [...l.amr], ...(l.acr ? { acr: l.acr } : {}) } }, { mergeWithLastSubmission: false });
        return;
      }
      const grant = details.grantId
        ? (await provider.Grant.find(details.grantId))!
        : new provider.Grant({ accountId: details.session!.accountId, clientId: details.params.client_id });
      const missing = details.prompt.details;
      if (missing.missingOIDCScope) {
        grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      }
      if (missing.missingOIDCClaims) {
        grant.addOIDCClaims(missing.missingOIDCClaims);
      }
      await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    })().catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  return {
    issuer,
    clientId,
    clientSecret,
    redirectUri,
    accounts,
    get nextLogin() {
      return state.nextLogin;
    },
    set nextLogin(l: TestLogin) {
      state.nextLogin = l;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Play the browser between Haven's start redirect and the provider's redirect back: follow Location headers at the
 * provider with a cookie jar of its own (fresh per login, so no provider session carries over) until the provider
 * redirects to `redirectUri`. Returns that final URL (with code, state and iss).
 * @param authorizationUrl - the Location Haven's start route gave
 * @param redirectUri - Haven's callback URL
 */
export async function followProviderRedirects(authorizationUrl: string, redirectUri: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = new URL(authorizationUrl);
  for (let hop = 0; hop < 12; hop++) {
    if (url.href.startsWith(redirectUri)) {
      return url;
    }
    const res = await fetch(url, { redirect: 'manual', headers: jar.size ? { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {} });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const location = res.headers.get('location');
    if (location === null) {
      throw new Error(`provider answered ${res.status} without a redirect: ${(await res.text()).slice(0, 300)}`);
    }
    url = new URL(location, url);
  }
  throw new Error('too many redirects at the provider');
}
