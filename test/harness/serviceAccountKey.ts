import crypto from 'node:crypto';

export interface ThrowawayServiceAccountKey {
  /** The key file's content, as the Firebase console hands it out. */
  json: string;
  clientEmail: string;
  privateKey: string;
  /** A line of the private key, which no output may ever contain. */
  privateKeyLine: string;
}

/** A service account key file of `projectId` with a fresh RSA key, which no Google service knows. */
export function throwawayServiceAccountKey(projectId: string): ThrowawayServiceAccountKey {
  const { privateKey } = crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const clientEmail = `imagepipe-${crypto.randomUUID().slice(0, 8)}@${projectId}.iam.gserviceaccount.com`;
  const json = JSON.stringify({
    type: 'service_account',
    project_id: projectId,
    private_key_id: crypto.randomBytes(20).toString('hex'),
    private_key: privateKey,
    client_email: clientEmail,
    client_id: String(crypto.randomInt(1e9)),
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: 'https://oauth2.googleapis.com/token',
  });
  return { json, clientEmail, privateKey, privateKeyLine: privateKey.split('\n')[5]! };
}
