import net from 'node:net';
import { classifyAddress } from './addressClass';
import { allowsInsecureHost, type WebhookNetworkPolicy } from './webhookNetworkPolicy';

/** Which rule a webhook URL breaks, so the API can name it to the client. */
export type WebhookUrlRule = 'url' | 'length' | 'scheme' | 'credentials' | 'fragment' | 'address' | 'host_name';

/** A webhook URL refused before anything is sent to it; the message says what to change. */
export class WebhookUrlError extends Error {
  constructor(
    readonly rule: WebhookUrlRule,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'WebhookUrlError';
  }
}

export const WEBHOOK_URL_MAX_LENGTH = 2048;

/** Names of the cloud metadata service: refused even when an operator allows them. */
const METADATA_HOST_NAMES = ['metadata.google.internal', 'metadata', 'instance-data', 'instance-data.ec2.internal'];

/** Names (and their subdomains) that only ever resolve inside a machine or a private network, and what they are. */
const PRIVATE_NAMES: Record<string, string> = {
  localhost: 'a name of this machine (RFC 6761)',
  localdomain: 'a name of this machine or its network',
  local: 'a multicast DNS name of the local network (RFC 6762)',
  internal: 'a name of a private network (.internal)',
  'home.arpa': 'a name of a home network (RFC 8375)',
};

/**
 * Checks a webhook URL as a client gives it, before it is stored: an absolute `https` URL of at most 2,048
 * characters, without credentials or fragment, whose host is neither an address outside the public internet nor a
 * name that only resolves inside a private network. Plain `http` and private hosts are allowed for the hosts the
 * operator names in `policy.insecureHosts`. Returns the URL as WHATWG parses it (every IPv4 notation, decimal, hex or
 * short, is dotted by then, which is what makes the address check complete).
 *
 * A name that resolves to a private address passes here: postWebhook refuses it after resolution, at every attempt.
 */
export function checkWebhookUrl(raw: string, policy: WebhookNetworkPolicy): URL {
  if (raw.length > WEBHOOK_URL_MAX_LENGTH) {
    throw new WebhookUrlError('length', `The URL is ${raw.length} characters long; at most ${WEBHOOK_URL_MAX_LENGTH}.`);
  }
  if (!URL.canParse(raw)) {
    throw new WebhookUrlError('url', 'The URL is not an absolute URL (such as https://example.com/webhooks).');
  }
  const url = new URL(raw);
  if (url.href.length > WEBHOOK_URL_MAX_LENGTH) {
    throw new WebhookUrlError(
      'length',
      `The URL is ${url.href.length} characters long once normalised; at most ${WEBHOOK_URL_MAX_LENGTH}.`,
    );
  }
  const allowed = allowsInsecureHost(policy, url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowed)) {
    throw new WebhookUrlError(
      'scheme',
      `The URL's scheme is ${url.protocol.slice(0, -1)}; webhooks are sent over https.`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new WebhookUrlError(
      'credentials',
      'The URL has credentials (user:password@); authenticate the request with its webhook signature instead.',
    );
  }
  // An empty fragment ("…#") leaves `hash` empty but is still in the URL.
  if (url.hash !== '' || url.href.endsWith('#')) {
    throw new WebhookUrlError('fragment', 'The URL has a fragment (#…), which is never sent; remove it.');
  }
  checkHost(url.hostname, allowed);
  return url;
}

function checkHost(hostname: string, allowed: boolean): void {
  const bare = hostname.replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(bare) !== 0) {
    const address = classifyAddress(bare);
    if (address.kind === 'forbidden' || (address.kind === 'private' && !allowed)) {
      throw new WebhookUrlError(
        'address',
        `The URL's host ${hostname} is ${address.words}; webhooks are delivered to public addresses only.`,
      );
    }
    return;
  }
  const name = hostname.replace(/\.$/, '');
  if (METADATA_HOST_NAMES.includes(name)) {
    throw new WebhookUrlError('host_name', `The URL's host ${hostname} is the cloud metadata service.`);
  }
  if (allowed) return;
  const suffix = Object.keys(PRIVATE_NAMES).find((end) => name === end || name.endsWith(`.${end}`));
  if (suffix !== undefined) {
    throw new WebhookUrlError(
      'host_name',
      `The URL's host ${hostname} is ${PRIVATE_NAMES[suffix]}; webhooks are delivered to public hosts only.`,
    );
  }
  // A single label is completed with the machine's search domains: an intranet host, never a public one.
  if (!name.includes('.')) {
    throw new WebhookUrlError('host_name', `The URL's host ${hostname} is not a fully qualified domain name.`);
  }
}
