import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTableCommand,
  waitUntilTableExists,
  type TableDescription,
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
import { WEBHOOKS_EXPIRY_ATTRIBUTE, webhooksTableDefinition } from '../storage/tables/webhooksTable';
import { ensureTimeToLive, type TimeToLiveDefinition } from './ensureTimeToLive';

export function tableDefinitions(config: Config): CreateTableCommandInput[] {
  return [
    imagesTableDefinition(config.dynamodb.imagesTable),
    embeddingsTableDefinition(config.dynamodb.embeddingsTable),
    clustersTableDefinition(config.dynamodb.clustersTable),
    searchTermsTableDefinition(config.dynamodb.searchTermsTable),
    checksumsTableDefinition(config.dynamodb.checksumsTable),
    rateLimitsTableDefinition(config.dynamodb.rateLimitsTable),
    webhooksTableDefinition(config.dynamodb.webhooksTable),
  ];
}

/** The tables whose items expire: the rate limits' buckets of idle keys, webhooks' delivery logs. */
export function timeToLiveDefinitions(config: Config): TimeToLiveDefinition[] {
  return [
    { tableName: config.dynamodb.webhooksTable, attributeName: WEBHOOKS_EXPIRY_ATTRIBUTE },
    { tableName: config.dynamodb.rateLimitsTable, attributeName: RATE_LIMITS_EXPIRY_ATTRIBUTE },
  ];
}

async function describeTable(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

const INDEX_POLL_MS = 500;

/**
 * Adds to an existing table each GSI of its definition that it lacks (a table made by an older release), one at a
 * time as DynamoDB requires, and waits until each is ACTIVE: DynamoDB fills it from the items already there.
 */
async function addMissingIndexes(
  client: DynamoDBClient,
  table: TableDescription,
  definition: CreateTableCommandInput,
): Promise<void> {
  const present = new Set((table.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  for (const index of definition.GlobalSecondaryIndexes ?? []) {
    if (present.has(index.IndexName)) continue;
    const attributes = new Set(index.KeySchema!.map((key) => key.AttributeName));
    try {
      await client.send(
        new UpdateTableCommand({
          TableName: definition.TableName,
          AttributeDefinitions: definition.AttributeDefinitions!.filter((a) => attributes.has(a.AttributeName)),
          GlobalSecondaryIndexUpdates: [{ Create: index }],
        }),
      );
    } catch (error) {
      // Another process is adding it at the same moment: wait for theirs.
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    await untilIndexActive(client, definition.TableName!, index.IndexName!);
  }
}

async function untilIndexActive(client: DynamoDBClient, tableName: string, indexName: string): Promise<void> {
  for (const deadline = Date.now() + 600_000; Date.now() < deadline;) {
    const table = await describeTable(client, tableName);
    const index = table?.GlobalSecondaryIndexes?.find((each) => each.IndexName === indexName);
    if (index?.IndexStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, INDEX_POLL_MS));
  }
  throw new Error(`The index ${indexName} of ${tableName} did not become active within 10 minutes.`);
}

/**
 * Creates each missing table with its GSIs and waits until it is ACTIVE, adds to an existing one the GSIs it lacks,
 * then turns TTL on where items expire; existing tables are otherwise left as they are.
 */
export async function ensureTables(client: DynamoDBClient, config: Config): Promise<string[]> {
  const created: string[] = [];
  for (const definition of tableDefinitions(config)) {
    const tableName = definition.TableName!;
    const existing = await describeTable(client, tableName);
    if (existing) {
      await addMissingIndexes(client, existing, definition);
      continue;
    }
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
