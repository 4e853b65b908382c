// Sign in and sign up (the API signs in against the Firebase Auth emulator locally, Firebase in production).
import { ApiError } from './api.js';
import { byId } from './dom.js';

/** The sign-in form, in either of its modes; `onSignedIn` runs once the session holds the new tokens. */
export function createAuthForm({ api, session, onSignedIn }) {
  let mode = 'sign-in';

  function setMode(next) {
    mode = next;
    const signUp = mode === 'sign-up';
    byId('auth-title').textContent = signUp ? 'Create your account' : 'Sign in';
    byId('auth-submit').textContent = signUp ? 'Create account' : 'Sign in';
    byId('mode-sign-in').setAttribute('aria-pressed', String(!signUp));
    byId('mode-sign-up').setAttribute('aria-pressed', String(signUp));
    byId('password').autocomplete = signUp ? 'new-password' : 'current-password';
    byId('password-hint').hidden = !signUp;
    byId('auth-error').textContent = '';
  }

  function refusal(error) {
    if (!(error instanceof ApiError)) return 'The service could not be reached. Try again.';
    if (error.status === 409) return 'An account with this email already exists: sign in instead.';
    return error.problem?.detail ?? `That did not work (${error.status}). Try again.`;
  }

  async function submit(event) {
    event.preventDefault();
    const email = byId('email').value.trim();
    const password = byId('password').value;
    byId('auth-error').textContent = '';
    byId('auth-submit').disabled = true;
    try {
      await (mode === 'sign-up' ? api.signUp(email, password) : api.signIn(email, password));
      onSignedIn();
    } catch (error) {
      byId('auth-error').textContent = refusal(error);
    } finally {
      byId('auth-submit').disabled = false;
    }
  }

  byId('mode-sign-in').addEventListener('click', () => setMode('sign-in'));
  byId('mode-sign-up').addEventListener('click', () => setMode('sign-up'));
  byId('auth-form').addEventListener('submit', submit);

  return {
    /** Shows the form, with why the last session ended if it did. */
    show() {
      byId('auth').hidden = false;
      byId('app').hidden = true;
      const notice = session.takeNotice();
      if (notice) byId('auth-error').textContent = notice;
    },
  };
}
