import { backlogData, publishBacklog } from '../../src/workers/backlogMetrics';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('publishing the backlog', () => {
  it('divides the backlog among the workers polling, counting none as one', () => {
    const perWorker = (workers: number) =>
      backlogData({ count: 40, ageSeconds: 3, workers }).find((datum) => datum.name === 'BacklogPerWorker')!.value;
    expect([perWorker(0), perWorker(1), perWorker(4)]).toEqual([40, 40, 10]);
  });

  it('reports a failed reading and goes on at the next tick, never two readings at once', async () => {
    const errors: unknown[] = [];
    const published: number[] = [];
    let reading = 0;
    let concurrent = 0;
    const publisher = publishBacklog({
      read: async () => {
        concurrent++;
        expect(concurrent).toBe(1);
        reading++;
        await sleep(30);
        concurrent--;
        if (reading === 1) throw new Error('Temporal away');
        return { count: reading, ageSeconds: 0, workers: 1 };
      },
      publish: async (data) => {
        published.push(data[0]!.value);
      },
      intervalMs: 10,
      onError: (error) => errors.push(error),
    });
    await sleep(150);
    publisher.stop();
    expect(errors).toEqual([new Error('Temporal away')]);
    expect(published.length).toBeGreaterThan(1);
    expect(published[0]).toBe(2);
  });
});
