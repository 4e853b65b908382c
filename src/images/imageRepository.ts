import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ImageRecord } from './imageRecord';

export type ImageResults = Pick<
  ImageRecord,
  'width' | 'height' | 'format' | 'bytes' | 'sha256' | 'thumbnails' | 'dominant_color' | 'placeholder' | 'ai_description' | 'embedding_dimensions' | 'embedding_provider'
>;

/** The image item is gone (hard-deleted while it was being processed): there is nothing left to update. */
export class ImageNotFoundError extends Error {
  constructor(userId: string, imageId: string) {
    super(`Image ${imageId} of user ${userId} no longer exists.`);
    this.name = 'ImageNotFoundError';
  }
}

/** The images table: every read and write of an image item goes through here. */
export class ImageRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Creates the item once: a second call with the same ids (a retried request, a double submit) changes nothing
   * and returns false.
   */
  async create(record: ImageRecord): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({ TableName: this.tableName, Item: record, ConditionExpression: 'attribute_not_exists(image_id)' }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** The caller's image, or undefined: another user's id finds nothing, exactly like a missing one. */
  async get(userId: string, imageId: string): Promise<ImageRecord | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { user_id: userId, image_id: imageId }, ConsistentRead: true }),
    );
    return Item as ImageRecord | undefined;
  }

  /** Records what the pipeline produced and marks the image completed; the same write again changes nothing new. */
  async complete(userId: string, imageId: string, results: ImageResults, at: string): Promise<void> {
    const fields: Record<string, unknown> = { ...results, status: 'completed', completed_at: at, updated_at: at };
    const names = Object.keys(fields).filter((name) => fields[name] !== undefined);
    await this.updateExisting(userId, imageId, {
        UpdateExpression: `SET ${names.map((name) => `#${name} = :${name}`).join(', ')} REMOVE failure_reason`,
        ExpressionAttributeNames: Object.fromEntries(names.map((name) => [`#${name}`, name])),
        ExpressionAttributeValues: Object.fromEntries(names.map((name) => [`:${name}`, fields[name]])),
    });
  }

  async fail(userId: string, imageId: string, reason: string, at: string): Promise<void> {
    await this.updateExisting(userId, imageId, {
      UpdateExpression: 'SET #status = :failed, failure_reason = :reason, updated_at = :at',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':failed': 'failed', ':reason': reason, ':at': at },
    });
  }

  /** An update that never creates an item: a missing one raises ImageNotFoundError. */
  private async updateExisting(
    userId: string,
    imageId: string,
    update: Pick<UpdateCommandInput, 'UpdateExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>,
  ): Promise<void> {
    try {
      await this.documents.send(
        new UpdateCommand({ TableName: this.tableName, Key: { user_id: userId, image_id: imageId }, ConditionExpression: 'attribute_exists(image_id)', ...update }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ImageNotFoundError(userId, imageId);
      throw error;
    }
  }
}
