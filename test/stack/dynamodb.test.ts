import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createDynamoDbClient } from '../../src/clients/dynamodb';
import { IMAGES_BY_USER_INDEX } from '../../src/storage/tables/imagesTable';
import { testConfig } from '../harness/stackEnv';

describe('DynamoDB Local', () => {
  const config = testConfig();
  const client = createDynamoDbClient(config);
  const documents = createDocumentClient(client);
  afterAll(() => client.destroy());

  it('puts items and queries them newest first through the user/created_at GSI', async () => {
    const userId = `smoke-user-${Date.now()}`;
    const items = ['2026-01-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'].map(
      (createdAt, index) => ({
        user_id: userId,
        image_id: `image-${index}`,
        created_at: createdAt,
      }),
    );
    for (const item of items)
      await documents.send(new PutCommand({ TableName: config.dynamodb.imagesTable, Item: item }));

    const result = await documents.send(
      new QueryCommand({
        TableName: config.dynamodb.imagesTable,
        IndexName: IMAGES_BY_USER_INDEX,
        KeyConditionExpression: 'user_id = :user',
        ExpressionAttributeValues: { ':user': userId },
        ScanIndexForward: false,
      }),
    );
    expect(result.Items?.map((item) => item.image_id)).toEqual(['image-1', 'image-2', 'image-0']);
  });
});
