import type { AttributeDefinition, KeySchemaElement } from '@aws-sdk/client-dynamodb';

export interface TableKey {
  attributes: AttributeDefinition[];
  schema: KeySchemaElement[];
}

/** The tables of records are keyed by two strings: a partition and, within it, a sort key. */
export function tableKey(partition: string, sort: string): TableKey {
  return {
    attributes: [
      { AttributeName: partition, AttributeType: 'S' },
      { AttributeName: sort, AttributeType: 'S' },
    ],
    schema: [
      { AttributeName: partition, KeyType: 'HASH' },
      { AttributeName: sort, KeyType: 'RANGE' },
    ],
  };
}

/** Items about one image, in any table, are keyed by owner (partition) and image id (sort). */
export const USER_IMAGE_KEY = tableKey('user_id', 'image_id');
