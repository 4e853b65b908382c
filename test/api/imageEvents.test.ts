import { gradientJpeg } from '../fixtures/images';
import { startApi } from '../harness/apiServer';
import { ApiClient } from '../harness/httpClient';
import { startService, type RunningService } from '../harness/service';
import { createTestUser, type TestUser } from '../harness/users';
import { eventually } from '../harness/eventually';

interface StreamedEvent {
  id: string;
  event: string;
  data: { image_id: string; status: string };
}

/** Opens the user's event stream and collects its events as they come, until it ends or `stop` is called. */
function openStream(apiUrl: string, token: string, seconds: number) {
  const events: StreamedEvent[] = [];
  const controller = new AbortController();
  let opened!: () => void;
  const ready = new Promise<void>((resolve) => (opened = resolve));
  const done = (async () => {
    const response = await fetch(`${apiUrl}/api/v1/images/events?seconds=${seconds}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    opened();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body!) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const field = (name: string) =>
            block
              .split('\n')
              .find((line) => line.startsWith(`${name}: `))
              ?.slice(name.length + 2);
          if (field('event'))
            events.push({ id: field('id')!, event: field('event')!, data: JSON.parse(field('data')!) });
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  })();
  return { events, ready, done, stop: () => controller.abort() };
}

/**
 * GET /images/events: a user's image events as Server-Sent Events, told once each, as processing ends, whoever
 * uploaded the image; another user's stream tells nothing of them; the stream ends when asked to, or at its end.
 */
describe('the image event stream', () => {
  let service: RunningService;
  let user: TestUser;
  let client: ApiClient;

  beforeAll(async () => {
    // Looks every second for what was uploaded since, and at direct uploads still to be completed.
    service = await startService({ IMAGE_EVENTS_RESCAN_SECONDS: '1' });
    user = await createTestUser(service.api.config);
    client = new ApiClient(service.api.url, user.idToken);
  });
  afterAll(() => service.stop());

  it("tells of each of the user's images as its processing ends, and nothing of them to another user", async () => {
    const stranger = await createTestUser(service.api.config);
    const mine = openStream(service.api.url, user.idToken, 60);
    const theirs = openStream(service.api.url, stranger.idToken, 60);
    await Promise.all([mine.ready, theirs.ready]);
    const ids: string[] = [];
    for (const width of [420, 440]) {
      const upload = await client.upload([{ name: `streamed-${width}.jpg`, body: await gradientJpeg(width, 300) }]);
      expect(upload.status).toBe(202);
      ids.push(upload.body.images[0].image_id as string);
    }
    await eventually(() => mine.events.length >= 2, 30_000);
    expect(mine.events.map((event) => [event.event, event.data.image_id]).sort()).toEqual(
      ids.map((id) => ['image.completed', id]).sort(),
    );
    expect(mine.events.map((event) => event.id).sort()).toEqual(ids.map((id) => `evt_${id}_completed`).sort());
    expect(mine.events.every((event) => event.data.status === 'completed')).toBe(true);
    mine.stop();
    theirs.stop();
    await Promise.all([mine.done, theirs.done]);
    expect(theirs.events).toEqual([]);
  });

  it('tells of a direct upload completed long after it was announced', async () => {
    const stream = openStream(service.api.url, user.idToken, 60);
    await stream.ready;
    const body = await gradientJpeg(460, 300);
    const created = await client.request('POST', '/api/v1/images/uploads', {
      body: JSON.stringify({ filename: 'late.jpg', content_type: 'image/jpeg', size: body.length }),
      headers: { 'content-type': 'application/json' },
    });
    expect(created.status).toBe(201);
    const imageId = created.body.image_id as string;
    // Announced, then sent and completed after several looks: it is no longer among the images created since.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const { 'Content-Length': _length, ...headers } = created.body.upload.headers as Record<string, string>;
    expect((await fetch(created.body.upload.url, { method: 'PUT', body, headers })).status).toBe(200);
    expect((await client.request('POST', `/api/v1/images/${imageId}/complete`)).status).toBe(202);
    // (A stream opened just after the test before may also tell of its images, read from the index before it caught up.)
    const told = () => stream.events.filter((event) => event.data.image_id === imageId);
    await eventually(() => told().length >= 1, 30_000);
    expect(told().map((event) => event.event)).toEqual(['image.completed']);
    stream.stop();
    await stream.done;
  });

  it('ends after the seconds it was opened for, and refuses a length out of bounds', async () => {
    const began = Date.now();
    const stream = openStream(service.api.url, user.idToken, 2);
    await stream.done;
    expect(Date.now() - began).toBeGreaterThanOrEqual(1_900);
    expect(Date.now() - began).toBeLessThan(8_000);
    for (const seconds of ['0', '301', 'forever']) {
      const refused = await client.get(`/api/v1/images/events?seconds=${seconds}`);
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toContain('seconds');
    }
  });
});

/** IMAGE_EVENTS_MAX_SECONDS: how long a stream may be held open, or that it is not offered (0). */
describe('the bounds of the image event stream', () => {
  it('holds a stream no longer than IMAGE_EVENTS_MAX_SECONDS, and answers 501 when it is 0', async () => {
    const [bounded, off] = await Promise.all([
      startApi({ IMAGE_EVENTS_MAX_SECONDS: '2' }),
      startApi({ IMAGE_EVENTS_MAX_SECONDS: '0' }),
    ]);
    try {
      const user = await createTestUser(bounded.config);
      const began = Date.now();
      await openStream(bounded.url, user.idToken, 60).done;
      expect(Date.now() - began).toBeLessThan(8_000);
      const refused = await new ApiClient(off.url, user.idToken).get('/api/v1/images/events?seconds=60');
      expect(refused.status).toBe(501);
      expect(refused.contentType).toMatch(/^application\/problem\+json/);
      expect(refused.body.detail).toMatch(/does not offer the image event stream/);
    } finally {
      await Promise.all([bounded.close(), off.close()]);
    }
  });
});
