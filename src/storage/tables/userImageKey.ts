import type { AttributeDefinition, KeySchemaElement } from '@aws-sdk/client-dynamodb';

/** Items about one image, in any table, are keyed by owner (partition) and image id (sort). */
export const USER_IMAGE_KEY: { attributes: AttributeDefinition[]; schema: KeySchemaElement[] } = {
  attributes: [
    { AttributeName: 'user_id', AttributeType: 'S' },
    { AttributeName: 'image_id', AttributeType: 'S' },
  ],
  schema: [
    { AttributeName: 'user_id', KeyType: 'HASH' },
    { AttributeName: 'image_id', KeyType: 'RANGE' },
  ],
};
