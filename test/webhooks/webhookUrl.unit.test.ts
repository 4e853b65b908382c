import { checkWebhookUrl, WebhookUrlError, type WebhookUrlRule } from '../../src/webhooks/webhookUrl';
import type { WebhookNetworkPolicy } from '../../src/webhooks/webhookNetworkPolicy';

const NONE: WebhookNetworkPolicy = { insecureHosts: [] };

/** The refusal checkWebhookUrl throws for a URL, as rule and message (or the URL it accepts, as its href). */
function verdict(raw: string, policy = NONE): { rule: WebhookUrlRule; message: string } | string {
  try {
    return checkWebhookUrl(raw, policy).href;
  } catch (error) {
    if (!(error instanceof WebhookUrlError)) throw error;
    return { rule: error.rule, message: error.message };
  }
}

/**
 * Which webhook URLs a client may register (issue 29, item 3): absolute https URLs of public hosts, without
 * credentials or fragment; plain http and private hosts only for the hosts the operator allows.
 */
describe('checkWebhookUrl', () => {
  it('accepts an https URL of a public host, and public addresses, as WHATWG normalises them', () => {
    expect(verdict('https://hooks.example.com/imagepipe?app=1')).toBe('https://hooks.example.com/imagepipe?app=1');
    expect(verdict('HTTPS://Hooks.Example.COM:8443/in')).toBe('https://hooks.example.com:8443/in');
    expect(verdict('https://93.184.215.14/in')).toBe('https://93.184.215.14/in');
    expect(verdict('https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/')).toBe(
      'https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/',
    );
  });

  it('refuses what is not an absolute URL', () => {
    for (const raw of ['', 'hooks.example.com/in', '/webhooks', '//hooks.example.com/in', 'https://', 'not a url']) {
      expect(verdict(raw)).toEqual({ rule: 'url', message: expect.stringMatching(/not an absolute URL/) });
    }
  });

  it('refuses a URL longer than 2,048 characters, as given or once normalised', () => {
    const base = 'https://hooks.example.com/';
    expect(verdict(base + 'a'.repeat(2048 - base.length))).toBe(base + 'a'.repeat(2048 - base.length));
    expect(verdict(base + 'a'.repeat(2049 - base.length))).toEqual({
      rule: 'length',
      message: 'The URL is 2049 characters long; at most 2048.',
    });
    // Each é becomes %C3%A9 once parsed.
    expect(verdict(base + 'é'.repeat(1000))).toEqual({ rule: 'length', message: expect.stringMatching(/normalised/) });
  });

  it('refuses every scheme but https, and plain http to a host the operator does not allow', () => {
    for (const [raw, scheme] of [
      ['http://hooks.example.com/in', 'http'],
      ['ftp://hooks.example.com/in', 'ftp'],
      ['file:///etc/passwd', 'file'],
      ['javascript:alert(1)', 'javascript'],
      ['gopher://hooks.example.com/', 'gopher'],
      ['ws://hooks.example.com/', 'ws'],
    ]) {
      expect(verdict(raw!)).toEqual({
        rule: 'scheme',
        message: `The URL's scheme is ${scheme}; webhooks are sent over https.`,
      });
    }
    expect(verdict('http://localhost:3000/in', { insecureHosts: ['localhost'] })).toBe('http://localhost:3000/in');
    // Allowing one host allows no other.
    expect(verdict('http://hooks.example.com/in', { insecureHosts: ['localhost'] })).toMatchObject({ rule: 'scheme' });
  });

  it('refuses credentials in the URL', () => {
    for (const raw of [
      'https://user:secret@hooks.example.com/',
      'https://user@hooks.example.com/',
      'https://:secret@hooks.example.com/',
    ]) {
      expect(verdict(raw)).toEqual({ rule: 'credentials', message: expect.stringMatching(/has credentials/) });
    }
  });

  it('refuses a fragment, even an empty one', () => {
    for (const raw of ['https://hooks.example.com/in#part', 'https://hooks.example.com/in#']) {
      expect(verdict(raw)).toEqual({ rule: 'fragment', message: expect.stringMatching(/has a fragment/) });
    }
  });

  it('refuses a host that is an address outside the public internet, in every notation', () => {
    const refusals: [string, string][] = [
      // Loopback, however it is written: WHATWG reads each IPv4 notation to the dotted one.
      ['https://127.0.0.1/', 'a loopback address'],
      ['https://2130706433/', 'a loopback address'],
      ['https://0x7f.1/', 'a loopback address'],
      ['https://0x7f000001/', 'a loopback address'],
      ['https://0177.0.0.1/', 'a loopback address'],
      ['https://127.1/', 'a loopback address'],
      ['https://127.255.255.254/', 'a loopback address'],
      ['https://[::1]/', 'a loopback address'],
      ['https://[0:0:0:0:0:0:0:1]/', 'a loopback address'],
      // IPv4-mapped IPv6 reaches the IPv4 address inside.
      ['https://[::ffff:127.0.0.1]/', 'a loopback address'],
      ['https://[::ffff:7f00:1]/', 'a loopback address'],
      ['https://[::ffff:10.0.0.1]/', 'a private address'],
      ['https://[::ffff:8.8.8.8]/', 'an IPv4-mapped IPv6 address'],
      ['https://10.0.0.1/', 'a private address'],
      ['https://172.16.5.4/', 'a private address'],
      ['https://192.168.1.1/', 'a private address'],
      ['https://0xc0a80101/', 'a private address'],
      ['https://169.254.1.1/', 'a link-local address'],
      ['https://[fe80::1]/', 'a link-local address'],
      ['https://[fc00::1]/', 'a unique-local address'],
      ['https://[fd12:3456::1]/', 'a unique-local address'],
      ['https://100.64.0.1/', 'a carrier-grade NAT address'],
      ['https://224.0.0.1/', 'a multicast address'],
      ['https://[ff02::1]/', 'a multicast address'],
      ['https://255.255.255.255/', 'the broadcast address'],
      ['https://240.0.0.1/', 'a reserved address (reserved)'],
      ['https://192.0.2.1/', 'a reserved address (reserved)'],
      ['https://[2001:db8::1]/', 'a reserved address (reserved)'],
      ['https://[64:ff9b::7f00:1]/', 'a reserved address (rfc6052)'],
      ['https://[2002:7f00:1::]/', 'a reserved address (6to4)'],
      ['https://0.0.0.0/', 'the unspecified address (this machine)'],
      ['https://0/', 'the unspecified address (this machine)'],
      ['https://[::]/', 'the unspecified address (this machine)'],
      ['https://169.254.169.254/latest/meta-data/', 'the cloud metadata address'],
      ['https://[fd00:ec2::254]/', 'the cloud metadata address'],
    ];
    for (const [raw, words] of refusals) {
      const host = new URL(raw).hostname;
      expect([raw, verdict(raw)]).toEqual([
        raw,
        {
          rule: 'address',
          message: `The URL's host ${host} is ${words}; webhooks are delivered to public addresses only.`,
        },
      ]);
    }
  });

  it('refuses names that resolve only inside this machine or a private network, and the metadata service', () => {
    const refusals: [string, RegExp][] = [
      ['https://localhost/', /a name of this machine/],
      ['https://LOCALHOST./', /a name of this machine/],
      ['https://api.localhost/', /a name of this machine/],
      ['https://printer.local/', /multicast DNS name/],
      ['https://db.localdomain/', /a name of this machine or its network/],
      ['https://service.internal/', /a name of a private network \(\.internal\)/],
      ['https://ip-10-0-0-1.ec2.internal/', /a name of a private network/],
      ['https://nas.home.arpa/', /a name of a home network/],
      ['https://intranet/', /not a fully qualified domain name/],
      ['https://metadata.google.internal/computeMetadata/v1/', /the cloud metadata service/],
      ['https://metadata/', /the cloud metadata service/],
      ['https://instance-data/', /the cloud metadata service/],
    ];
    for (const [raw, message] of refusals) {
      expect([raw, verdict(raw)]).toEqual([raw, { rule: 'host_name', message: expect.stringMatching(message) }]);
    }
  });

  it('lets the hosts the operator allows use plain http and private addresses, written any way', () => {
    const policy = { insecureHosts: ['localhost', '127.0.0.1', '::1', 'receiver.internal'] };
    expect(verdict('http://localhost:8080/in', policy)).toBe('http://localhost:8080/in');
    expect(verdict('https://LocalHost./in', policy)).toBe('https://localhost./in');
    expect(verdict('http://127.0.0.1:8080/in', policy)).toBe('http://127.0.0.1:8080/in');
    expect(verdict('http://2130706433:8080/in', policy)).toBe('http://127.0.0.1:8080/in');
    expect(verdict('http://[::1]:8080/in', policy)).toBe('http://[::1]:8080/in');
    expect(verdict('http://receiver.internal/in', policy)).toBe('http://receiver.internal/in');
    expect(verdict('http://[0::1]/', { insecureHosts: ['[::1]'] })).toBe('http://[::1]/');
    // Only those: another loopback address or name is still refused.
    expect(verdict('http://127.0.0.2:8080/in', policy)).toMatchObject({ rule: 'scheme' });
    expect(verdict('https://127.0.0.2:8080/in', policy)).toMatchObject({ rule: 'address' });
    expect(verdict('https://api.localhost/in', policy)).toMatchObject({ rule: 'host_name' });
    // An allowed host still may not carry credentials or a fragment.
    expect(verdict('http://user:pw@localhost/in', policy)).toMatchObject({ rule: 'credentials' });
    expect(verdict('http://localhost/in#x', policy)).toMatchObject({ rule: 'fragment' });
  });

  it('refuses the metadata service and the unspecified address even to a host the operator allows', () => {
    const policy = { insecureHosts: ['169.254.169.254', 'fd00:ec2::254', 'metadata.google.internal', '0.0.0.0'] };
    expect(verdict('http://169.254.169.254/', policy)).toMatchObject({ rule: 'address' });
    expect(verdict('http://[fd00:ec2::254]/', policy)).toMatchObject({ rule: 'address' });
    expect(verdict('http://[::ffff:169.254.169.254]/', { insecureHosts: ['::ffff:169.254.169.254'] })).toMatchObject({
      rule: 'address',
      message: expect.stringMatching(/the cloud metadata address/),
    });
    expect(verdict('http://metadata.google.internal/', policy)).toMatchObject({ rule: 'host_name' });
    expect(verdict('http://0.0.0.0/', policy)).toMatchObject({ rule: 'address' });
  });
});
