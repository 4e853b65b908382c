/**
 * bench/lambdaColdStart: the API's Lambda package (npm run build:lambda) started N times as new containers are, each
 * in a Node process of its own, against a throwaway local stack, with the Firebase Web API key read from Secrets
 * Manager at start-up. Prints the package's size, then per start: loading index.js (Lambda's init phase), the first
 * answer (GET /readyz: start-up finished, then every dependency checked), the first signed-in list, the p50 of the
 * warm lists after it, and the process's resident memory.
 *   npx tsx bench/lambdaColdStart.ts [starts=5]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { buildLambda, describePackage, unpackLambda } from '../scripts/buildLambda';
import { loadConfig } from '../src/config';
import { invokeBundle } from '../test/harness/lambdaBundle';
import { createTestUser } from '../test/harness/users';
import { percentile, runBench, withBenchStack } from './benchStack';

const STARTS = Number(process.argv[2] ?? 5);
const WARM_REQUESTS = 20;

/** One start's figures: milliseconds, and resident bytes. */
interface StartFigures {
  load: number;
  ready: number;
  firstList: number;
  warm: number;
  rss: number;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
const median = (values: number[]) => percentile(values, 50);

runBench(() =>
  withBenchStack(async (env) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imagepipe-lambda-bench-'));
    try {
      const built = await buildLambda(path.join(dir, 'imagepipe-api.zip'));
      unpackLambda(built.zip, dir);
      console.log(`package ${describePackage(built)}`);

      const config = loadConfig(env);
      const secrets = new SecretsManagerClient({
        region: config.aws.region,
        endpoint: config.aws.secretsManagerEndpoint,
        credentials: config.aws.credentials,
      });
      const { ARN } = await secrets.send(
        new CreateSecretCommand({ Name: 'imagepipe/firebase-api-key', SecretString: config.firebase.apiKey }),
      );
      secrets.destroy();
      const user = await createTestUser(config);
      const lambdaEnv = {
        ...env,
        AWS_LAMBDA_FUNCTION_NAME: 'imagepipe-api',
        LOG_LEVEL: 'silent',
        FIREBASE_API_KEY: '',
        FIREBASE_API_KEY_SECRET_ARN: ARN!,
      };
      const list = { method: 'GET', url: '/api/v1/images', headers: { authorization: `Bearer ${user.idToken}` } };
      const calls = [{ method: 'GET', url: '/readyz' }, ...Array.from({ length: WARM_REQUESTS + 1 }, () => list)];

      const runs: StartFigures[] = [];
      for (let start = 1; start <= STARTS; start += 1) {
        const run = await invokeBundle(dir, calls, lambdaEnv);
        const statuses = new Set(run.answers.map((answer) => answer.statusCode));
        if (statuses.size !== 1 || !statuses.has(200)) throw new Error(`answers ${[...statuses].join(', ')}`);
        const [ready, firstList, ...warm] = run.answers.map((answer) => answer.ms);
        const figures: StartFigures = {
          load: run.loadMs,
          ready: ready!,
          firstList: firstList!,
          warm: median(warm),
          rss: run.rssBytes,
        };
        runs.push(figures);
        console.log(
          `start ${start}: load ${figures.load.toFixed(0)} ms, first answer (readyz) ${figures.ready.toFixed(0)} ms, ` +
            `first list ${figures.firstList.toFixed(0)} ms, warm list p50 ${figures.warm.toFixed(1)} ms, ` +
            `RSS ${mib(figures.rss)}`,
        );
      }
      const of = (key: keyof StartFigures) => median(runs.map((run) => run[key]));
      console.log(
        `median of ${STARTS}: load ${of('load').toFixed(0)} ms, load + first answer ` +
          `${(of('load') + of('ready')).toFixed(0)} ms, first list ${of('firstList').toFixed(0)} ms, ` +
          `warm list p50 ${of('warm').toFixed(1)} ms, RSS ${mib(of('rss'))}`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }),
);
