import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config';

export function connectionOptions(config: Config) {
  return {
    address: config.temporal.address,
    tls: config.temporal.tls || Boolean(config.temporal.apiKey),
    apiKey: config.temporal.apiKey,
  };
}

/**
 * Connects on first use rather than at start-up, so the API starts (and answers 503 from /readyz)
 * while Temporal is still down, and recovers once it is back without a restart.
 */
export function createTemporalClient(config: Config): Client {
  return new Client({ connection: Connection.lazy(connectionOptions(config)), namespace: config.temporal.namespace });
}
