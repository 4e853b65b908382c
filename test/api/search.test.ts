import { ApiClient, waitForImage } from '../harness/httpClient';
import { startService, type RunningService } from '../harness/service';
import { createTestUser } from '../harness/users';
import { familyMember } from '../fixtures/families';

/**
 * Text search through the API on the real stack, with the `local` provider (words only: its embeddings are of
 * pixels): every searchable field, one field alone, ranking, user scoping, paging, bad queries, deletes and purges.
 */
describe('search API', () => {
  let service: RunningService;
  let alice: ApiClient;
  let aliceId: string;
  let bob: ApiClient;
  // Alice's images: kites in the title, kites in the description only, and a blue lighthouse photo.
  let titled: string;
  let described: string;
  let blue: string;
  let bobs: string;

  const search = (client: ApiClient, query: Record<string, string>) =>
    client.get(`/api/v1/images/search?${new URLSearchParams(query).toString()}`);
  const idsOf = (body: { items: Array<{ image_id: string }> }) => body.items.map((item) => item.image_id);

  async function uploadOne(client: ApiClient, name: string, body: Buffer, fields: Record<string, string>) {
    const upload = await client.upload([{ name, body }], fields);
    expect(upload.status).toBe(202);
    return upload.body.images[0].image_id as string;
  }

  beforeAll(async () => {
    service = await startService();
    const aliceUser = await createTestUser(service.api.config);
    aliceId = aliceUser.uid;
    alice = new ApiClient(service.api.url, aliceUser.idToken);
    bob = new ApiClient(service.api.url, (await createTestUser(service.api.config)).idToken);
    const red = await familyMember('red-stripes', 0);
    titled = await uploadOne(alice, 'a.jpg', red, { title: 'Sunset kites' });
    described = await uploadOne(alice, 'b.jpg', await familyMember('red-stripes', 1), {
      description: 'Some kites far away',
    });
    blue = await uploadOne(alice, 'harbourView_2024.jpg', await familyMember('blue-columns', 0), {
      tags: 'Lighthouses',
    });
    bobs = await uploadOne(bob, 'kites.jpg', red, { title: 'Sunset kites' });
    for (const [client, id] of [
      [alice, titled],
      [alice, described],
      [alice, blue],
      [bob, bobs],
    ] as const) {
      expect((await waitForImage(client, id)).body.status).toBe('completed');
    }
  });
  afterAll(() => service.stop());

  it('finds words of the title and the description, the title match first', async () => {
    const found = await search(alice, { q: 'KITE' });
    expect(found.status).toBe(200);
    expect(idsOf(found.body)).toEqual([titled, described]);
    expect(found.body.items[0]).toMatchObject({
      image_id: titled,
      thumbnail_url: expect.stringContaining(titled),
      ai_description: expect.any(String),
      matched: { terms: ['kite'], fields: ['title'], semantic: false },
    });
    // Each result is the image as its view shows it, so a client shows it as any image.
    const view = (await alice.get(`/api/v1/images/${titled}`)).body;
    const { thumbnail_url: smallest, score: _score, matched: _matched, ...image } = found.body.items[0];
    expect(image).toEqual({
      ...view,
      thumbnails: view.thumbnails.map((thumbnail: object) => ({ ...thumbnail, url: expect.any(String) })),
      urls: { ...view.urls, original: expect.any(String) },
    });
    expect(smallest).toBe(image.thumbnails[0].url);
    expect(found.body.items[1].matched.fields).toEqual(['description']);
    expect(found.body.items[0].score).toBeGreaterThan(found.body.items[1].score);
    expect(found.body.next_cursor).toBeNull();
  });

  it('finds words of the tags, the file name and the AI description', async () => {
    expect(idsOf((await search(alice, { q: 'lighthouse' })).body)).toEqual([blue]);
    const byName = await search(alice, { q: 'harbour view' });
    expect(idsOf(byName.body)).toEqual([blue]);
    expect(byName.body.items[0].matched).toMatchObject({ terms: ['harbour', 'view'], fields: ['filename'] });
    // The local provider describes it as "... dominated by blue tones ...".
    const byDescription = await search(alice, { q: 'blue' });
    expect(idsOf(byDescription.body)).toContain(blue);
    expect(idsOf(byDescription.body)).not.toContain(titled);
    expect(byDescription.body.items[0].matched.fields).toEqual(['ai_description']);
  });

  it('finds a direct upload once it is processed, not before (its words are indexed once, with the AI description)', async () => {
    const body = await familyMember('green-checks', 0);
    const created = await alice.request('POST', '/api/v1/images/uploads', {
      body: JSON.stringify({ filename: 'direct.jpg', content_type: 'image/jpeg', size: body.length, title: 'Quokka' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(created.status).toBe(201);
    const { image_id: imageId, upload } = created.body as {
      image_id: string;
      upload: { url: string; headers: Record<string, string> };
    };
    expect(idsOf((await search(alice, { q: 'quokka' })).body)).toEqual([]);
    const { 'Content-Length': _length, ...headers } = upload.headers;
    expect((await fetch(upload.url, { method: 'PUT', body, headers })).status).toBe(200);
    expect((await alice.request('POST', `/api/v1/images/${imageId}/complete`)).status).toBe(202);
    expect((await waitForImage(alice, imageId)).body.status).toBe('completed');
    expect(idsOf((await search(alice, { q: 'quokka' })).body)).toEqual([imageId]);
  });

  it("never finds another user's images", async () => {
    expect(idsOf((await search(bob, { q: 'kites' })).body)).toEqual([bobs]);
    expect(idsOf((await search(bob, { q: 'lighthouse' })).body)).toEqual([]);
    expect(idsOf((await search(alice, { q: 'kites' })).body)).not.toContain(bobs);
  });

  it('pages with a cursor that belongs to its own search', async () => {
    const first = await search(alice, { q: 'kites', limit: '1' });
    expect(idsOf(first.body)).toEqual([titled]);
    const cursor = first.body.next_cursor as string;
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(first.body.next).toBe(
      `${service.api.url}/api/v1/images/search?q=kites&limit=1&cursor=${encodeURIComponent(cursor)}`,
    );
    const second = await alice.get(new URL(first.body.next as string).pathname + new URL(first.body.next).search);
    expect(idsOf(second.body)).toEqual([described]);
    expect(second.body).toMatchObject({ next_cursor: null, next: null });

    for (const [client, query] of [
      [alice, { q: 'lighthouse', cursor }], // another query
      [bob, { q: 'kites', cursor }], // another user
      [alice, { q: 'kites', cursor: 'bm90LWpzb24' }], // forged
      [alice, { q: 'kites', cursor: Buffer.from('{"o":100000,"f":"x"}').toString('base64url') }],
      [alice, { q: 'kites', cursor: 'not a cursor!' }],
    ] as const) {
      const refused = await search(client, query);
      expect(refused.status).toBe(400);
      expect(refused.contentType).toContain('application/problem+json');
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
    }
  });

  it('finds words in one field only when asked, and pages through that search alone', async () => {
    const inTitles = await search(alice, { q: 'kites', field: 'title' });
    expect(idsOf(inTitles.body)).toEqual([titled]);
    expect(inTitles.body.items[0].matched).toEqual({ terms: ['kite'], fields: ['title'], semantic: false });
    expect(idsOf((await search(alice, { q: 'kites', field: 'description' })).body)).toEqual([described]);
    // The local provider names no classes: no image has labels to find.
    expect(idsOf((await search(alice, { q: 'kites', field: 'labels' })).body)).toEqual([]);

    // "jpeg" is in every AI description the local provider writes, in no description of the owner's.
    expect(idsOf((await search(alice, { q: 'jpeg', field: 'description' })).body)).toEqual([]);
    const everywhere = await search(alice, { q: 'jpeg' });
    const first = await search(alice, { q: 'jpeg', field: 'ai_description', limit: '1' });
    expect(idsOf(first.body)).toEqual(idsOf(everywhere.body).slice(0, 1));
    expect(first.body.items[0].matched.fields).toEqual(['ai_description']);
    const cursor = first.body.next_cursor as string;
    expect(first.body.next).toBe(
      `${service.api.url}/api/v1/images/search?q=jpeg&field=ai_description&limit=1&cursor=${encodeURIComponent(cursor)}`,
    );
    const second = await alice.get(new URL(first.body.next as string).pathname + new URL(first.body.next).search);
    expect(second.status).toBe(200);
    expect(idsOf(second.body)).toEqual(idsOf(everywhere.body).slice(1, 2));
    // Its cursor is not one of the same words in every field, nor in another field.
    const elsewhere: Array<Record<string, string>> = [
      { q: 'jpeg', cursor },
      { q: 'jpeg', field: 'title', cursor },
    ];
    for (const query of elsewhere) {
      const refused = await search(alice, query);
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
    }
  });

  it('refuses bad queries with 400 problem+json naming the parameter', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{}, 'q'],
      [{ q: '' }, 'q'],
      [{ q: '   ' }, 'q'],
      [{ q: 'k'.repeat(201) }, 'q'],
      [{ q: 'the and of' }, 'q'],
      [{ q: '!! ?' }, 'q'],
      [{ q: 'kites', limit: '0' }, 'limit'],
      [{ q: 'kites', limit: '101' }, 'limit'],
      [{ q: 'kites', limit: 'abc' }, 'limit'],
      [{ q: 'kites', sort: 'new' }, 'sort'],
      [{ q: 'kites', field: 'colour' }, 'field'],
      [{ q: 'kites', field: 'Title' }, 'field'],
      [{ q: 'kites', field: '' }, 'field'],
    ];
    for (const [query, field] of cases) {
      const refused = await search(alice, query);
      expect({ query, status: refused.status }).toEqual({ query, status: 400 });
      expect(refused.contentType).toContain('application/problem+json');
      expect(refused.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    }
    // 200 characters is within bounds.
    expect((await search(alice, { q: 'kites '.repeat(34).slice(0, 200) })).status).toBe(200);
  });

  it('no longer finds a soft-deleted image, finds it again once restored', async () => {
    expect((await alice.request('DELETE', `/api/v1/images/${titled}`)).status).toBe(200);
    expect(idsOf((await search(alice, { q: 'kites' })).body)).toEqual([described]);
    expect((await alice.request('POST', `/api/v1/images/${titled}/restore`)).status).toBe(200);
    expect(idsOf((await search(alice, { q: 'kites' })).body)).toEqual([titled, described]);
  });

  it('removes the postings of a purged image', async () => {
    expect(await service.storage.searchTerms.termsOf(aliceId, blue)).toContain('lighthouse');
    expect((await alice.request('DELETE', `/api/v1/images/${blue}?hard=true`)).status).toBe(200);
    expect(await service.storage.searchTerms.termsOf(aliceId, blue)).toBeUndefined();
    expect(await service.storage.searchTerms.postings(aliceId, 'lighthouse', 10)).toEqual([]);
    expect(idsOf((await search(alice, { q: 'lighthouse' })).body)).toEqual([]);
  });
});
