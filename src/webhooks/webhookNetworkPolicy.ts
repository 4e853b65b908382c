import ipaddr from 'ipaddr.js';

/** Where webhooks may go besides public `https` hosts: set by the operator, never by a client. */
export interface WebhookNetworkPolicy {
  /**
   * Exact host names or addresses (`localhost`, `127.0.0.1`, `::1`) that may be reached over plain `http` and at
   * private addresses: local development and tests. Empty in production.
   */
  insecureHosts: string[];
}

/** Whether the operator allows this host (a URL's `hostname`, any spelling) plain http and private addresses. */
export function allowsInsecureHost(policy: WebhookNetworkPolicy, hostname: string): boolean {
  const key = hostKey(hostname);
  return policy.insecureHosts.some((host) => hostKey(host) === key);
}

/** One spelling per host: no brackets, lower case, no trailing dot, an address in its canonical form. */
export function hostKey(host: string): string {
  const bare = host
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase()
    .replace(/\.$/, '');
  return ipaddr.isValid(bare) ? ipaddr.parse(bare).toString() : bare;
}
