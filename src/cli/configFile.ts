import fs from 'node:fs/promises';
import path from 'node:path';
import envPaths from 'env-paths';

/** What `login` keeps between runs: where the API is, who signed in, and their tokens. */
export interface StoredLogin {
  api_url: string;
  email: string;
  refresh_token: string;
  /** The last ID token and when it expires (ms since the epoch): reused until then, saving a refresh per run. */
  access_token?: string;
  access_expires_at?: number;
}

/** The folder of the CLI's config: IMAGEPIPE_CONFIG_DIR, else the platform's (~/.config/imagepipe on Linux). */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.IMAGEPIPE_CONFIG_DIR || envPaths('imagepipe', { suffix: '' }).config;
}

const loginPath = (env?: NodeJS.ProcessEnv) => path.join(configDir(env), 'login.json');

export async function readLogin(env?: NodeJS.ProcessEnv): Promise<StoredLogin | undefined> {
  try {
    return JSON.parse(await fs.readFile(loginPath(env), 'utf8')) as StoredLogin;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Writes the login readable by its owner only (mode 600, in a folder of mode 700): the refresh token signs in as
 * them. Written aside and renamed, so a run that stops half-way leaves the previous login whole.
 */
export async function writeLogin(login: StoredLogin, env?: NodeJS.ProcessEnv): Promise<string> {
  const file = loginPath(env);
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const pending = `${file}.${process.pid}.tmp`;
  await fs.writeFile(pending, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 });
  await fs.rename(pending, file);
  return file;
}
