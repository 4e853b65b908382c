import { apiEndpoint, normalizeApiUrl, resolveApiUrl } from '../../src/cli/apiUrl';
import { isLoopbackHost } from '../../src/cli/plainHttp';
import { refuseOutsideApi } from '../../src/cli/tokenScope';

/** The rules behind where the CLI sends its tokens, on their own (tokenScope.test.ts runs them as a user meets them). */
describe('the API URL', () => {
  it('names this machine by 127.0.0.0/8, ::1 or localhost only', () => {
    const hostOf = (url: string) => new URL(url).hostname;
    for (const url of [
      'http://127.0.0.1',
      'http://127.8.9.10',
      'http://[::1]',
      'http://LOCALHOST',
      'http://2130706433',
    ])
      expect([url, isLoopbackHost(hostOf(url))]).toEqual([url, true]);
    for (const url of ['http://127.0.0.1.example.com', 'http://[::ffff:127.0.0.1]', 'http://0.0.0.0', 'http://vm'])
      expect([url, isLoopbackHost(hostOf(url))]).toEqual([url, false]);
  });

  it('refuses plain http off this machine unless allowed; https anywhere', () => {
    expect(() => resolveApiUrl({ api: 'http://api.example.com' }, undefined, {})).toThrow(/--allow-http/);
    expect(resolveApiUrl({ api: 'http://api.example.com', allowHttp: true }, undefined, {})).toBe(
      'http://api.example.com',
    );
    expect(resolveApiUrl({}, 'http://api.example.com', { IMAGEPIPE_ALLOW_HTTP: 'true' })).toBe(
      'http://api.example.com',
    );
    expect(resolveApiUrl({}, undefined, { IMAGEPIPE_API_URL: 'https://api.example.com/' })).toBe(
      'https://api.example.com',
    );
  });

  it('normalises the spellings of one API alike, keeping its base path', () => {
    expect(normalizeApiUrl('HTTPS://API.Example.com:443/imagepipe/./api/v1/')).toBe(
      'https://api.example.com/imagepipe',
    );
    expect(() => normalizeApiUrl('https://user:secret@api.example.com')).toThrow(/no user name/);
    expect(apiEndpoint('https://api.example.com/imagepipe', '/api/v1/images').href).toBe(
      'https://api.example.com/imagepipe/api/v1/images',
    );
  });

  it('lets a request have the token only under the API base URL', () => {
    const base = 'https://api.example.com/imagepipe';
    expect(() => refuseOutsideApi(base, `${base}/api/v1/images/a/complete`)).not.toThrow();
    for (const elsewhere of [
      'https://api.example.com/imagepipe-other/api/v1/images/a/complete',
      'https://api.example.com/imagepipe/../other/api/v1/images/a/complete',
      'https://api.example.com.evil.test/imagepipe/api/v1/images/a/complete',
      'https://api.example.com@evil.test/imagepipe/api/v1/images/a/complete',
      'http://api.example.com/imagepipe/api/v1/images/a/complete',
      'https://api.example.com:8443/imagepipe/api/v1/images/a/complete',
    ])
      expect(() => refuseOutsideApi(base, elsewhere)).toThrow(/your token is not sent there/);
  });
});
