import type { Auth } from 'firebase-admin/auth';
import type { Config } from '../config';
import type { DependencyCheck } from './readiness';

// The public keys Firebase ID tokens are signed with: reachable means tokens can be verified.
const FIREBASE_TOKEN_KEYS_URL =
  'https://www.googleapis.com/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com';

/** A uid no user has: looking it up reads nothing, and its answer says whether the lookup itself works. */
const PROBE_UID = 'imagepipe-readiness-probe';

/**
 * How long a lookup that worked vouches for the credential. Probes come every few seconds from each load balancer
 * or orchestrator, and every lookup is a call to Google counted against the project's quota, while a key seldom
 * stops working between two. A failure is never kept: until a lookup works again, every probe asks.
 */
export const LOOKUP_VERDICT_MS = 60_000;

async function expectOk(url: string, signal: AbortSignal): Promise<void> {
  const response = await fetch(url, { signal });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`HTTP ${response.status} from ${new URL(url).host}`);
}

/**
 * What revocation checks do, done on a uid no user has: `auth/user-not-found` is Firebase answering this service's
 * credential, any other error (a key Google refuses, its token endpoint unreachable) means tokens cannot be checked.
 */
export function userLookupCheck(auth: Pick<Auth, 'getUser'>, now: () => number = Date.now): () => Promise<void> {
  let goodUntil = 0;
  return async () => {
    if (now() < goodUntil) return;
    try {
      await auth.getUser(PROBE_UID);
    } catch (error) {
      if ((error as { code?: string }).code !== 'auth/user-not-found') throw error;
    }
    goodUntil = now() + LOOKUP_VERDICT_MS;
  };
}

/** What went wrong with one part of a check, named; none when it went well. */
async function failureOf(part: string, running: Promise<void>): Promise<string | undefined> {
  try {
    await running;
    return undefined;
  } catch (error) {
    return `${part}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * Firebase Auth as this API uses it: the keys tokens are verified with (the emulator's project, locally) and, with
 * FIREBASE_CHECK_REVOKED, the user lookups revocation checks make. Each part that failed is named in the error.
 */
export function firebaseAuthCheck(auth: Auth, config: Config): DependencyCheck {
  const { authEmulatorHost: emulator, projectId, checkRevoked } = config.firebase;
  const keysUrl = emulator ? `http://${emulator}/emulator/v1/projects/${projectId}/config` : FIREBASE_TOKEN_KEYS_URL;
  const lookUp = checkRevoked ? userLookupCheck(auth) : undefined;
  return {
    name: 'firebase_auth',
    check: async (signal) => {
      const failures = await Promise.all([
        failureOf('token keys', expectOk(keysUrl, signal)),
        lookUp && failureOf('user lookup', lookUp()),
      ]);
      const failed = failures.filter((failure) => failure !== undefined);
      if (failed.length > 0) throw new Error(failed.join('; '));
    },
  };
}
