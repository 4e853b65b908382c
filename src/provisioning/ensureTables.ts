import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  waitUntilTableExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { Config } from '../config';
import { checksumsTableDefinition } from '../storage/tables/checksumsTable';
import { clustersTableDefinition } from '../storage/tables/clustersTable';
import { embeddingsTableDefinition } from '../storage/tables/embeddingsTable';
import { imagesTableDefinition } from '../storage/tables/imagesTable';
import { searchTermsTableDefinition } from '../storage/tables/searchTermsTable';

export function tableDefinitions(config: Config): CreateTableCommandInput[] {
  return [
    imagesTableDefinition(config.dynamodb.imagesTable),
    embeddingsTableDefinition(config.dynamodb.embeddingsTable),
    clustersTableDefinition(config.dynamodb.clustersTable),
    searchTermsTableDefinition(config.dynamodb.searchTermsTable),
    checksumsTableDefinition(config.dynamodb.checksumsTable),
  ];
}

async function tableExists(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}

/** Creates each missing table with its GSIs and waits until it is ACTIVE; existing tables are left as they are. */
export async function ensureTables(client: DynamoDBClient, config: Config): Promise<string[]> {
  const created: string[] = [];
  for (const definition of tableDefinitions(config)) {
    const tableName = definition.TableName!;
    if (await tableExists(client, tableName)) continue;
    try {
      await client.send(new CreateTableCommand(definition));
      created.push(tableName);
    } catch (error) {
      // Another process created it between our check and our create: same outcome.
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    await waitUntilTableExists({ client, maxWaitTime: 120 }, { TableName: tableName });
  }
  return created;
}
