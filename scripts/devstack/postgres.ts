import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { daemonFiles, type Component } from './components';
import { acceptsConnections } from './ports';
import type { StackSettings } from './settings';

/** The database user Temporal connects as: trusted on loopback, no password (the server listens on 127.0.0.1 only). */
export const POSTGRES_USER = 'temporal';

/** Temporal's two databases and the schema each gets from temporal-sql-tool's embedded, versioned schemas. */
export const TEMPORAL_DATABASES = [
  { database: 'temporal', schema: 'postgresql/v12/temporal' },
  { database: 'temporal_visibility', schema: 'postgresql/v12/visibility' },
] as const;

/** PostgreSQL's server programs: STACK_POSTGRES_BIN, else Debian's newest /usr/lib/postgresql/<n>/bin, else PATH. */
export function postgresBinDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.STACK_POSTGRES_BIN) return env.STACK_POSTGRES_BIN;
  const debian = '/usr/lib/postgresql';
  const versions = fs.existsSync(debian)
    ? fs
        .readdirSync(debian)
        .filter((version) => fs.existsSync(path.join(debian, version, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0]) return path.join(debian, versions[0], 'bin');
  const found = (env.PATH ?? '')
    .split(path.delimiter)
    .find((dir) => fs.existsSync(path.join(dir, 'postgres')) && fs.existsSync(path.join(dir, 'initdb')));
  if (!found)
    throw new Error('PostgreSQL not found: install it (apt-get install postgresql) or set STACK_POSTGRES_BIN');
  return found;
}

/**
 * PostgreSQL refuses to run as root. Run as root (as CI does), the server and initdb run as the machine's `postgres`
 * user (Debian's package makes it), or `nobody`; `setpriv` switches before exec, so the pid is the server's own.
 */
function asServerUser(command: string, args: string[]): { command: string; args: string[]; uid?: number } {
  if (process.getuid?.() !== 0) return { command, args };
  const user = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find(([name]) => name === 'postgres') ?? ['nobody', '', '65534', '65534'];
  const [uid, gid] = [Number(user[2]), Number(user[3])];
  return {
    command: 'setpriv',
    args: [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', command, ...args],
    uid,
  };
}

/** A PostgreSQL server of the stack's own: a data folder made by initdb, loopback only, a socket in its folder. */
export function postgresComponent(settings: StackSettings, port: number): Component {
  const dir = path.join(settings.dir, 'postgres');
  const dataDir = path.join(dir, 'data');
  const bin = postgresBinDir();
  const server = asServerUser(path.join(bin, 'postgres'), [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-h',
    settings.host,
    '-k',
    dir,
    // Seven Temporal processes with a pool each (see the cluster's persistence settings), and room for tools.
    '-c',
    'max_connections=200',
    '-c',
    'shared_buffers=64MB',
  ]);
  return {
    name: 'postgres',
    port,
    startTimeoutMs: 60_000,
    prepare: () => {
      fs.mkdirSync(dir, { recursive: true });
      if (server.uid !== undefined) {
        fs.chownSync(dir, server.uid, -1);
        // The server's user must pass through the stack's folder (a temporary one is private to its maker).
        fs.chmodSync(settings.dir, fs.statSync(settings.dir).mode | 0o001);
      }
      if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return;
      const initdb = asServerUser(path.join(bin, 'initdb'), [
        '-D',
        dataDir,
        '-U',
        POSTGRES_USER,
        '--auth=trust',
        '-E',
        'UTF8',
        '--no-sync',
      ]);
      execFileSync(initdb.command, initdb.args, { stdio: 'pipe' });
    },
    spec: {
      name: 'postgres',
      command: server.command,
      args: server.args,
      cwd: dir,
      // SIGINT is PostgreSQL's fast shutdown: it ends open sessions instead of waiting for them (SIGTERM's "smart").
      stopSignal: 'SIGINT',
      ...daemonFiles(settings, 'postgres'),
    },
    isHealthy: () => acceptsConnections(settings.host, port),
  };
}

/**
 * Creates Temporal's databases and brings their schemas to the version this server needs, with temporal-sql-tool
 * from the same Go module as the server (scripts/install-tools.sh). Safe on databases that have them: creating
 * an existing database is ignored (-q), setting up versioning again changes nothing, an update applies only what is
 * missing.
 */
export function ensureTemporalSchema(settings: StackSettings, port: number): void {
  const tool = path.join(settings.toolsDir, 'temporal-sql-tool');
  for (const { database, schema } of TEMPORAL_DATABASES) {
    const base = [
      '--plugin',
      'postgres12',
      '--ep',
      settings.host,
      '-p',
      String(port),
      '-u',
      POSTGRES_USER,
      '--db',
      database,
    ];
    for (const command of [
      ['-q', 'create-database'],
      ['setup-schema', '-v', '0.0'],
      ['update-schema', '--schema-name', schema],
    ]) {
      try {
        execFileSync(tool, [...base, ...command], { stdio: 'pipe' });
      } catch (error) {
        const output = (error as { stderr?: Buffer; stdout?: Buffer }).stdout?.toString() ?? '';
        throw new Error(`temporal-sql-tool ${command.join(' ')} on ${database} failed:\n${output.slice(-2000)}`, {
          cause: error,
        });
      }
    }
  }
}
