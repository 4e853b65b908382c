/**
 * `npm run lambda:local`: the API's Lambda package served over HTTP on loopback as a function URL serves it, to try
 * the function with curl, the CLI or the gallery against the local stack (`npm run stack -- up` first).
 *
 * It builds the package (npm run build:lambda), unpacks it into .local/lambda, loads its handler once with the
 * stack's environment (.local/stack/stack.env, then .env) as one warm Lambda container, and hands it each request as
 * a payload-2.0 event. As AWS does, it refuses a request over 6 MB itself, with a 413 of its own.
 *   tsx scripts/lambdaLocal.ts [port=3000]
 */
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Context } from 'aws-lambda';
import { parse as parseEnv } from 'dotenv';
import type { ApiHandler } from '../src/lambda/apiHandler';
import { buildLambda, describePackage, unpackLambda } from './buildLambda';
import { apiGatewayEvent } from './devstack/apiGatewayEvent';
import { envFileOf } from './devstack/stack';
import { resolveSettings } from './devstack/settings';

/** What one synchronous invocation carries (AWS Lambda's limit for the event). */
const MAX_REQUEST_BYTES = 6 * 1024 * 1024;
const UNPACKED = path.resolve(__dirname, '..', '.local', 'lambda');

/** The body, or undefined once it passes the limit (the rest is drained and dropped). */
async function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
  }
  return size > MAX_REQUEST_BYTES ? undefined : Buffer.concat(chunks);
}

function headersOf(req: http.IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(req.headers).flatMap(([name, value]) =>
      value === undefined ? [] : [[name, Array.isArray(value) ? value.join(',') : value]],
    ),
  );
}

async function answer(handler: ApiHandler, req: http.IncomingMessage, res: http.ServerResponse, port: number) {
  const body = await readBody(req);
  if (body === undefined) {
    res.writeHead(413, { 'content-type': 'application/json' }).end('{"Message":"Request Entity Too Large"}');
    return;
  }
  const event = apiGatewayEvent(
    { method: req.method ?? 'GET', url: req.url ?? '/', headers: headersOf(req), body: body.length ? body : undefined },
    { domainName: `127.0.0.1:${port}`, protocol: 'http', sourceIp: req.socket.remoteAddress ?? '127.0.0.1' },
  );
  const result = await handler(event, { awsRequestId: event.requestContext.requestId } as Context);
  const headers: http.OutgoingHttpHeaders = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)]),
  );
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  res
    .writeHead(result.statusCode ?? 200, headers)
    .end(Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8'));
}

async function main(port: number): Promise<void> {
  const settings = await resolveSettings();
  const envFile = envFileOf(settings);
  if (!fs.existsSync(envFile)) throw new Error(`No ${envFile}: start the stack first (npm run stack -- up)`);
  const localEnv = fs.existsSync('.env') ? parseEnv(fs.readFileSync('.env')) : {};
  Object.assign(process.env, parseEnv(fs.readFileSync(envFile)), localEnv, {
    AWS_LAMBDA_FUNCTION_NAME: 'imagepipe-api-local',
  });

  const built = await buildLambda();
  fs.rmSync(UNPACKED, { recursive: true, force: true });
  unpackLambda(built.zip, UNPACKED);
  // Loading index.js starts the API, as Lambda's init phase does; the first request waits for it.
  // Required by path, as Lambda's Node runtime loads the handler's module (CommonJS, built at run time).
  const { handler } = createRequire(__filename)(path.join(UNPACKED, 'index.js')) as { handler: ApiHandler };

  const server = http.createServer((req, res) => {
    answer(handler, req, res, port).catch((error: unknown) => {
      // What AWS answers when the function itself fails.
      process.stderr.write(`invocation failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end('{"Message":"Internal Server Error"}');
    });
  });
  server.listen(port, '127.0.0.1', () => {
    process.stdout.write(
      `${path.relative(process.cwd(), built.zip)} (${describePackage(built)}) served as a function URL at ` +
        `http://127.0.0.1:${port}/ (gallery), API http://127.0.0.1:${port}/api/v1\n`,
    );
  });
}

main(Number(process.argv[2] ?? 3000)).catch((error: unknown) => {
  process.stderr.write(`lambda:local failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
