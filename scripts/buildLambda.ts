/**
 * `npm run build:lambda`: the API as one AWS Lambda deployment package, dist/lambda/imagepipe-api.zip.
 *
 *   index.js, index.js.map        the API bundled by esbuild (minified, with source maps), handler `index.handler`
 *   public/                       the gallery's page, stylesheet and modules
 *   node_modules/swagger-ui-dist  the API docs' assets, which swagger-ui-express serves from that package's folder
 *   node_modules/openapi-fetch    the gallery's typed client, one ES module the API serves from that package
 *
 * The API needs no native module: the build fails if one (or a package only the worker uses) gets into the bundle,
 * so the package runs on either Lambda architecture.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { unzipSync, zipSync, type Zippable } from 'fflate';

const ROOT = path.resolve(__dirname, '..');
const OUT_DIR = path.join(ROOT, 'dist', 'lambda');
export const LAMBDA_ZIP = path.join(OUT_DIR, 'imagepipe-api.zip');
/**
 * The Node release the bundle is built for: the function's `Runtime` in deploy/aws/template.yaml (nodejs24.x), not
 * the Node 26 of the servers, until Lambda's nodejs26.x leaves preview.
 */
export const LAMBDA_NODE_TARGET = 'node24';

/** Packages that have no place in the API's bundle: native code, or the worker's image and model work. */
const FORBIDDEN = /node_modules\/(sharp|@img|@tensorflow|nsfwjs|@temporalio\/(worker|core-bridge)|@swc)\/|\.node$/;

/** What swagger-ui-express serves of swagger-ui-dist (its page loads these), and what the package needs to load. */
const SWAGGER_UI_FILES = [
  'package.json',
  'index.js',
  'absolute-path.js',
  'LICENSE',
  'NOTICE',
  'index.css',
  'swagger-ui.css',
  'swagger-ui-bundle.js',
  'swagger-ui-standalone-preset.js',
  'favicon-16x16.png',
  'favicon-32x32.png',
];

// Every entry gets the same date and a world-readable mode (Lambda runs the code as another user): same input, same zip.
const MTIME = new Date('2020-01-01T00:00:00Z');
const ENTRY = { mtime: MTIME, os: 3, attrs: (0o100644 << 16) >>> 0 } as const;
const FOLDER = { mtime: MTIME, os: 3, attrs: (0o40755 << 16) >>> 0 } as const;

function forbiddenInputs(metafile: Metafile): string[] {
  return Object.keys(metafile.inputs).filter((input) => FORBIDDEN.test(input));
}

function filesOf(dir: string, names: string[]): Zippable {
  return Object.fromEntries(names.map((name) => [name, [fs.readFileSync(path.join(dir, name)), ENTRY]]));
}

export async function buildLambda(zipFile = LAMBDA_ZIP): Promise<{ zip: string; bytes: number; bundleBytes: number }> {
  const result = await build({
    entryPoints: [path.join(ROOT, 'src', 'lambda', 'index.ts')],
    bundle: true,
    platform: 'node',
    target: LAMBDA_NODE_TARGET,
    format: 'cjs',
    minify: true,
    // Stack traces map back to src/ (NODE_OPTIONS=--enable-source-maps); the sources themselves stay out of the map.
    sourcemap: 'external',
    sourcesContent: false,
    external: ['swagger-ui-dist', 'openapi-fetch'],
    legalComments: 'none',
    metafile: true,
    write: false,
    outfile: 'index.js',
    logLevel: 'warning',
  });
  const forbidden = forbiddenInputs(result.metafile);
  if (forbidden.length > 0) throw new Error(`The API bundle must not contain: ${forbidden.join(', ')}`);

  const output = (name: string) => result.outputFiles.find((file) => path.basename(file.path) === name)!.contents;
  const bundle = output('index.js');
  const publicDir = path.join(ROOT, 'public');
  const swaggerDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  const openapiFetchDir = path.dirname(require.resolve('openapi-fetch/package.json'));
  const zip = zipSync(
    {
      'index.js': [bundle, ENTRY],
      'index.js.map': [output('index.js.map'), ENTRY],
      public: [filesOf(publicDir, fs.readdirSync(publicDir).sort()), FOLDER],
      node_modules: [
        {
          'swagger-ui-dist': [filesOf(swaggerDir, SWAGGER_UI_FILES), FOLDER],
          'openapi-fetch': [
            {
              ...filesOf(openapiFetchDir, ['package.json', 'LICENSE']),
              dist: [filesOf(path.join(openapiFetchDir, 'dist'), ['index.mjs']), FOLDER],
            },
            FOLDER,
          ],
        },
        FOLDER,
      ],
    },
    { level: 9 },
  );
  fs.mkdirSync(path.dirname(zipFile), { recursive: true });
  fs.writeFileSync(zipFile, zip);
  return { zip: zipFile, bytes: zip.length, bundleBytes: bundle.length };
}

/** `3.15 MiB zipped, index.js 4.85 MiB minified`: what build:lambda, lambda:local and the bench print. */
export function describePackage({ bytes, bundleBytes }: { bytes: number; bundleBytes: number }): string {
  const mib = (value: number) => `${(value / 1024 / 1024).toFixed(2)} MiB`;
  return `${mib(bytes)} zipped, index.js ${mib(bundleBytes)} minified`;
}

/** Unpacks a package into `dir` as Lambda lays it out in /var/task; returns its entries' names. */
export function unpackLambda(zip: string, dir: string): string[] {
  const files = unzipSync(fs.readFileSync(zip));
  for (const [name, content] of Object.entries(files)) {
    if (name.endsWith('/')) continue;
    fs.mkdirSync(path.join(dir, path.dirname(name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return Object.keys(files);
}

if (require.main === module) {
  buildLambda().then(
    (built) => process.stdout.write(`${path.relative(process.cwd(), built.zip)}: ${describePackage(built)}\n`),
    (error: unknown) => {
      process.stderr.write(`build:lambda failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
