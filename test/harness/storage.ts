import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createStorageClients, type StorageClients } from '../../src/clients/storageClients';
import type { Config } from '../../src/config';
import { createStorage, type Storage } from '../../src/storage/createStorage';
import { testConfig } from './stackEnv';

export interface TestStorage extends Storage {
  /** The raw clients, for looking at what was stored (listing a prefix, reading an item). */
  clients: StorageClients;
  config: Config;
  destroy: () => void;
}

/** The service's own object store and repositories over the test stack, as the API and the worker build them. */
export function testStorage(config: Config = testConfig()): TestStorage {
  const clients = createStorageClients(config);
  return { ...createStorage(clients, config), clients, config, destroy: clients.destroy };
}

/** Hides an image's embedding as its soft delete does (the delete's writes to the embeddings table, alone). */
export async function hideEmbedding(storage: TestStorage, userId: string, imageId: string): Promise<void> {
  await storage.clients.documents.send(
    new TransactWriteCommand({
      TransactItems: storage.embeddings.visibilityWrites(userId, imageId, true, new Date().toISOString()),
    }),
  );
}
