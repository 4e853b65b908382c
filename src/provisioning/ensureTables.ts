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
import { RATE_LIMITS_EXPIRY_ATTRIBUTE, rateLimitsTableDefinition } from '../storage/tables/rateLimitsTable';
import { searchTermsTableDefinition } from '../storage/tables/searchTermsTable';
import { ensureTimeToLive, type TimeToLiveDefinition } from './ensureTimeToLive';

export function tableDefinitions(config: Config): CreateTableCommandInput[] {
  return [
    imagesTableDefinition(config.dynamodb.imagesTable),
    embeddingsTableDefinition(config.dynamodb.embeddingsTable),
    clustersTableDefinition(config.dynamodb.clustersTable),
    searchTermsTableDefinition(config.dynamodb.searchTermsTable),
    checksumsTableDefinition(config.dynamodb.checksumsTable),
    rateLimitsTableDefinition(config.dynamodb.rateLimitsTable),
  ];
}

/** The tables whose items expire: the rate limits' buckets of idle keys. */
export function timeToLiveDefinitions(config: Config): TimeToLiveDefinition[] {
  return [{ tableName: config.dynamodb.rateLimitsTable, attributeName: RATE_LIMITS_EXPIRY_ATTRIBUTE }];
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

/**
 * Creates each missing table with its GSIs and waits until it is ACTIVE, then turns TTL on where items expire;
 * existing tables are otherwise left as they are.
 */
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
  for (const definition of timeToLiveDefinitions(config)) await ensureTimeToLive(client, definition);
  return created;
}
