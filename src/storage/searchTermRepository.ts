import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { mapWithConcurrency } from '../util/mapWithConcurrency';
import type { ImageRecord } from './imageRecord';
import { imageSearchTerms, type SearchField } from './imageSearchTerms';
import { untilProcessed } from './untilProcessed';

/** One word of one image, as a search reads it. */
export interface Posting {
  imageId: string;
  /** Σ of field weight × occurrences (see SEARCH_FIELD_WEIGHTS). */
  weight: number;
  fields: SearchField[];
  /** The image's whole weighted length, for BM25's length normalisation. */
  length: number;
  createdAt: string;
}

type WriteRequest =
  { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, string> } };

// DynamoDB's limit per BatchWriteItem; a few batches of an image's words go at once.
const BATCH_SIZE = 25;
const BATCHES_AT_ONCE = 4;

/**
 * The inverted index of text search (see searchTermsTableDefinition). Every write is keyed by owner, word and
 * image, so writing an image's words again (a retried request or activity) overwrites the same items: a posting is
 * never duplicated. Each image's list of words is written to cover every posting before the postings themselves,
 * so a write or a removal cut short part-way never leaves a posting that its image's removal would not find.
 */
export class SearchTermRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Indexes the image's title, description, tags, file name and AI description as they are in the record, and
   * removes its postings of words it no longer has. Safe to repeat.
   */
  async indexImage(record: Pick<ImageRecord, 'user_id' | 'image_id' | 'created_at' | SearchField>): Promise<void> {
    const { user_id: userId, image_id: imageId } = record;
    const { terms, length } = imageSearchTerms(record);
    const current = new Set(terms.map((entry) => entry.term));
    const before = (await this.termsOf(userId, imageId)) ?? [];
    const stale = before.filter((term) => !current.has(term));
    const everything = [...new Set([...before, ...current])];
    if (everything.length > before.length) await this.putTermList(userId, imageId, everything);
    await this.batchWrite(
      terms.map((entry) => ({
        PutRequest: {
          Item: {
            term_key: termKey(userId, entry.term),
            image_id: imageId,
            user_id: userId,
            term: entry.term,
            weight: entry.weight,
            fields: entry.fields,
            doc_length: length,
            created_at: record.created_at,
          },
        },
      })),
    );
    await this.batchWrite(
      stale.map((term) => ({ DeleteRequest: { Key: { term_key: termKey(userId, term), image_id: imageId } } })),
    );
    if (stale.length > 0) await this.putTermList(userId, imageId, [...current]);
  }

  /** Removes every posting of the image and its list of words. Safe to repeat: what is gone stays gone. */
  async removeImage(userId: string, imageId: string): Promise<void> {
    const terms = await this.termsOf(userId, imageId);
    if (!terms) return;
    await this.batchWrite(
      terms.map((term) => ({ DeleteRequest: { Key: { term_key: termKey(userId, term), image_id: imageId } } })),
    );
    await this.documents.send(
      new DeleteCommand({ TableName: this.tableName, Key: { term_key: termListKey(userId), image_id: imageId } }),
    );
  }

  /** The words the image is indexed under, or undefined when it is not indexed. */
  async termsOf(userId: string, imageId: string): Promise<string[] | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { term_key: termListKey(userId), image_id: imageId },
        ConsistentRead: true,
      }),
    );
    return Item ? (Item.terms as string[]) : undefined;
  }

  /**
   * At most `limit` of the user's postings of one word. Which ones, for a word in more images than that, is the
   * order of the table (image ids, which are random): such a word tells few images apart anyway.
   */
  async postings(userId: string, term: string, limit: number): Promise<Posting[]> {
    const postings: Posting[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'term_key = :key',
          ExpressionAttributeValues: { ':key': termKey(userId, term) },
          // "fields" is one of DynamoDB's reserved words.
          ProjectionExpression: 'image_id, weight, #fields, doc_length, created_at',
          ExpressionAttributeNames: { '#fields': 'fields' },
          Limit: limit - postings.length,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        postings.push({
          imageId: item.image_id as string,
          weight: item.weight as number,
          fields: item.fields as SearchField[],
          length: item.doc_length as number,
          createdAt: item.created_at as string,
        });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey && postings.length < limit);
    return postings;
  }

  private async putTermList(userId: string, imageId: string, terms: string[]): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { term_key: termListKey(userId), image_id: imageId, user_id: userId, terms },
      }),
    );
  }

  /** Writes in batches of 25, a few at once, sending again what DynamoDB left unprocessed. */
  private async batchWrite(requests: WriteRequest[]): Promise<void> {
    const batches: WriteRequest[][] = [];
    for (let start = 0; start < requests.length; start += BATCH_SIZE) {
      batches.push(requests.slice(start, start + BATCH_SIZE));
    }
    await mapWithConcurrency(batches, BATCHES_AT_ONCE, (batch) =>
      untilProcessed(
        batch,
        async (pending) => {
          const { UnprocessedItems } = await this.documents.send(
            new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }),
          );
          return (UnprocessedItems?.[this.tableName] ?? []) as WriteRequest[];
        },
        (left) => `${left} search postings were left unwritten.`,
      ),
    );
  }
}

/**
 * The partition of one user's postings of one word. A word never holds "#" (only letters and digits), so the part
 * after the last "#" is always the word, and no two users' partitions can meet whatever their ids are.
 */
function termKey(userId: string, term: string): string {
  return `${userId}#${term}`;
}

/** The partition of one user's lists of each image's words: the word part empty, which no word is. */
function termListKey(userId: string): string {
  return `${userId}#`;
}
