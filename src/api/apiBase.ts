import type { Request } from 'express';
import type { Config } from '../config';

/** The base of absolute URLs handed to the client: API_PUBLIC_URL, or what the request itself came in on. */
export function apiBase(req: Request, config: Pick<Config, 'api'>): string {
  return config.api.publicUrl ?? `${req.protocol}://${req.get('host')}`;
}
