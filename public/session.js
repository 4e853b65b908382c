// The session: the signed-in person's tokens, in sessionStorage so that they go with the tab.

const SESSION_KEY = 'imagepipe-session';
const NOTICE_KEY = 'imagepipe-notice';

/**
 * @typedef {object} Session
 * @property {string} access_token
 * @property {string} [refresh_token]
 * @property {number} expires_at Epoch milliseconds.
 * @property {string} [email]
 */

function read() {
  try {
    return JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
  } catch {
    return null;
  }
}

/** The session store: the one kept in the tab, if any. */
export function createSession() {
  /** @type {Session | null} */
  let current = read();
  return {
    get current() {
      return current;
    },

    /** Keeps tokens the API answered (see api.js), with the email they were given for. */
    save(tokens, email) {
      current = {
        access_token: tokens.access_token,
        // The refresh grant may answer without a new refresh token: the old one stays good.
        refresh_token: tokens.refresh_token ?? current?.refresh_token,
        expires_at: Date.now() + Number(tokens.expires_in ?? 3600) * 1000,
        email: email ?? current?.email,
      };
      sessionStorage.setItem(SESSION_KEY, JSON.stringify(current));
    },

    /** Back to the sign-in form with a clean page: uploads in flight, timers and state all go with it. */
    end(notice) {
      sessionStorage.removeItem(SESSION_KEY);
      if (notice) sessionStorage.setItem(NOTICE_KEY, notice);
      location.replace(location.pathname);
    },

    /** Why the last session ended, once: the sign-in form shows it. */
    takeNotice() {
      const notice = sessionStorage.getItem(NOTICE_KEY);
      sessionStorage.removeItem(NOTICE_KEY);
      return notice;
    },
  };
}
