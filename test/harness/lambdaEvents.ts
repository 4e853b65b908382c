import crypto from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

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

const DOMAINS: Record<EventSource, string> = {
  'http-api': 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com',
  'function-url': 'a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6.lambda-url.us-east-1.on.aws',
};

/** The origin a client of each source reaches the API at (absolute URLs in answers start with it). */
export const originOf = (source: EventSource) => `https://${DOMAINS[source]}`;

/**
 * The payload-2.0 event API Gateway (or a function URL) hands the function for a request: headers lower-cased with
 * its own X-Forwarded-* added, the query apart, a binary body base64-encoded.
 */
export function httpEventV2(call: HttpCall, source: EventSource = 'http-api'): APIGatewayProxyEventV2 {
  const domainName = DOMAINS[source];
  const [rawPath = '/', rawQueryString = ''] = call.url.split('?');
  const body = call.body === undefined ? undefined : Buffer.from(call.body);
  const headers: Record<string, string> = {
    host: domainName,
    'x-forwarded-for': '203.0.113.7',
    'x-forwarded-proto': 'https',
    'x-forwarded-port': '443',
    'user-agent': 'imagepipe-test',
    ...Object.fromEntries(Object.entries(call.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value])),
    ...(body ? { 'content-length': String(body.length) } : {}),
  };
  const textual = /^(application\/(json|x-www-form-urlencoded)|text\/)/.test(headers['content-type'] ?? '');
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers,
    queryStringParameters: rawQueryString
      ? Object.fromEntries(new URLSearchParams(rawQueryString).entries())
      : undefined,
    requestContext: {
      accountId: '123456789012',
      apiId: domainName.split('.')[0]!,
      domainName,
      domainPrefix: domainName.split('.')[0]!,
      http: {
        method: call.method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.7',
        userAgent: 'imagepipe-test',
      },
      requestId: `${crypto.randomBytes(6).toString('base64url')}=`,
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body: body ? (textual ? body.toString('utf8') : body.toString('base64')) : undefined,
    isBase64Encoded: Boolean(body) && !textual,
  };
}

const lambdaContext = { awsRequestId: crypto.randomUUID(), functionName: 'imagepipe-api' } as Context;

function parsed(contentType: string | undefined, text: string): unknown {
  return contentType?.includes('json') && text ? JSON.parse(text) : text;
}

export async function invokeHandler(
  handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>,
  call: HttpCall,
  source: EventSource = 'http-api',
): Promise<HttpAnswer & { event: APIGatewayProxyEventV2 }> {
  const event = httpEventV2(call, source);
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
