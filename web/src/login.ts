/**
 * Sign-in with the browser session API: password (POST /api/auth/login, which sets the HttpOnly session cookie and
 * returns the CSRF token), then the second factor (POST /api/auth/mfa/verify with a TOTP code or a recovery code,
 * which rotates the session). First-login steps (password change, authenticator enrolment) are done with the CLI.
 */
import { api, ApiError, type SessionInfo } from './api.js';
import { h, replace, type Child } from './dom.js';
import { input, notice } from './ui.js';

type Next = 'change_password' | 'enrol_mfa' | 'verify_mfa' | 'done';

function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    return err.code === 'HAVEN_AUTH_INVALID_CREDENTIALS' ? 'The user name or password is wrong.' : `${err.message} (${err.code})`;
  }
  return 'The server cannot be reached.';
}

function nextPage(): string {
  const next = new URLSearchParams(location.search).get('next') ?? '';
  // Only a page name: never a path or another origin.
  return `/app/${/^[a-z-]{1,64}$/.test(next) ? next : ''}`;
}

/**
 * The sign-in page: the password form, or the second-factor form when the session has passed the password step.
 * @param session - the current (incomplete) session, or null
 * @param navigate - go to a page once signed in
 */
export function renderLogin(session: SessionInfo | null, navigate: (url: string) => void): Child[] {
  const status = h('div', { attrs: { 'aria-live': 'polite' } });
  const box = h('div', { class: 'login' });
  const after = (next: Next): void => {
    if (next === 'done') {
      navigate(nextPage());
    } else if (next === 'verify_mfa') {
      replace(box, codeForm());
      box.querySelector('input')?.focus();
    } else {
      replace(
        status,
        notice(
          'alert',
          'This account must finish its first sign-in (password change and authenticator enrolment) with the haven CLI before using the dashboard.',
        ),
      );
    }
  };
  const submitting = (form: HTMLFormElement, busy: boolean): void => {
    form.querySelectorAll('button, input').forEach((el) => ((el as HTMLInputElement).disabled = busy));
    form.setAttribute('aria-busy', String(busy));
  };
  const passwordForm = (): HTMLFormElement => {
    const form = h(
      'form',
      {
        attrs: { 'aria-labelledby': 'login-title', novalidate: true },
        on: {
          submit: (e) => {
            e.preventDefault();
            const data = new FormData(form);
            submitting(form, true);
            replace(status);
            api<{ next: Next }>('POST', '/api/auth/login', { username: String(data.get('username') ?? ''), password: String(data.get('password') ?? '') })
              .then((r) => after(r.next))
              .catch((err: unknown) => replace(status, notice('alert', errorText(err))))
              .finally(() => submitting(form, false));
          },
        },
      },
      input('username', 'User name', { type: 'text', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' }),
      input('password', 'Password', { type: 'password', autocomplete: 'current-password', required: true }),
      h('button', { attrs: { type: 'submit' } }, 'Sign in'),
    );
    return form;
  };
  const codeForm = (): HTMLFormElement => {
    const form = h(
      'form',
      {
        attrs: { 'aria-label': 'Second factor', novalidate: true },
        on: {
          submit: (e) => {
            e.preventDefault();
            const code = String(new FormData(form).get('code') ?? '').replace(/\s+/g, '');
            submitting(form, true);
            replace(status);
            api<{ next: Next }>('POST', '/api/auth/mfa/verify', /^[0-9]{6}$/.test(code) ? { code } : { recoveryCode: code })
              .then((r) => after(r.next))
              .catch((err: unknown) => replace(status, notice('alert', errorText(err))))
              .finally(() => submitting(form, false));
          },
        },
      },
      h('p', {}, 'Enter the 6-digit code from your authenticator app, or a recovery code.'),
      input('code', 'Authentication code', { type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', required: true, spellcheck: 'false' }),
      h('button', { attrs: { type: 'submit' } }, 'Verify'),
    );
    return form;
  };
  replace(box, session && !session.fullyAuthenticated ? codeForm() : passwordForm());
  return [h('h1', { attrs: { id: 'login-title' } }, 'Sign in to Haven'), box, status];
}
