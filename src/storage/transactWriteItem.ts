import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';

/** One write of a DynamoDB transaction, as a repository hands it to another to run with its own. */
export type TransactWriteItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
