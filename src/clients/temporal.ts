import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config';

/**
 * How the API and the worker reach Temporal: plain gRPC only when nothing asks for TLS; an API key or a client
 * certificate (mTLS, Temporal Cloud's other way in) implies it.
 */
export function connectionOptions(config: Config) {
  const { clientCertificate, serverCa, apiKey } = config.temporal;
  const tls = config.temporal.tls || Boolean(apiKey) || Boolean(clientCertificate);
  const settings = {
    ...(clientCertificate && {
      clientCertPair: { crt: Buffer.from(clientCertificate.cert), key: Buffer.from(clientCertificate.key) },
    }),
    ...(serverCa && { serverRootCACertificate: Buffer.from(serverCa) }),
  };
  return {
    address: config.temporal.address,
    tls: tls && Object.keys(settings).length > 0 ? settings : tls,
    apiKey,
  };
}

/**
 * Connects on first use rather than at start-up, so the API starts (and answers 503 from /readyz)
 * while Temporal is still down, and recovers once it is back without a restart.
 */
export function createTemporalClient(config: Config): Client {
  return new Client({ connection: Connection.lazy(connectionOptions(config)), namespace: config.temporal.namespace });
}
