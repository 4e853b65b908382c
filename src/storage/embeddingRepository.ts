import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { decodeVector, encodeVector } from './float32Vector';
import { queryAllPages } from './queryAllPages';

export interface StoredEmbedding {
  vector: number[];
  provider: string;
}

/** The embeddings table: one vector per image, keyed like the image, overwritten (never duplicated) on retry. */
export class EmbeddingRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(userId: string, imageId: string, embedding: StoredEmbedding, at: string): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          user_id: userId,
          image_id: imageId,
          vector: encodeVector(embedding.vector),
          dimensions: embedding.vector.length,
          provider: embedding.provider,
          updated_at: at,
        },
      }),
    );
  }

  async get(userId: string, imageId: string): Promise<StoredEmbedding | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { user_id: userId, image_id: imageId } }),
    );
    return Item && { vector: decodeVector(Item.vector as Uint8Array), provider: Item.provider as string };
  }

  async remove(userId: string, imageId: string): Promise<void> {
    await this.documents.send(
      new DeleteCommand({ TableName: this.tableName, Key: { user_id: userId, image_id: imageId } }),
    );
  }

  /** Every embedding of one user, page by page (a Query on the partition, never a Scan); `onPage` sees progress. */
  async listForUser(
    userId: string,
    onPage: (loaded: number) => void = () => undefined,
  ): Promise<Array<StoredEmbedding & { imageId: string }>> {
    const items = await queryAllPages(
      this.documents,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'user_id = :user',
        ExpressionAttributeValues: { ':user': userId },
        ProjectionExpression: 'image_id, vector, provider',
      },
      onPage,
    );
    return items.map((item) => ({
      imageId: item.image_id as string,
      vector: decodeVector(item.vector as Uint8Array),
      provider: item.provider as string,
    }));
  }

  /** The ids of the user's images whose embedding came from another provider (or model) than `provider`. */
  async idsEmbeddedByOthers(userId: string, provider: string): Promise<string[]> {
    const items = await queryAllPages(this.documents, {
      TableName: this.tableName,
      KeyConditionExpression: 'user_id = :user',
      FilterExpression: 'provider <> :provider',
      ExpressionAttributeValues: { ':user': userId, ':provider': provider },
      ProjectionExpression: 'image_id',
    });
    return items.map((item) => item.image_id as string);
  }
}
