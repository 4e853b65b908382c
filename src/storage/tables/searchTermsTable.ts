import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { tableKey } from './tableKey';

const KEY = tableKey('term_key', 'image_id');

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
    AttributeDefinitions: KEY.attributes,
    KeySchema: KEY.schema,
  };
}
