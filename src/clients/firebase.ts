import { cert, getApps, initializeApp, type App, type AppOptions } from 'firebase-admin/app';
import { getAuth, type Auth } from 'firebase-admin/auth';
import type { Config } from '../config';

/**
 * firebase-admin reads FIREBASE_AUTH_EMULATOR_HOST from the environment itself, so the configured value is
 * put there before the app is created; with it set, tokens from the Auth emulator are accepted.
 * The configured service account key, when there is one, is the app's credential: firebase-admin otherwise looks for
 * Google's default credentials, which only Google Cloud provides by itself.
 */
export function createFirebaseAuth(config: Config): Auth {
  const { projectId, authEmulatorHost, serviceAccount } = config.firebase;
  if (authEmulatorHost) process.env.FIREBASE_AUTH_EMULATOR_HOST = authEmulatorHost;
  // firebase-admin refuses a second app of one name with other options: one app per project and service account,
  // and per emulator (an app's Auth keeps the emulator it first saw: a benchmark runs two stacks in one process).
  const name = ['imagepipe', projectId, serviceAccount?.clientEmail, authEmulatorHost].filter(Boolean).join('-');
  const options: AppOptions = serviceAccount ? { projectId, credential: cert(serviceAccount) } : { projectId };
  const app: App = getApps().find((existing) => existing.name === name) ?? initializeApp(options, name);
  return getAuth(app);
}
