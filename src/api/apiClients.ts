import type { Client } from '@temporalio/client';
import type { Auth } from 'firebase-admin/auth';
import { createFirebaseAuth } from '../clients/firebase';
import { createStorageClients, type StorageClients } from '../clients/storageClients';
import { createTemporalClient } from '../clients/temporal';
import type { Config } from '../config';

/** Every client the API talks through, built once from the configuration. */
export interface ApiClients extends StorageClients {
  temporal: Client;
  firebaseAuth: Auth;
  close: () => Promise<void>;
}

export function createApiClients(config: Config): ApiClients {
  const storage = createStorageClients(config);
  const temporal = createTemporalClient(config);
  return {
    ...storage,
    temporal,
    firebaseAuth: createFirebaseAuth(config),
    close: async () => {
      await temporal.connection.close().catch(() => undefined);
      storage.destroy();
    },
  };
}
