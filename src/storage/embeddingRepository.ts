import { DeleteCommand, GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { decodeFloat32, decodeVector, encodeVector } from './float32Vector';
import { queryAllPages, queryPages } from './queryAllPages';
import type { TransactWriteItem } from './transactWriteItem';

export interface StoredEmbedding {
  vector: number[];
  provider: string;
}

// The item holding a user's embeddings version (see version()); image ids are UUIDs, never this.
const VERSION_KEY = '#version';

/** One of a user's embeddings as lists read them: float32 values, a quarter of an array of numbers' memory. */
export interface ListedEmbedding {
  imageId: string;
  vector: Float32Array;
  provider: string;
}

/** The embeddings table: one vector per image, keyed like the image, overwritten (never duplicated) on retry. */
export class EmbeddingRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Writes the image's vector (an update, so a hidden embedding stays hidden when re-embedded), and returns the
   * user's embeddings version this write made (see version()).
   */
  async put(userId: string, imageId: string, embedding: StoredEmbedding, at: string): Promise<number> {
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { user_id: userId, image_id: imageId },
        UpdateExpression: 'SET vector = :vector, dimensions = :dimensions, provider = :provider, updated_at = :at',
        ExpressionAttributeValues: {
          ':vector': encodeVector(embedding.vector),
          ':dimensions': embedding.vector.length,
          ':provider': embedding.provider,
          ':at': at,
        },
      }),
    );
    return this.bumpVersion(userId);
  }

  /**
   * The writes that hide an embedding from clustering and similarity (its image was soft-deleted) or show it again
   * (restored), for the same transaction as the image item's change: the item's state and the embedding's never
   * disagree, whatever runs between. Hiding an image with no embedding yet leaves a marker without a vector, which
   * the embedding step keeps (it updates, never replaces), so a vector written while the image is deleted stays
   * hidden. The user's embeddings version moves with it (see version()).
   */
  visibilityWrites(userId: string, imageId: string, hidden: boolean, at: string): TransactWriteItem[] {
    return [
      {
        Update: {
          TableName: this.tableName,
          Key: { user_id: userId, image_id: imageId },
          UpdateExpression: hidden ? 'SET hidden_at = :at' : 'REMOVE hidden_at',
          ExpressionAttributeValues: hidden ? { ':at': at } : undefined,
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: { user_id: userId, image_id: VERSION_KEY },
          UpdateExpression: 'ADD version :one',
          ExpressionAttributeValues: { ':one': 1 },
        },
      },
    ];
  }

  async get(userId: string, imageId: string): Promise<StoredEmbedding | undefined> {
    const item = await this.item(userId, imageId);
    return item && storedEmbeddingOf(item);
  }

  /** The same, unless hidden (its image soft-deleted): what similarity searches may compare. */
  async getVisible(userId: string, imageId: string): Promise<StoredEmbedding | undefined> {
    const item = await this.item(userId, imageId);
    return item && item.hidden_at === undefined ? storedEmbeddingOf(item) : undefined;
  }

  private async item(userId: string, imageId: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { user_id: userId, image_id: imageId } }),
    );
    // A hidden image's marker has no vector until its embedding step runs: no embedding yet.
    return Item?.vector ? Item : undefined;
  }

  async remove(userId: string, imageId: string): Promise<void> {
    await this.documents.send(
      new DeleteCommand({ TableName: this.tableName, Key: { user_id: userId, image_id: imageId } }),
    );
    await this.bumpVersion(userId);
  }

  /**
   * A number that changes whenever one of the user's embeddings is written, hidden, shown or removed (after the
   * change), so a copy of their vectors can be checked with one small read. Kept in an item of the user's own
   * partition, under a key no image has.
   */
  async version(userId: string): Promise<number> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { user_id: userId, image_id: VERSION_KEY },
        ConsistentRead: true,
      }),
    );
    return (Item?.version as number | undefined) ?? 0;
  }

  /** Adds one to the user's embeddings version, and returns the new version. */
  private async bumpVersion(userId: string): Promise<number> {
    const { Attributes } = await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { user_id: userId, image_id: VERSION_KEY },
        UpdateExpression: 'ADD version :one',
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Attributes?.version as number;
  }

  /**
   * Every visible embedding of one user (not those of soft-deleted images), page by page (a Query on the partition,
   * never a Scan); `onPage` sees progress.
   */
  async listForUser(userId: string, onPage: (loaded: number) => void = () => undefined): Promise<ListedEmbedding[]> {
    const all: ListedEmbedding[] = [];
    for await (const page of this.pagesForUser(userId)) {
      all.push(...page);
      onPage(all.length);
    }
    return all;
  }

  /** The same, a page (at most 1 MB) at a time as it is read: for readers that use each page before the next. */
  async *pagesForUser(userId: string): AsyncGenerator<ListedEmbedding[]> {
    const pages = queryPages(this.documents, {
      TableName: this.tableName,
      KeyConditionExpression: 'user_id = :user',
      FilterExpression: 'attribute_not_exists(hidden_at) AND attribute_exists(vector)',
      ExpressionAttributeValues: { ':user': userId },
      ProjectionExpression: 'image_id, vector, provider',
    });
    for await (const items of pages) {
      yield items.map((item) => ({
        imageId: item.image_id as string,
        vector: decodeFloat32(item.vector as Uint8Array),
        provider: item.provider as string,
      }));
    }
  }

  /** The ids of the user's images whose embedding came from another provider (or model) than `provider`. */
  async idsEmbeddedByOthers(userId: string, provider: string): Promise<string[]> {
    const items = await queryAllPages(this.documents, {
      TableName: this.tableName,
      KeyConditionExpression: 'user_id = :user',
      FilterExpression: 'attribute_exists(vector) AND provider <> :provider',
      ExpressionAttributeValues: { ':user': userId, ':provider': provider },
      ProjectionExpression: 'image_id',
    });
    return items.map((item) => item.image_id as string);
  }
}

function storedEmbeddingOf(item: Record<string, unknown>): StoredEmbedding {
  return { vector: decodeVector(item.vector as Uint8Array), provider: item.provider as string };
}
