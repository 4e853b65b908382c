import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { decodeVector, encodeVector } from './float32Vector';

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
        Item: { user_id: userId, image_id: imageId, vector: encodeVector(embedding.vector), dimensions: embedding.vector.length, provider: embedding.provider, updated_at: at },
      }),
    );
  }

  async get(userId: string, imageId: string): Promise<StoredEmbedding | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: { user_id: userId, image_id: imageId } }));
    return Item && { vector: decodeVector(Item.vector as Uint8Array), provider: Item.provider as string };
  }
}
