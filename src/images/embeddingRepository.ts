import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface StoredEmbedding {
  vector: number[];
  provider: string;
}

/** Vectors are stored as little-endian float32 bytes: a quarter of a number list's size, and exact enough. */
function encode(vector: number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(vector).buffer);
}

function decode(bytes: Uint8Array): number[] {
  const copy = bytes.slice(); // aligned for Float32Array
  return Array.from(new Float32Array(copy.buffer, copy.byteOffset, copy.byteLength / 4));
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
        Item: { user_id: userId, image_id: imageId, vector: encode(embedding.vector), dimensions: embedding.vector.length, provider: embedding.provider, updated_at: at },
      }),
    );
  }

  async get(userId: string, imageId: string): Promise<StoredEmbedding | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: { user_id: userId, image_id: imageId } }));
    return Item && { vector: decode(Item.vector as Uint8Array), provider: Item.provider as string };
  }
}
