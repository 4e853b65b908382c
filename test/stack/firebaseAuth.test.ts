import { createFirebaseAuth } from '../../src/clients/firebase';
import { testConfig } from '../harness/stackEnv';
import { createTestUser } from '../harness/users';

describe('Firebase Auth emulator', () => {
  const config = testConfig();
  const auth = createFirebaseAuth(config);

  it('issues an ID token that firebase-admin verifies for the right user and project', async () => {
    const user = await createTestUser(config);
    const decoded = await auth.verifyIdToken(user.idToken, true);
    expect(decoded.uid).toBe(user.uid);
    expect(decoded.email).toBe(user.email);
    expect(decoded.aud).toBe(config.firebase.projectId);
  });

  it('rejects a token that is not a Firebase ID token', async () => {
    await expect(auth.verifyIdToken('not.a.token')).rejects.toMatchObject({ code: 'auth/argument-error' });
  });
});
