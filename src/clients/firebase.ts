import { getApps, initializeApp, type App } from 'firebase-admin/app';
import { getAuth, type Auth } from 'firebase-admin/auth';
import type { Config } from '../config';

/**
 * firebase-admin reads FIREBASE_AUTH_EMULATOR_HOST from the environment itself, so the configured value is
 * put there before the app is created; with it set, tokens from the Auth emulator are accepted.
 */
export function createFirebaseAuth(config: Config): Auth {
  if (config.firebase.authEmulatorHost) process.env.FIREBASE_AUTH_EMULATOR_HOST = config.firebase.authEmulatorHost;
  const name = `imagepipe-${config.firebase.projectId}`;
  const app: App =
    getApps().find((existing) => existing.name === name) ??
    initializeApp({ projectId: config.firebase.projectId }, name);
  return getAuth(app);
}
