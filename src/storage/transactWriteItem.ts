import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';

/** One write of a DynamoDB transaction, as a repository hands it to another to run with its own. */
export type TransactWriteItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * Runs the writes as one transaction, the first of them conditional: false, and nothing written, when its condition
 * refused it; a refusal of any other write is thrown.
 */
export async function transactUnlessFirstRefused(
  documents: DynamoDBDocumentClient,
  items: TransactWriteItem[],
): Promise<boolean> {
  try {
    await documents.send(new TransactWriteCommand({ TransactItems: items }));
    return true;
  } catch (error) {
    if (
      error instanceof TransactionCanceledException &&
      error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
    )
      return false;
    throw error;
  }
}
