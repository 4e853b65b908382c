import fs from 'node:fs';
import path from 'node:path';

/**
 * The layers of src/ and which way imports may run between them: api → services → storage / clients, activities →
 * storage, workflows → contracts only, contracts → nothing of the project. A wrong-way import fails here.
 */
const ALLOWED: Record<string, string[]> = {
  contracts: [],
  workflows: ['contracts'],
  util: [],
  config: ['contracts'],
  logging: [],
  clustering: [],
  images: ['config', 'contracts'],
  ai: ['config', 'contracts'],
  storage: ['config', 'contracts', 'util', 'images'],
  provisioning: ['config', 'storage'],
  clients: ['config', 'contracts'],
  // Nearest neighbours over one user's embeddings: the API's similar images and search, the worker's near-duplicates.
  similarity: ['storage', 'clustering'],
  activities: ['contracts', 'storage', 'ai', 'images', 'clustering', 'config', 'util', 'similarity'],
  // Text search embeds its query with the AI provider the images were embedded with.
  services: ['contracts', 'storage', 'clients', 'images', 'clustering', 'config', 'util', 'ai', 'similarity'],
  // The API's composition root (app.ts, main.ts, apiClients.ts, readiness.ts) builds clients and storage.
  api: ['services', 'contracts', 'images', 'config', 'logging', 'clients', 'storage', 'provisioning'],
  // The worker's composition root: it hands the workflows' folder to the SDK, which bundles them apart.
  workers: ['activities', 'ai', 'clients', 'config', 'contracts', 'logging', 'storage', 'workflows'],
  // The API's Lambda entry: the same app as the API's own server, built from the configuration once per container.
  lambda: ['api', 'config', 'logging'],
  // The command-line client reaches the service over HTTP only, as any client does.
  cli: ['util'],
};

/** Routes parse, call a service and render: they never reach storage or a client themselves. */
const ROUTES_ALLOWED = ['services', 'contracts', 'images', 'config'];

/** Packages the deterministic layers may import: workflow code runs in Temporal's sandbox. */
const WORKFLOW_PACKAGES = ['@temporalio/workflow', '@temporalio/common'];

const SRC = path.resolve(__dirname, '..', '..', 'src');

export interface SourceFile {
  /** Path under src/, with forward slashes. */
  file: string;
  text: string;
}

function sourceFiles(dir = SRC): SourceFile[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts')
      ? [{ file: path.relative(SRC, full).split(path.sep).join('/'), text: fs.readFileSync(full, 'utf8') }]
      : [];
  });
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'|\brequire(?:\.resolve)?\('([^']+)'\)|\bimport\('([^']+)'\)/g;

function importsOf(text: string): string[] {
  return [...text.matchAll(IMPORT)].map((match) => match[1] ?? match[2] ?? match[3]!);
}

/** Every import that runs against the layers, as `file → import (why)`. */
export function layerViolations(files: SourceFile[]): string[] {
  const violations: string[] = [];
  for (const { file, text } of files) {
    const layer = file.split('/')[0]!;
    const isRoute = file.startsWith('api/routes/');
    for (const specifier of importsOf(text)) {
      if (!specifier.startsWith('.')) {
        if ((layer === 'contracts' || layer === 'workflows') && !WORKFLOW_PACKAGES.includes(specifier)) {
          violations.push(`${file} → ${specifier} (only ${WORKFLOW_PACKAGES.join(' and ')} here)`);
        }
        continue;
      }
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
      if (target.startsWith('..')) continue;
      const targetLayer = target.split('/')[0]!;
      if (targetLayer === layer) continue;
      const allowed = isRoute ? ROUTES_ALLOWED : (ALLOWED[layer] ?? []);
      if (!allowed.includes(targetLayer))
        violations.push(`${file} → ${specifier} (${layer} may not import ${targetLayer})`);
    }
  }
  return violations;
}

describe('layers', () => {
  const files = sourceFiles();

  it('knows every folder of src/', () => {
    expect([...new Set(files.map(({ file }) => file.split('/')[0]!))].filter((layer) => !(layer in ALLOWED))).toEqual(
      [],
    );
  });

  it('has no import running against the layers', () => {
    expect(layerViolations(files)).toEqual([]);
  });

  it('catches a wrong-way import', () => {
    expect(
      layerViolations([
        { file: 'workflows/processImage.ts', text: "import { ImageObjects } from '../storage/imageObjects';" },
        { file: 'api/routes/imageReadRoutes.ts', text: "import type { Storage } from '../../storage/createStorage';" },
        { file: 'contracts/objectKeys.ts', text: "import sharp from 'sharp';" },
        { file: 'storage/imageRepository.ts', text: "export { thing } from '../services/imageQueries';" },
      ]),
    ).toEqual([
      'workflows/processImage.ts → ../storage/imageObjects (workflows may not import storage)',
      'api/routes/imageReadRoutes.ts → ../../storage/createStorage (api may not import storage)',
      'contracts/objectKeys.ts → sharp (only @temporalio/workflow and @temporalio/common here)',
      'storage/imageRepository.ts → ../services/imageQueries (storage may not import services)',
    ]);
  });
});
