import ipaddr from 'ipaddr.js';

/**
 * What an IP address is to a webhook: `public` (a unicast address of the internet), `private` (any other: private,
 * loopback, link-local, unique-local, carrier-grade NAT, multicast, reserved; refused unless the operator allows the
 * host) or `forbidden` (the cloud metadata service, and the unspecified address, which reaches this machine: refused
 * even for allowed hosts, since no receiver lives there).
 */
export type AddressClass = { kind: 'public' } | { kind: 'private' | 'forbidden'; words: string };

/** AWS, GCP, Azure and others answer instance metadata (and credentials) there. */
export const METADATA_ADDRESSES = ['169.254.169.254', 'fd00:ec2::254'];

const RANGE_WORDS: Record<string, string> = {
  private: 'a private address',
  loopback: 'a loopback address',
  linkLocal: 'a link-local address',
  uniqueLocal: 'a unique-local address',
  carrierGradeNat: 'a carrier-grade NAT address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  ipv4Mapped: 'an IPv4-mapped IPv6 address',
};

/** Classifies an address in any notation ipaddr.js reads (dotted, IPv6, IPv4-mapped IPv6); throws on a non-address. */
export function classifyAddress(address: string): AddressClass {
  const parsed = ipaddr.parse(address);
  const canonical = parsed.toString();
  if (METADATA_ADDRESSES.includes(canonical)) return { kind: 'forbidden', words: 'the cloud metadata address' };
  const range = parsed.range();
  if (range === 'unspecified') return { kind: 'forbidden', words: 'the unspecified address (this machine)' };
  if (range === 'unicast') return { kind: 'public' };
  if (parsed.kind() === 'ipv6' && range === 'ipv4Mapped') {
    // Connections go to the IPv4 address inside: say what that one is.
    const inner = classifyAddress((parsed as ipaddr.IPv6).toIPv4Address().toString());
    return inner.kind === 'public' ? { kind: 'private', words: RANGE_WORDS.ipv4Mapped! } : inner;
  }
  return { kind: 'private', words: RANGE_WORDS[range] ?? `a reserved address (${range})` };
}
