import { heldEventVerdict } from '../../src/activities/sendHeldEvents';
import type { WebhookEvent } from '../../src/contracts';
import type { ImageRecord } from '../../src/storage/imageRecord';

const AT = '2026-12-05T10:00:00.000Z';
const LATER = '2026-12-05T10:05:00.000Z';
const base = { id: 'evt_1', userId: 'user', imageId: 'image', occurredAt: AT };
const soft: WebhookEvent = { ...base, type: 'image.deleted', deletion: { kind: 'soft', restorableUntil: LATER } };
const hard: WebhookEvent = { ...base, type: 'image.deleted', deletion: { kind: 'hard' } };
const restored: WebhookEvent = { ...base, type: 'image.restored' };
const image = (fields: Partial<ImageRecord>) => ({ user_id: 'user', image_id: 'image', ...fields }) as ImageRecord;
const hoursAfter = (hours: number) => new Date(Date.parse(AT) + hours * 3_600_000);

/** The sweep sends a held event only when the image's item shows its change was made, as that change wrote it. */
describe('heldEventVerdict', () => {
  it.each([
    ['a soft delete made (deleted_at is its time)', soft, image({ deleted_at: AT }), 'send'],
    ['a soft delete whose image was purged or deleted hard since', soft, undefined, 'send'],
    ['a soft delete made, then restored', soft, image({ restored_at: LATER, restored_deletion_at: AT }), 'send'],
    ['a soft delete never made', soft, image({}), 'drop'],
    ['a soft delete undone and made again later (another event)', soft, image({ deleted_at: LATER }), 'drop'],
    ['a restore made (restored_at is its time)', restored, image({ restored_at: AT }), 'send'],
    ['a restore never made', restored, image({ deleted_at: AT }), 'drop'],
    [
      'a restore deleted again since (that delete tells)',
      restored,
      image({ restored_at: AT, deleted_at: LATER }),
      'drop',
    ],
    ['a restore whose image is gone', restored, undefined, 'drop'],
    ['a hard delete made', hard, undefined, 'send'],
  ] as const)('%s', (_case, event, record, verdict) => {
    expect(heldEventVerdict(event, record, hoursAfter(1))).toBe(verdict);
  });

  it('waits a day for a hard delete whose image is still there, then lets it go', () => {
    expect(heldEventVerdict(hard, image({}), hoursAfter(23))).toBe('wait');
    expect(heldEventVerdict(hard, image({}), hoursAfter(25))).toBe('drop');
  });
});
