import crypto from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { ApiHandler } from '../../src/lambda/apiHandler';
import { apiGatewayEvent, type GatewayOrigin } from '../../scripts/devstack/apiGatewayEvent';

/** One HTTP request, as a test sends it to the API's server and, as an event, to its Lambda handler. */
export interface HttpCall {
  method: string;
  /** Path and query string. */
  url: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

/** An answer from either side, in one shape: headers lower-cased, a JSON body parsed. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Where the events come from: an HTTP API's default endpoint, or a function URL. */
export type EventSource = 'http-api' | 'function-url';

const ORIGINS: Record<EventSource, GatewayOrigin> = {
  'http-api': {
    domainName: 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com',
    protocol: 'https',
    sourceIp: '203.0.113.7',
  },
  'function-url': {
    domainName: 'a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6.lambda-url.us-east-1.on.aws',
    protocol: 'https',
    sourceIp: '203.0.113.7',
  },
};

/** The origin a client of each source reaches the API at (absolute URLs in answers start with it). */
export const originOf = (source: EventSource) => `https://${ORIGINS[source].domainName}`;

/** The event API Gateway (or a function URL) would hand the function for `call`, from `sourceIp` if given. */
export function httpEventV2(
  call: HttpCall,
  source: EventSource = 'http-api',
  sourceIp = ORIGINS[source].sourceIp,
): APIGatewayProxyEventV2 {
  return apiGatewayEvent(
    {
      method: call.method,
      url: call.url,
      headers: { 'user-agent': 'imagepipe-test', ...call.headers },
      body: call.body === undefined ? undefined : Buffer.from(call.body),
    },
    { ...ORIGINS[source], sourceIp },
  );
}

const lambdaContext = { awsRequestId: crypto.randomUUID(), functionName: 'imagepipe-api' } as Context;

function parsed(contentType: string | undefined, text: string): unknown {
  return contentType?.includes('json') && text ? JSON.parse(text) : text;
}

export function invokeHandler(
  handler: ApiHandler,
  call: HttpCall,
  source: EventSource = 'http-api',
): Promise<HttpAnswer & { event: APIGatewayProxyEventV2 }> {
  return invokeWithEvent(handler, httpEventV2(call, source));
}

/** The handler's answer to an event as given. */
export async function invokeWithEvent(
  handler: ApiHandler,
  event: APIGatewayProxyEventV2,
): Promise<HttpAnswer & { event: APIGatewayProxyEventV2 }> {
  const result = await handler(event, lambdaContext);
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]),
  );
  const text = Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8').toString('utf8');
  return { status: result.statusCode ?? 200, headers, body: parsed(headers['content-type'], text), event };
}

export async function fetchFromServer(baseUrl: string, call: HttpCall): Promise<HttpAnswer> {
  const response = await fetch(`${baseUrl}${call.url}`, {
    method: call.method,
    headers: call.headers,
    body: call.body,
    redirect: 'manual',
  });
  const headers = Object.fromEntries(response.headers.entries());
  return { status: response.status, headers, body: parsed(headers['content-type'], await response.text()) };
}

/** A multipart form as the bytes and Content-Type a client sends, so both sides get the very same request. */
export async function multipartBody(form: FormData): Promise<{ body: Buffer; contentType: string }> {
  const request = new Request('http://form.invalid/', { method: 'POST', body: form });
  return {
    body: Buffer.from(await request.arrayBuffer()),
    contentType: request.headers.get('content-type')!,
  };
}
