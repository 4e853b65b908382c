import type { ImageRecord } from '../../src/storage/imageRecord';
import { conditionExpressions, Expressions, updateExpressions } from '../../src/storage/itemExpressions';

type ImageKey = 'user_id' | 'image_id';

describe('item expressions', () => {
  it('writes an update and its condition in the record’s field names, with a placeholder per value', () => {
    expect(
      updateExpressions<ImageRecord, ImageKey>({
        set: { status: 'processing', width: 640, title: undefined, updated_at: 'now' },
        remove: ['duplicate_of'],
        when: { status: { equals: 'awaiting_upload' }, purging_at: 'absent', deleted_at: 'absent' },
      }),
    ).toEqual({
      UpdateExpression: 'SET #status = :v0, #width = :v1, #updated_at = :v2 REMOVE #duplicate_of',
      ConditionExpression: '#status = :v3 AND attribute_not_exists(#purging_at) AND attribute_not_exists(#deleted_at)',
      ExpressionAttributeNames: {
        '#status': 'status',
        '#width': 'width',
        '#updated_at': 'updated_at',
        '#duplicate_of': 'duplicate_of',
        '#purging_at': 'purging_at',
        '#deleted_at': 'deleted_at',
      },
      ExpressionAttributeValues: { ':v0': 'processing', ':v1': 640, ':v2': 'now', ':v3': 'awaiting_upload' },
    });
  });

  it('keeps a first value with setIfAbsent, and leaves out the maps a request does not use', () => {
    expect(
      updateExpressions<ImageRecord, ImageKey>({ setIfAbsent: { purging_at: 'then' }, when: { image_id: 'exists' } }),
    ).toEqual({
      UpdateExpression: 'SET #purging_at = if_not_exists(#purging_at, :v0)',
      ConditionExpression: 'attribute_exists(#image_id)',
      ExpressionAttributeNames: { '#purging_at': 'purging_at', '#image_id': 'image_id' },
      ExpressionAttributeValues: { ':v0': 'then' },
    });
    expect(updateExpressions<ImageRecord, ImageKey>({ remove: ['near_duplicates'] })).toEqual({
      UpdateExpression: 'REMOVE #near_duplicates',
      ConditionExpression: undefined,
      ExpressionAttributeNames: { '#near_duplicates': 'near_duplicates' },
      ExpressionAttributeValues: undefined,
    });
  });

  it('tests a field several ways, a list for an element, and skips the fields left undefined', () => {
    const expressions = new Expressions<ImageRecord>();
    expect(
      expressions.condition({
        status: [{ notEquals: 'awaiting_upload' }, { equals: 'completed' }],
        category: undefined,
        tags: { contains: 'sea' },
      }),
    ).toBe('#status <> :v0 AND #status = :v1 AND contains(#tags, :v2)');
    expect(expressions.condition({})).toBeUndefined();
    expect(conditionExpressions<ImageRecord>({ cluster_id: { equals: 'c1' } })).toEqual({
      ConditionExpression: '#cluster_id = :v0',
      ExpressionAttributeNames: { '#cluster_id': 'cluster_id' },
      ExpressionAttributeValues: { ':v0': 'c1' },
    });
  });

  it('refuses an update that does nothing', () => {
    expect(() => updateExpressions<ImageRecord, ImageKey>({ set: { title: undefined } })).toThrow(/nothing/);
  });
});
