import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

/**
 * Every item a Query matches, one page (at most 1 MB) at a time, never one unbounded read; `onPage` is told how
 * many items have been read so far (long reads heartbeat with it).
 */
export async function queryAllPages(
  documents: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
  onPage: (read: number) => void = () => undefined,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of queryPages(documents, input)) {
    items.push(...page);
    onPage(items.length);
  }
  return items;
}

/** The pages of a Query as they come (at most 1 MB each), for readers that use each page before the next. */
export async function* queryPages(
  documents: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): AsyncGenerator<Record<string, unknown>[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    yield page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}
