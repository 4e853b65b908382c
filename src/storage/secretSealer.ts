import crypto from 'node:crypto';

/** How a sealed secret starts; the key's fingerprint, the IV and the sealed bytes follow, `:`-separated. */
const SEALED = 'sealed:v1:';
const TAG_BYTES = 16;

/** A stored secret that cannot be opened: sealed with no key or another key configured, or altered. */
export class SecretSealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretSealError';
  }
}

/**
 * Seals secrets the service must read back (webhook signing secrets) before they are stored, with the operator's
 * WEBHOOK_SECRETS_KEY: AES-256-GCM under a key derived from it (HKDF-SHA256), bound to what the secret belongs to
 * (associated data), so a copy of the table, its backups or exports gives no secret, and a sealed value copied onto
 * another endpoint does not open. Without a key, secrets are stored as they are (local development); one stored so
 * still opens once a key is set, and is sealed when next written.
 */
export class SecretSealer {
  private readonly key?: Buffer;
  /** Names the key in each sealed value, so one sealed with another key is told apart from one altered. */
  private readonly fingerprint?: string;

  constructor(passphrase: string | undefined) {
    if (!passphrase) return;
    this.key = Buffer.from(crypto.hkdfSync('sha256', passphrase, 'imagepipe', 'webhook signing secrets', 32));
    this.fingerprint = crypto.createHash('sha256').update(this.key).digest('hex').slice(0, 8);
  }

  /** `secret` sealed for `owner` (what it belongs to), or as it is without a key. */
  seal(secret: string, owner: string): string {
    if (!this.key) return secret;
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(owner));
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${SEALED}${this.fingerprint}:${iv.toString('base64url')}:${sealed.toString('base64url')}`;
  }

  /** The secret a stored value holds for `owner` (SecretSealError when it cannot be opened). */
  open(stored: string, owner: string): string {
    if (!stored.startsWith(SEALED)) return stored;
    const [fingerprint, iv, sealed] = stored.slice(SEALED.length).split(':');
    if (!this.key) throw new SecretSealError('A webhook secret is sealed, and WEBHOOK_SECRETS_KEY is not set.');
    if (fingerprint !== this.fingerprint)
      throw new SecretSealError(
        `A webhook secret is sealed with another WEBHOOK_SECRETS_KEY (fingerprint ${fingerprint}, this one's ${this.fingerprint}).`,
      );
    const bytes = Buffer.from(sealed ?? '', 'base64url');
    try {
      const decipher = crypto
        .createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv ?? '', 'base64url'))
        .setAAD(Buffer.from(owner));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new SecretSealError(`A webhook secret does not open for ${owner}: it was altered or copied from another.`);
    }
  }
}
