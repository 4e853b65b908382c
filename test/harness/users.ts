import crypto from 'node:crypto';
import type { Config } from '../../src/config';
import { createFirebaseAuth } from '../../src/clients/firebase';

export interface TestUser {
  uid: string;
  email: string;
  password: string;
  idToken: string;
}

/** Signs in against the Auth emulator's Identity Toolkit endpoint, as a client app would. */
export async function signIn(config: Config, email: string, password: string): Promise<string> {
  const url = `http://${config.firebase.authEmulatorHost}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=${config.firebase.apiKey}`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, returnSecureToken: true }),
  });
  const body = (await response.json()) as { idToken?: string; error?: { message: string } };
  if (!response.ok || !body.idToken) throw new Error(`sign-in failed: ${body.error?.message ?? response.status}`);
  return body.idToken;
}

/** A fresh emulator user with a password, signed in. */
export async function createTestUser(config: Config): Promise<TestUser> {
  const email = `user-${crypto.randomUUID()}@example.test`;
  const password = crypto.randomBytes(12).toString('base64url');
  const { uid } = await createFirebaseAuth(config).createUser({ email, password });
  return { uid, email, password, idToken: await signIn(config, email, password) };
}
