import crypto from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** One HTTP request as it reaches API Gateway (or a function URL). */
export interface GatewayRequest {
  method: string;
  /** Path and query string. */
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** Where the request came in and from whom: the gateway's host name and scheme, and the client's address. */
export interface GatewayOrigin {
  domainName: string;
  protocol: 'https' | 'http';
  sourceIp: string;
}

/** Bodies API Gateway hands over as text; any other is base64-encoded. */
const TEXTUAL = /^(application\/(json|x-www-form-urlencoded)|text\/)/;

/**
 * The payload-2.0 event API Gateway's HTTP API (or a function URL) hands the function for a request: headers
 * lower-cased with its own X-Forwarded-* set, cookies apart, the query apart, a binary body base64-encoded.
 */
export function apiGatewayEvent(request: GatewayRequest, origin: GatewayOrigin): APIGatewayProxyEventV2 {
  const [rawPath = '/', rawQueryString = ''] = request.url.split(/\?(.*)/s);
  const { body } = request;
  const { cookie, ...headers }: Record<string, string> = {
    'user-agent': '',
    ...Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value])),
    host: origin.domainName,
    'x-forwarded-for': origin.sourceIp,
    'x-forwarded-proto': origin.protocol,
    'x-forwarded-port': origin.protocol === 'https' ? '443' : (origin.domainName.split(':')[1] ?? '80'),
    ...(body ? { 'content-length': String(body.length) } : {}),
  };
  const textual = TEXTUAL.test(headers['content-type'] ?? '');
  const apiId = origin.domainName.split(/[.:]/)[0]!;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    cookies: cookie?.split(/;\s*/),
    headers,
    queryStringParameters: rawQueryString
      ? Object.fromEntries(new URLSearchParams(rawQueryString).entries())
      : undefined,
    requestContext: {
      accountId: '123456789012',
      apiId,
      domainName: origin.domainName,
      domainPrefix: apiId,
      http: {
        method: request.method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: origin.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      // API Gateway's ids are 16 characters of base64 ending in '='.
      requestId: `${crypto.randomBytes(11).toString('base64url').slice(0, 15)}=`,
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body: body ? (textual ? body.toString('utf8') : body.toString('base64')) : undefined,
    isBase64Encoded: Boolean(body) && !textual,
  };
}
