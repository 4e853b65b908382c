import { createFirebaseAuth } from '../../src/clients/firebase';
import { startApi, type RunningApi } from '../harness/apiServer';
import { emulatorClaims, emulatorToken } from '../harness/emulatorToken';
import { ApiClient } from '../harness/httpClient';
import { createTestUser, signIn, type TestUser } from '../harness/users';

describe('auth', () => {
  let api: RunningApi;
  let client: ApiClient;
  let user: TestUser;

  beforeAll(async () => {
    api = await startApi();
    client = new ApiClient(api.url);
    user = await createTestUser(api.config);
  });
  afterAll(() => api.close());

  const tokenFor = (username: string, password: string) =>
    client.request('POST', '/api/v1/auth/token', {
      body: new URLSearchParams({ username, password }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

  it('exchanges email and password for a bearer token that /auth/me accepts', async () => {
    const response = await tokenFor(user.email, user.password);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
    const me = await client.withToken(response.body.access_token).get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ user_id: user.uid, email: user.email, email_verified: false });
  });

  it('answers a wrong password, an unknown user and a disabled user alike', async () => {
    const disabled = await createTestUser(api.config);
    await createFirebaseAuth(api.config).updateUser(disabled.uid, { disabled: true });
    const answers = await Promise.all([
      tokenFor(user.email, 'wrong-password'),
      tokenFor('nobody@example.test', 'whatever'),
      tokenFor(disabled.email, disabled.password),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.contentType).toMatch(/^application\/problem\+json/);
      expect(answer.body.detail).toBe('Invalid email or password.');
    }
  });

  it('refuses a token request without credentials', async () => {
    const response = await tokenFor('not-an-email', '');
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual(['username', 'password']);
  });

  describe('bearer tokens', () => {
    const claims = (overrides: Record<string, unknown>) =>
      emulatorClaims(api.config.firebase.projectId, user.uid, overrides);

    it.each([
      ['no Authorization header', undefined, 'Authorization: Bearer <Firebase ID token> is required.'],
      ['a non-Bearer scheme', 'Basic dXNlcjpwYXNz', 'The Authorization header is not a Bearer token.'],
      ['a malformed token', 'Bearer not-a-jwt', 'The token is not valid for this service.'],
    ])('refuses %s with 401', async (_case, header, detail) => {
      const response = await client.get('/api/v1/auth/me', header ? { authorization: header } : {});
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(response.body).toMatchObject({ status: 401, detail });
    });

    it.each([
      [
        'an expired token',
        { exp: 1_700_000_000, iat: 1_699_996_400, auth_time: 1_699_996_400 },
        'The token has expired.',
      ],
      ['a token for another audience', { aud: 'demo-another-project' }, 'The token is not valid for this service.'],
      [
        'a token from another project',
        { iss: 'https://securetoken.google.com/demo-another-project' },
        'The token is not valid for this service.',
      ],
    ])('refuses %s with 401', async (_case, overrides, detail) => {
      const response = await client.withToken(emulatorToken(claims(overrides))).get('/api/v1/auth/me');
      expect(response.status).toBe(401);
      expect(response.body.detail).toBe(detail);
    });

    it("refuses the token of a uid starting with #, the prefix of the service's own partitions", async () => {
      const uid = `#held-events#${Date.now()}`;
      await createFirebaseAuth(api.config).createUser({ uid });
      const response = await client
        .withToken(emulatorToken(emulatorClaims(api.config.firebase.projectId, uid)))
        .get('/api/v1/auth/me');
      expect(response.status).toBe(401);
      expect(response.body.detail).toBe('The token is not valid for this service.');
    });

    it('refuses a token issued before its refresh tokens were revoked', async () => {
      const victim = await createTestUser(api.config);
      await new Promise((resolve) => setTimeout(resolve, 1_100)); // revocation has one-second resolution
      await createFirebaseAuth(api.config).revokeRefreshTokens(victim.uid);
      const response = await client.withToken(victim.idToken).get('/api/v1/auth/me');
      expect(response.status).toBe(401);
      expect(response.body.detail).toBe('The token is no longer valid.');
      const fresh = await signIn(api.config, victim.email, victim.password);
      expect((await client.withToken(fresh).get('/api/v1/auth/me')).status).toBe(200);
    });
  });
});
