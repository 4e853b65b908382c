import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * Text search's inverted index: one item (a posting) per word of an image, partitioned by owner and word
 * (`{userId}#{word}`), sorted by image id. A search reads a bounded page of each of its words' partitions, never a
 * user's whole library; another user's postings are in other partitions altogether. Each image also has a list of
 * its words (partition `{userId}#`, which no word makes), so they can be found and removed again.
 */
export function searchTermsTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'term_key', AttributeType: 'S' },
      { AttributeName: 'image_id', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'term_key', KeyType: 'HASH' },
      { AttributeName: 'image_id', KeyType: 'RANGE' },
    ],
  };
}
