import fs from 'node:fs';
import path from 'node:path';
import { answersHttp, daemonFiles, type Component } from './components';
import type { StackSettings } from './settings';

/** What HAProxy balances: where it listens and the servers behind, by name and port (all on the stack's host). */
export interface LoadBalancerShape {
  /** Temporal's frontends (gRPC). */
  temporalPort: number;
  temporalFrontends: Array<{ name: string; port: number }>;
  /** The service's APIs (HTTP). */
  apiPort: number;
  apis: Array<{ name: string; port: number }>;
  /** HAProxy's own page of every server's state. */
  statsPort: number;
}

/**
 * HAProxy's configuration. gRPC is balanced per request, not per connection (HTTP/2 without TLS on both sides): a
 * client holds one connection for its life, and a connection-level balancer would send all of a worker's polls to
 * one frontend. A server that stops answering its check for 2 s is taken out; a request that could not reach one
 * is sent to another. Long polls last up to 70 s, so the timeouts are longer than that.
 */
export function haproxyConfig(host: string, shape: LoadBalancerShape): string {
  const servers = (list: Array<{ name: string; port: number }>, options: string) =>
    list.map((server) => `  server ${server.name} ${host}:${server.port} ${options}`).join('\n');
  return `global
  maxconn 4096

defaults
  mode http
  timeout connect 2s
  timeout client 2m
  timeout server 2m
  timeout http-request 30s
  retries 2
  option redispatch

frontend temporal
  bind ${host}:${shape.temporalPort} proto h2
  default_backend temporal_frontends

backend temporal_frontends
  balance roundrobin
${servers(shape.temporalFrontends, 'proto h2 check inter 1s fall 2 rise 1')}

frontend api
  bind ${host}:${shape.apiPort}
  option forwardfor
  default_backend apis

backend apis
  balance roundrobin
  # Liveness, not readiness: a dependency down for every API must not empty the pool, or clients would get the
  # balancer's own HTML 503 instead of the API's problem+json with Retry-After.
  option httpchk GET /healthz
  # Only a request that never reached an API is sent again: an upload that did is the client's to retry.
  retry-on conn-failure
${servers(shape.apis, 'check inter 1s fall 2 rise 1')}

listen stats
  bind ${host}:${shape.statsPort}
  stats enable
  stats uri /
  stats refresh 2s
`;
}

/** HAProxy from Debian's package, unpacked into .local by scripts/install-tools.sh. */
export function haproxyComponent(settings: StackSettings, shape: LoadBalancerShape): Component {
  const dir = path.join(settings.dir, 'haproxy');
  const configFile = path.join(dir, 'haproxy.cfg');
  return {
    name: 'haproxy',
    port: shape.temporalPort,
    startTimeoutMs: 10_000,
    prepare: () => {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(configFile, haproxyConfig(settings.host, shape));
    },
    spec: {
      name: 'haproxy',
      command: path.join(settings.toolsDir, 'haproxy'),
      // -db: stay in the foreground (the stack keeps it as a daemon of its own).
      args: ['-db', '-f', configFile],
      cwd: dir,
      // SIGUSR1 is HAProxy's soft stop: it finishes the requests under way.
      stopSignal: 'SIGUSR1',
      ...daemonFiles(settings, 'haproxy'),
    },
    isHealthy: () => answersHttp(`http://${settings.host}:${shape.statsPort}/`, [200]),
  };
}
