/** An unsigned token as the Auth emulator issues them, with claims of our choosing (expired, other project...). */
export function emulatorToken(claims: Record<string, unknown>): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
}

/** The claims of a valid emulator token for `uid` in `projectId`, with overrides. */
export function emulatorClaims(
  projectId: string,
  uid: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: `https://securetoken.google.com/${projectId}`,
    aud: projectId,
    sub: uid,
    user_id: uid,
    auth_time: now - 10,
    iat: now - 10,
    exp: now + 3600,
    firebase: { sign_in_provider: 'password', identities: {} },
    ...overrides,
  };
}
