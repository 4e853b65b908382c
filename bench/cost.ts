/**
 * bench/cost: what one image costs in the units the bill counts, and a check that no change makes it cost more
 * unnoticed. N generated photos (default 40) uploaded as multipart through a fresh local stack, one API and one worker
 * process; per image: DynamoDB requests and units, S3 requests by kind, Temporal billable actions. Then it compares
 * each count with the committed baseline (bench/cost-baseline.json) and fails when one grows by more than 10 %.
 *   npm run bench:cost                      print and check against the baseline
 *   npm run bench:cost -- --accept          print and write these counts as the new baseline (a change that costs
 *                                           more on purpose: say why in its commit)
 *   npm run bench:cost -- --images 100
 * Run it before a change lands. The counts barely move between runs: they are requests, not seconds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { mapWithConcurrency } from '../src/util/mapWithConcurrency';
import { createTestUser } from '../test/harness/users';
import { runBench, withBenchStack } from './benchStack';
import {
  costPerImage,
  countsSince,
  describeCost,
  storeCounts,
  readRunHistories,
  type CostPerImage,
} from './costPerImage';
import { auditUploads } from './loadRun';
import { startServiceProcesses } from './serviceProcess';
import { syntheticPhotos } from './syntheticPhotos';

const BASELINE = path.join(__dirname, 'cost-baseline.json');
const TOLERANCE = 0.1;
const argument = (name: string) => process.argv.indexOf(name);
const IMAGES = argument('--images') > 0 ? Number(process.argv[argument('--images') + 1]) : 40;
const ACCEPT = argument('--accept') > 0;

/** The counts of `cost` that grew past the tolerance over `baseline`, as lines to print. */
function grownOver(baseline: CostPerImage, cost: CostPerImage): string[] {
  const totals = [
    'dynamodbRequests',
    'dynamodbWriteUnits',
    'dynamodbReadUnits',
    's3Requests',
    'temporalActions',
  ] as const;
  return totals.flatMap((key) =>
    cost[key] > baseline[key] * (1 + TOLERANCE) + 0.01
      ? [
          `${key}: ${cost[key]} per image, baseline ${baseline[key]} (+${((cost[key] / baseline[key] - 1) * 100).toFixed(0)} %)`,
        ]
      : [],
  );
}

runBench(() =>
  withBenchStack(async (stackEnv) => {
    const photos = await syntheticPhotos(IMAGES, 0.4);
    const service = await startServiceProcesses(stackEnv, { DUPLICATES: 'link' });
    try {
      const user = await createTestUser(service.config);
      const before = await storeCounts(service.metricsUrls);
      const accepted = await mapWithConcurrency(photos, 8, async (photo, index) => {
        const form = new FormData();
        form.append('file', new Blob([photo], { type: 'image/jpeg' }), `cost-${index}.jpg`);
        const response = await fetch(`${service.base}/api/v1/images`, {
          method: 'POST',
          body: form,
          headers: { authorization: `Bearer ${user.idToken}` },
        });
        if (response.status !== 202) throw new Error(`upload ${index}: ${response.status} ${await response.text()}`);
        return ((await response.json()) as { images: Array<{ image_id: string }> }).images[0]!.image_id;
      });
      const audit = await auditUploads(service, user.uid, accepted, Date.now() + 10 * 60_000);
      if (audit.completed !== IMAGES) throw new Error(`${audit.completed} of ${IMAGES} images completed`);
      const store = countsSince(before, await storeCounts(service.metricsUrls));
      const runs = await readRunHistories(
        service.temporal,
        accepted.map((imageId) => `image-${imageId}`),
      );
      const cost = costPerImage(store, runs.actions, IMAGES);
      console.log(`bench/cost: ${IMAGES} images of 0.2-0.5 MP, uploaded as multipart, processed by the local provider`);
      console.log(describeCost(cost));
      console.log(
        `Temporal history per run: ${runs.perRun.events.toFixed(0)} events, ${(runs.perRun.bytes / 1024).toFixed(1)} KB (not in the baseline)`,
      );
      if (ACCEPT || !fs.existsSync(BASELINE)) {
        fs.writeFileSync(BASELINE, `${JSON.stringify(cost, null, 2)}\n`);
        console.log(`baseline written: ${path.relative(process.cwd(), BASELINE)}`);
        return;
      }
      const grown = grownOver(JSON.parse(fs.readFileSync(BASELINE, 'utf8')) as CostPerImage, cost);
      if (grown.length > 0) {
        throw new Error(
          `an image costs more than the baseline (over ${TOLERANCE * 100} %):\n${grown.join('\n')}\n` +
            'If that is on purpose, run `npm run bench:cost -- --accept` and say why in the commit.',
        );
      }
      console.log(`within ${TOLERANCE * 100} % of the baseline (bench/cost-baseline.json) on every count`);
    } finally {
      await service.stop();
    }
  }),
);
