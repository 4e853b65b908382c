import http from 'node:http';
import https from 'node:https';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { classifyAddress, METADATA_ADDRESSES } from './addressClass';
import { allowsInsecureHost, type WebhookNetworkPolicy } from './webhookNetworkPolicy';

/**
 * What one delivery attempt came to. `answered`: the receiver's status (a 3xx too: redirects are never followed),
 * the time to its response head, and the first bytes of its body. `unreachable`: no answer, and why, in words for the
 * delivery log.
 */
export type WebhookResponse =
  | { kind: 'answered'; status: number; latencyMs: number; excerpt: string }
  | { kind: 'unreachable'; reason: string; latencyMs: number };

/** How much of a receiver's body is kept (and, give or take one socket read, read at all). */
export const WEBHOOK_EXCERPT_BYTES = 512;

export const WEBHOOK_USER_AGENT = 'imagepipe-webhooks/1';

type Phase = 'connecting' | 'handshake' | 'waiting';

const PHASE_WORDS: Record<Phase, string> = {
  connecting: 'before a connection was made',
  handshake: 'during the TLS handshake',
  waiting: 'waiting for the answer',
};

/**
 * POSTs one webhook. Every connection goes through an agent of request-filtering-agent, which checks the address
 * the host resolves to (the very lookup the socket connects with, so a name cannot resolve once to a public address
 * for a check and then to a private one for the connection) and refuses private, loopback, link-local, reserved and
 * unspecified addresses unless `policy.insecureHosts` names the host, and the cloud metadata addresses always. The
 * agent is made for this one request, without keep-alive, so no socket is reused by another attempt or endpoint.
 *
 * The URL is expected to have passed checkWebhookUrl (which also refuses plain http to a host not allowed);
 * `timeoutMs` bounds the whole attempt: DNS, connection, TLS, the answer and its excerpt. Never throws for what the
 * network does.
 */
export async function postWebhook(
  url: URL,
  body: string,
  headers: Record<string, string>,
  policy: WebhookNetworkPolicy,
  options: { timeoutMs: number },
): Promise<WebhookResponse> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const secure = url.protocol === 'https:';
  if (!secure && url.protocol !== 'http:') {
    return { kind: 'unreachable', reason: `refused: ${url.protocol} is not http or https`, latencyMs: 0 };
  }
  const agentOptions = {
    keepAlive: false,
    allowPrivateIPAddress: allowsInsecureHost(policy, url.hostname),
    denyIPAddressList: METADATA_ADDRESSES,
  };
  const agent = secure ? new RequestFilteringHttpsAgent(agentOptions) : new RequestFilteringHttpAgent(agentOptions);

  return new Promise<WebhookResponse>((resolve) => {
    let phase: Phase = 'connecting';
    let answer: { status: number; latencyMs: number; chunks: Buffer[]; bytes: number } | undefined;
    let settled = false;

    const settle = (response: WebhookResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      agent.destroy();
      resolve(response);
    };
    const settleAnswered = () => {
      if (answer === undefined) return;
      const truncated = answer.bytes > WEBHOOK_EXCERPT_BYTES;
      const bytes = Buffer.concat(answer.chunks).subarray(0, WEBHOOK_EXCERPT_BYTES);
      // `stream` leaves out a character cut at the 512th byte rather than printing a replacement for it.
      const excerpt = new TextDecoder().decode(bytes, { stream: truncated });
      settle({ kind: 'answered', status: answer.status, latencyMs: answer.latencyMs, excerpt });
    };
    const settleUnreachable = (reason: string) => settle({ kind: 'unreachable', reason, latencyMs: elapsed() });

    const request = (secure ? https : http).request(url, {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        'user-agent': WEBHOOK_USER_AGENT,
        ...headers,
        'content-length': String(Buffer.byteLength(body)),
      },
    });
    const timer = setTimeout(() => {
      if (answer !== undefined) settleAnswered();
      else settleUnreachable(`no answer within ${options.timeoutMs} ms (timed out ${PHASE_WORDS[phase]})`);
    }, options.timeoutMs);

    request.on('socket', (socket) => {
      socket.once('connect', () => (phase = secure ? 'handshake' : 'waiting'));
      socket.once('secureConnect', () => (phase = 'waiting'));
    });
    request.on('error', (error) => {
      // An error after the head (the receiver hung up mid-body) still leaves its status as the answer.
      if (answer !== undefined) settleAnswered();
      else settleUnreachable(describeFailure(error, url, phase));
    });
    request.on('response', (response) => {
      const received = { status: response.statusCode ?? 0, latencyMs: elapsed(), chunks: [] as Buffer[], bytes: 0 };
      answer = received;
      response.on('data', (chunk: Buffer) => {
        received.chunks.push(chunk);
        received.bytes += chunk.length;
        if (received.bytes > WEBHOOK_EXCERPT_BYTES) settleAnswered();
      });
      response.on('error', settleAnswered);
      response.on('close', settleAnswered);
    });
    request.end(body);
  });
}

/** One line for the delivery log: what failed, where, without a stack. */
function describeFailure(error: Error, url: URL, phase: Phase): string {
  // request-filtering-agent's refusals: "DNS lookup 127.0.0.1(family:4, host:localhost) is not allowed. …"
  const refused = /^DNS lookup (\S+?)\(family:.*is not allowed/.exec(error.message);
  if (refused) {
    const address = refused[1]!;
    const kind = classifyAddress(address);
    const words = kind.kind === 'public' ? 'an address refused' : kind.words;
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    return host === address
      ? `refused: ${address} is ${words}`
      : `refused: ${url.hostname} resolves to ${address}, ${words}`;
  }
  const code = errorCode(error);
  if (code === 'ENOTFOUND' || code?.startsWith('EAI_')) return `DNS lookup of ${url.hostname} failed (${code})`;
  if (code === 'ECONNREFUSED') return `connection refused by ${url.host}`;
  // OpenSSL's messages carry its error stack ("… error:0A00010B:SSL routines:func:wrong version number:file:line:"),
  // Node's certificate errors advise whoever runs Node ("self-signed certificate; if the root CA is installed…").
  const message =
    /:error:[0-9A-F]+:[^:]*:[^:]*:([^:]+)/.exec(error.message)?.[1] ??
    oneLine(error.message.replace(/; if the root CA .*$/s, ''));
  const what = `${message || 'failed'}${code !== undefined && !message.includes(code) ? ` (${code})` : ''}`;
  if (phase === 'handshake') return `TLS handshake with ${url.host} failed: ${what}`;
  return `${what}, ${PHASE_WORDS[phase]} from ${url.host}`;
}

function errorCode(error: Error): string | undefined {
  const { code } = error as NodeJS.ErrnoException;
  if (code !== undefined) return code;
  // Several addresses tried in turn (happy eyeballs) fail together.
  if (error instanceof AggregateError) {
    const first: unknown = error.errors[0];
    return first instanceof Error ? errorCode(first) : undefined;
  }
  return undefined;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
