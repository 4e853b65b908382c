import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from './batchGetAll';

/** Which image holds a checksum of its owner's. */
export interface ChecksumHolder {
  sha256: string;
  imageId: string;
}

/**
 * Each user's checksums (see checksumsTableDefinition). A checksum is held by one image: `claim` is a conditional put,
 * so of two uploads of the same bytes, concurrent or not, exactly one holds it; `release` frees it only for the image
 * that holds it, so a late release never frees another image's.
 */
export class ChecksumRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Makes `imageId` the holder of the checksum, if no image holds it or `replacing` does (a holder found gone). Returns
   * the holder after the write: `imageId` when it was claimed, the other image when that one holds it.
   */
  async claim(userId: string, sha256: string, imageId: string, replacing?: string): Promise<string> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { user_id: userId, sha256, image_id: imageId },
          ConditionExpression: replacing ? 'image_id = :replacing' : 'attribute_not_exists(sha256) OR image_id = :own',
          ExpressionAttributeValues: replacing ? { ':replacing': replacing } : { ':own': imageId },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return imageId;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // The client hands back the item as it was, in DynamoDB's own typed form.
      const holder = error.Item?.image_id?.S;
      // Freed between the read of the condition and now: claimed afresh.
      return holder ?? this.claim(userId, sha256, imageId);
    }
  }

  /** The image that holds the checksum, if one does (a consistent read: a claim just made is seen). */
  async holder(userId: string, sha256: string): Promise<string | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { user_id: userId, sha256 }, ConsistentRead: true }),
    );
    return Item?.image_id as string | undefined;
  }

  /** The holders of those of the checksums that are held, in no order. */
  async holders(userId: string, sha256s: string[]): Promise<ChecksumHolder[]> {
    const keys = [...new Set(sha256s)].map((sha256) => ({ user_id: userId, sha256 }));
    const items = await batchGetAll(this.documents, this.tableName, keys, 'checksums');
    return items.map((item) => ({ sha256: item.sha256 as string, imageId: item.image_id as string }));
  }

  /** Frees the checksum if `imageId` holds it; another holder's is left alone. Safe to repeat. */
  async release(userId: string, sha256: string, imageId: string): Promise<void> {
    try {
      await this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { user_id: userId, sha256 },
          ConditionExpression: 'image_id = :own',
          ExpressionAttributeValues: { ':own': imageId },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
