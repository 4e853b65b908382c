import { SecretSealer, SecretSealError } from '../../src/storage/secretSealer';

const KEY = 'a-random-string-of-at-least-32-characters-for-tests';
const OWNER = 'webhook/user-1/hook-1';

/** Sealed secrets open only with their key and for their owner; a value stored before a key was set still opens. */
describe('SecretSealer', () => {
  const sealer = new SecretSealer(KEY);

  it('seals a secret so that the stored value does not hold it, differently each time, and opens it again', () => {
    const sealed = sealer.seal('whsec_abc', OWNER);
    expect(sealed).toMatch(/^sealed:v1:[0-9a-f]{8}:/);
    expect(sealed).not.toContain('whsec_abc');
    expect(sealer.seal('whsec_abc', OWNER)).not.toBe(sealed);
    expect(sealer.open(sealed, OWNER)).toBe('whsec_abc');
    expect(new SecretSealer(KEY).open(sealed, OWNER)).toBe('whsec_abc');
  });

  it('refuses a sealed value for another owner, altered, sealed with another key, or with no key', () => {
    const sealed = sealer.seal('whsec_abc', OWNER);
    expect(() => sealer.open(sealed, 'webhook/user-2/hook-1')).toThrow(SecretSealError);
    const altered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(() => sealer.open(altered, OWNER)).toThrow(/altered or copied/);
    expect(() => sealer.open('sealed:v1:', OWNER)).toThrow(SecretSealError);
    expect(() => new SecretSealer(`${KEY}-another`).open(sealed, OWNER)).toThrow(/another WEBHOOK_SECRETS_KEY/);
    expect(() => new SecretSealer(undefined).open(sealed, OWNER)).toThrow(/WEBHOOK_SECRETS_KEY is not set/);
  });

  it('stores secrets as they are without a key, and opens such a value with or without one', () => {
    const clear = new SecretSealer(undefined);
    expect(clear.seal('whsec_abc', OWNER)).toBe('whsec_abc');
    expect(clear.open('whsec_abc', OWNER)).toBe('whsec_abc');
    expect(sealer.open('whsec_abc', OWNER)).toBe('whsec_abc');
  });
});
