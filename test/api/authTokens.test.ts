import crypto from 'node:crypto';
import { startApi, type RunningApi } from '../harness/apiServer';
import { freshClientAddress } from '../harness/clientAddress';
import { ApiClient } from '../harness/httpClient';
import { createTestUser } from '../harness/users';

describe('sign-up and refresh tokens', () => {
  let api: RunningApi;
  let client: ApiClient;

  beforeAll(async () => {
    api = await startApi();
    client = new ApiClient(api.url);
  });
  afterAll(() => api.close());

  const newEmail = () => `signup-${crypto.randomUUID()}@example.test`;
  const form = (fields: Record<string, string>) => ({
    body: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const signUp = (email: string, password: string) =>
    client.request('POST', '/api/v1/auth/signup', {
      body: JSON.stringify({ email, password }),
      headers: { 'content-type': 'application/json' },
    });
  const token = (fields: Record<string, string>) => client.request('POST', '/api/v1/auth/token', form(fields));

  it('signs up a new account and answers its session, whose token /auth/me accepts', async () => {
    const email = newEmail();
    const response = await signUp(email, 'correct horse battery');
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.body).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
    expect(typeof response.body.refresh_token).toBe('string');
    const me = await client.withToken(response.body.access_token).get('/api/v1/auth/me');
    expect(me.body).toEqual({ user_id: response.body.user_id, email, email_verified: false });
  });

  it('takes the sign-up as a form too', async () => {
    const response = await client.request(
      'POST',
      '/api/v1/auth/signup',
      form({ email: newEmail(), password: 'correct horse battery' }),
    );
    expect(response.status).toBe(201);
  });

  it('refuses an email address that has an account with 409', async () => {
    const email = newEmail();
    expect((await signUp(email, 'correct horse battery')).status).toBe(201);
    const again = await signUp(email, 'another password');
    expect(again.status).toBe(409);
    expect(again.contentType).toMatch(/^application\/problem\+json/);
    expect(again.body.detail).toBe('An account with this email address exists already.');
  });

  it('refuses a weak password, a bad email address and a missing password with 400', async () => {
    const weak = await signUp(newEmail(), '12345');
    expect(weak.status).toBe(400);
    // Firebase Auth's own minimum, stated in the schema (the document says it too).
    expect(weak.body.errors).toEqual([{ field: 'password', message: 'at least 6 characters' }]);
    const badEmail = await signUp('not-an-email', 'correct horse battery');
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.errors).toEqual([{ field: 'email', message: 'must be an email address' }]);
    const noPassword = await client.request('POST', '/api/v1/auth/signup', form({ email: newEmail() }));
    expect(noPassword.status).toBe(400);
    expect(noPassword.body.errors.map((error: { field: string }) => error.field)).toEqual(['password']);
  });

  it('renews a session with the refresh grant; the new access token authenticates', async () => {
    const user = await createTestUser(api.config);
    const signedIn = await token({ username: user.email, password: user.password });
    expect(signedIn.status).toBe(200);
    expect(typeof signedIn.body.refresh_token).toBe('string');
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: signedIn.body.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
    expect(typeof refreshed.body.refresh_token).toBe('string');
    const me = await client.withToken(refreshed.body.access_token).get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user_id).toBe(user.uid);
  });

  it('refuses a refresh token that is not one with 401 invalid_grant', async () => {
    const response = await token({ grant_type: 'refresh_token', refresh_token: 'not-a-refresh-token' });
    expect(response.status).toBe(401);
    expect(response.contentType).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ error: 'invalid_grant' });
  });

  it('limits sign-ups per client address and per email address, as sign-ins', async () => {
    const limited = await startApi({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '60', SIGN_IN_RATE_LIMIT_BURST: '2' });
    try {
      const email = newEmail();
      const statuses = [];
      for (const address of [freshClientAddress(), freshClientAddress(), freshClientAddress()]) {
        const response = await fetch(`${limited.url}/api/v1/auth/signup`, {
          method: 'POST',
          // The API trusts X-Forwarded-For from a proxy on loopback (API_TRUST_PROXY's default), as the tests' client is.
          headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
          body: JSON.stringify({ email, password: 'correct horse battery' }),
        });
        statuses.push(response.status);
      }
      expect(statuses).toEqual([201, 409, 429]);
    } finally {
      await limited.close();
    }
  });

  it('refuses a grant type it does not know with 400', async () => {
    const response = await token({ grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'unsupported_grant_type' });
  });
});
