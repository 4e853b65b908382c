import { builtinModules } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The import rules of the project, read from the syntax tree (TypeScript's own parser and module resolution) of every
 * TypeScript file of src/, scripts/, bench/ and test/: each static import and export-from, side-effect import,
 * `import x = require()`, dynamic `import()`, `require()`, `require.resolve()` and `import('…').Type`.
 *
 * The layers of src/ and which way imports may run between them: api → services → storage / clients, activities →
 * storage, workflows → contracts only, contracts → nothing of the project. src/ reaches nothing outside src/, and
 * at run time only the packages the production image installs (`dependencies`). scripts/ builds on src/ alone;
 * bench/ and test/ may use anything of the project. Every package imported anywhere is declared in package.json.
 * A unit test (`*.unit.test.ts`) reaches none of the modules that start or read the test stack. An import whose
 * target is not written out (a computed `require(name)`) cannot be checked, and so is refused.
 */
const ALLOWED: Record<string, string[]> = {
  contracts: [],
  workflows: ['contracts'],
  util: [],
  config: ['contracts'],
  logging: [],
  clustering: [],
  // Signing and sending webhooks without server-side request forgery: a leaf.
  webhooks: [],
  images: ['config', 'contracts'],
  ai: ['config', 'contracts'],
  storage: ['config', 'contracts', 'util', 'images'],
  provisioning: ['config', 'storage'],
  clients: ['config', 'contracts'],
  // Nearest neighbours over one user's embeddings: the API's similar images and search, the worker's near-duplicates.
  similarity: ['storage', 'clustering'],
  activities: ['contracts', 'storage', 'ai', 'images', 'clustering', 'config', 'util', 'similarity', 'webhooks'],
  // Text search embeds its query with the AI provider the images were embedded with.
  services: [
    'contracts',
    'storage',
    'clients',
    'images',
    'clustering',
    'config',
    'util',
    'ai',
    'similarity',
    'webhooks',
  ],
  // The API's composition root (app.ts, main.ts, apiClients.ts, readiness.ts) builds clients and storage.
  api: ['services', 'contracts', 'images', 'config', 'logging', 'clients', 'storage', 'provisioning'],
  // The worker's composition root: it hands the workflows' folder to the SDK, which bundles them apart; webhook events
  // are published and their data built by the same services the API uses.
  workers: [
    'activities',
    'ai',
    'clients',
    'config',
    'contracts',
    'logging',
    'services',
    'storage',
    'webhooks',
    'workflows',
  ],
  // The API's Lambda entry: the same app as the API's own server, built from the configuration once per container.
  lambda: ['api', 'config', 'logging'],
  // The API's contract for its clients: the OpenAPI document and the types generated from it.
  client: [],
  // The command-line client reaches the service over HTTP only, as any client does, typed by the contract.
  cli: ['util', 'client'],
};

/** Routes parse, call a service and render: they never reach storage or a client themselves. */
const ROUTES_ALLOWED = ['services', 'contracts', 'images', 'config'];

/** Packages the deterministic layers may import: workflow code runs in Temporal's sandbox. */
const WORKFLOW_PACKAGES = ['@temporalio/workflow', '@temporalio/common'];

/** The top folders, and the folders of the project each may import from (besides its own). */
const FOLDERS_ALLOWED: Record<string, string[]> = {
  // The service itself: it ships alone (Dockerfile, the Lambda zip).
  src: [],
  // The local stack (npm run stack, scripts/start.sh), the Lambda build: they run the service, not its tests.
  scripts: ['src'],
  bench: ['src', 'scripts', 'test'],
  test: ['src', 'scripts', 'bench'],
};

/** Single files allowed more than their folder, and why. */
const FILES_ALLOWED: Record<string, string[]> = {
  // Records the replay tests' histories with the test harness's stack, worker and fixtures.
  'scripts/recordHistories.ts': ['test'],
};

/** Packages used though not declared in package.json, and why. */
const UNDECLARED_PACKAGES: Record<string, string> = {
  'swagger-ui-dist':
    "swagger-ui-express's own dependency, whose files the Lambda build copies beside the bundle (scripts/buildLambda.ts)",
};

/** Modules that start the test stack or read its environment: no unit test may reach them. */
const STACK_MODULES = ['test/harness/stackEnv.ts', 'test/harness/globalSetup.ts', 'scripts/devstack/stack.ts'];

const ROOT = path.resolve(__dirname, '..', '..');
const SCANNED = Object.keys(FOLDERS_ALLOWED);

export interface SourceFile {
  /** Path from the repository's root, with forward slashes. */
  file: string;
  text: string;
}

export interface Import {
  /** As written; undefined when the target is computed, not written out. */
  specifier: string | undefined;
  /** Erased when compiled: `import type`, `export type`, `import('…').Type`, or every name imported a type. */
  typeOnly: boolean;
}

function sourceFiles(dir: string): SourceFile[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(file);
    return entry.name.endsWith('.ts') ? [{ file, text: fs.readFileSync(path.join(ROOT, file), 'utf8') }] : [];
  });
}

const literal = (node: ts.Node | undefined): string | undefined =>
  node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;

/** Every import of a file, in every form TypeScript or Node reads one. */
export function importsOf({ file, text }: SourceFile): Import[] {
  const found: Import[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const typeOnly =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name &&
            !!bindings &&
            ts.isNamedImports(bindings) &&
            bindings.elements.length > 0 &&
            bindings.elements.every((element) => element.isTypeOnly)));
      found.push({ specifier: literal(node.moduleSpecifier), typeOnly });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      const clause = node.exportClause;
      const typeOnly =
        node.isTypeOnly ||
        (!!clause &&
          ts.isNamedExports(clause) &&
          clause.elements.length > 0 &&
          clause.elements.every((element) => element.isTypeOnly));
      found.push({ specifier: literal(node.moduleSpecifier), typeOnly });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      found.push({ specifier: literal(node.moduleReference.expression), typeOnly: node.isTypeOnly });
    } else if (ts.isImportTypeNode(node)) {
      const argument = node.argument;
      found.push({
        specifier: ts.isLiteralTypeNode(argument) ? literal(argument.literal) : undefined,
        typeOnly: true,
      });
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      const isResolve =
        ts.isPropertyAccessExpression(callee) &&
        ts.isIdentifier(callee.expression) &&
        callee.expression.text === 'require' &&
        callee.name.text === 'resolve';
      if (isImport || isRequire || isResolve) found.push({ specifier: literal(node.arguments[0]), typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS));
  return found;
}

const tsconfig = ts.parseJsonConfigFileContent(
  ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), (file) => ts.sys.readFile(file)).config,
  ts.sys,
  ROOT,
);
const resolutionCache = ts.createModuleResolutionCache(ROOT, (name) => name, tsconfig.options);

/** Where a relative import leads, as a path from the root; undefined when it leads to no file. */
function resolveRelative(specifier: string, from: string): string | undefined {
  const containing = path.join(ROOT, from);
  const resolved = ts.resolveModuleName(specifier, containing, tsconfig.options, ts.sys, resolutionCache).resolvedModule
    ?.resolvedFileName;
  if (resolved) return path.relative(ROOT, resolved).split(path.sep).join('/');
  // Not a module TypeScript resolves (a .cjs file handed to a child process, say): a file as Node would find it.
  const target = path.resolve(path.dirname(containing), specifier);
  const candidates = ['', '.ts', '.js', '.cjs', '.json', '/index.ts'].map((suffix) => target + suffix);
  const file = candidates.find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
  return file && path.relative(ROOT, file).split(path.sep).join('/');
}

const BUILTINS = new Set(builtinModules);

/** The package an import names (`@scope/name` or `name`), or undefined for a built-in module. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('node:') || BUILTINS.has(specifier.split('/')[0]!)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const packageJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const dependencies = new Set(Object.keys(packageJson.dependencies));
const declared = new Set([...dependencies, ...Object.keys(packageJson.devDependencies)]);
/** The package that holds the types of `name` when it ships none: `@types/name`, `@types/scope__name`. */
const typesPackage = (name: string) => `@types/${name.replace(/^@/, '').replace('/', '__')}`;

interface Edge {
  from: string;
  specifier: string;
  typeOnly: boolean;
  /** The file of the project it leads to, if any. */
  target?: string;
}

/** Every import that breaks the rules, as `file → import (why)`. */
export function layerViolations(files: SourceFile[]): string[] {
  const violations: string[] = [];
  const edges: Edge[] = [];
  for (const source of files) {
    const { file } = source;
    const folder = file.split('/')[0]!;
    const inSrc = folder === 'src';
    const layer = inSrc ? file.split('/')[1]! : undefined;
    const isRoute = file.startsWith('src/api/routes/');
    for (const { specifier, typeOnly } of importsOf(source)) {
      if (specifier === undefined) {
        violations.push(`${file} → (computed) (an import must name its target, or it cannot be checked)`);
        continue;
      }
      if (!specifier.startsWith('.')) {
        const name = packageOf(specifier);
        if ((layer === 'contracts' || layer === 'workflows') && !WORKFLOW_PACKAGES.includes(specifier)) {
          violations.push(`${file} → ${specifier} (only ${WORKFLOW_PACKAGES.join(' and ')} here)`);
        } else if (name && !declared.has(name) && !(typeOnly && declared.has(typesPackage(name)))) {
          if (!(name in UNDECLARED_PACKAGES))
            violations.push(`${file} → ${specifier} (${name} is not in package.json)`);
        } else if (name && inSrc && !typeOnly && !dependencies.has(name)) {
          violations.push(`${file} → ${specifier} (${name} is a devDependency: the production image lacks it)`);
        }
        edges.push({ from: file, specifier, typeOnly });
        continue;
      }
      const target = resolveRelative(specifier, file);
      edges.push({ from: file, specifier, typeOnly, target });
      if (!target) {
        violations.push(`${file} → ${specifier} (leads to no file)`);
        continue;
      }
      const targetFolder = target.split('/')[0]!;
      if (targetFolder !== folder) {
        const allowed = [...(FOLDERS_ALLOWED[folder] ?? []), ...(FILES_ALLOWED[file] ?? [])];
        if (!allowed.includes(targetFolder))
          violations.push(`${file} → ${specifier} (${folder}/ may not import ${targetFolder}/)`);
        continue;
      }
      if (!inSrc) continue;
      const targetLayer = target.split('/')[1]!;
      if (targetLayer === layer) continue;
      const allowed = isRoute ? ROUTES_ALLOWED : (ALLOWED[layer!] ?? []);
      if (!allowed.includes(targetLayer))
        violations.push(`${file} → ${specifier} (${layer} may not import ${targetLayer})`);
    }
  }
  return [
    ...violations,
    ...cyclesIn(edges.filter(({ from }) => from.startsWith('src/'))),
    ...stackReachedByUnitTests(edges),
  ];
}

/**
 * Modules of src/ that import each other at run time, round a cycle (Tarjan's strongly connected components): one
 * of them then runs against another that has not finished loading, and sees its exports undefined.
 */
function cyclesIn(edges: Edge[]): string[] {
  const next = new Map<string, string[]>();
  for (const { from, target, typeOnly } of edges) {
    if (target && !typeOnly) next.set(from, [...(next.get(from) ?? []), target]);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[] = [];
  const connect = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    for (const target of next.get(file) ?? []) {
      if (!index.has(target)) {
        connect(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (stack.includes(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    for (let member = stack.pop()!; ; member = stack.pop()!) {
      component.unshift(member);
      if (member === file) break;
    }
    if (component.length > 1) cycles.push(`${component.join(' → ')} → ${component[0]} (an import cycle)`);
  };
  for (const file of next.keys()) if (!index.has(file)) connect(file);
  return cycles;
}

/** A unit test that reaches, through what it imports at run time, a module that starts or reads the test stack. */
function stackReachedByUnitTests(edges: Edge[]): string[] {
  const next = new Map<string, string[]>();
  for (const { from, target, typeOnly } of edges) {
    if (target && !typeOnly) next.set(from, [...(next.get(from) ?? []), target]);
  }
  const unitTests = [...new Set(edges.map(({ from }) => from))].filter((file) => file.endsWith('.unit.test.ts'));
  return unitTests.flatMap((test) => {
    // Breadth first, remembering how each module was reached, to name the chain.
    const via = new Map<string, string>([[test, '']]);
    const queue = [test];
    for (const file of queue) {
      if (STACK_MODULES.includes(file)) {
        const chain = [file];
        while (via.get(chain[0]!)) chain.unshift(via.get(chain[0]!)!);
        return [`${test} → ${chain.slice(1).join(' → ')} (a unit test reaches the test stack: name it *.test.ts)`];
      }
      for (const target of next.get(file) ?? []) {
        if (!via.has(target)) {
          via.set(target, file);
          queue.push(target);
        }
      }
    }
    return [];
  });
}

describe('layers', () => {
  const files = SCANNED.flatMap(sourceFiles);

  it('knows every folder of src/', () => {
    const layers = new Set(files.filter(({ file }) => file.startsWith('src/')).map(({ file }) => file.split('/')[1]!));
    expect([...layers].filter((layer) => !(layer in ALLOWED))).toEqual([]);
  });

  it('has no import running against the rules', () => {
    expect(layerViolations(files)).toEqual([]);
  });

  it('reads every form of import, and only imports', () => {
    const text = [
      "import a from 'a';",
      "import type { B } from 'b';",
      "import { type C, type D } from 'cd';",
      "import { type E, f } from 'ef';",
      "import 'side-effect';",
      "export * from 'star';",
      "export type { G } from 'g';",
      "import h = require('h');",
      "const i = await import(\n  'i'\n);",
      "const j = require('j');",
      "const k = require.resolve('k');",
      "let l: import('l').L;",
      'const m = require(name);',
      "const text = \"import n from 'n'\"; // import o from 'o'",
    ].join('\n');
    expect(importsOf({ file: 'x.ts', text })).toEqual([
      { specifier: 'a', typeOnly: false },
      { specifier: 'b', typeOnly: true },
      { specifier: 'cd', typeOnly: true },
      { specifier: 'ef', typeOnly: false },
      { specifier: 'side-effect', typeOnly: false },
      { specifier: 'star', typeOnly: false },
      { specifier: 'g', typeOnly: true },
      { specifier: 'h', typeOnly: false },
      { specifier: 'i', typeOnly: false },
      { specifier: 'j', typeOnly: false },
      { specifier: 'k', typeOnly: false },
      { specifier: 'l', typeOnly: true },
      { specifier: undefined, typeOnly: false },
    ]);
  });

  it('catches a wrong-way import', () => {
    expect(
      layerViolations([
        { file: 'src/workflows/processImage.ts', text: "import { ImageObjects } from '../storage/imageObjects';" },
        {
          file: 'src/api/routes/imageReadRoutes.ts',
          text: "import type { Storage } from '../../storage/createStorage';",
        },
        { file: 'src/contracts/objectKeys.ts', text: "import sharp from 'sharp';" },
        { file: 'src/storage/imageRepository.ts', text: "export { thing } from '../services/imageQueries';" },
        // Forms the first version of this test, a regular expression over the text, let through:
        { file: 'src/storage/imageObjects.ts', text: "import '../services/imageQueries';" },
        { file: 'src/storage/imageRecord.ts', text: "const q = await import(\n  '../services/imageQueries'\n);" },
        { file: 'src/workflows/index.ts', text: "const p = require.resolve('../storage/imageObjects');" },
        { file: 'src/config/index.ts', text: "const stack = require('../../scripts/devstack/stack');" },
      ]),
    ).toEqual([
      'src/workflows/processImage.ts → ../storage/imageObjects (workflows may not import storage)',
      'src/api/routes/imageReadRoutes.ts → ../../storage/createStorage (api may not import storage)',
      'src/contracts/objectKeys.ts → sharp (only @temporalio/workflow and @temporalio/common here)',
      'src/storage/imageRepository.ts → ../services/imageQueries (storage may not import services)',
      'src/storage/imageObjects.ts → ../services/imageQueries (storage may not import services)',
      'src/storage/imageRecord.ts → ../services/imageQueries (storage may not import services)',
      'src/workflows/index.ts → ../storage/imageObjects (workflows may not import storage)',
      'src/config/index.ts → ../../scripts/devstack/stack (src/ may not import scripts/)',
    ]);
  });

  it('catches an import of a package the service does not install, or nobody declared, or cannot read', () => {
    expect(
      layerViolations([
        { file: 'src/api/app.ts', text: "import { parse } from 'yaml';\nimport type { Document } from 'yaml';" },
        { file: 'src/lambda/apiHandler.ts', text: "import type { Context } from 'aws-lambda';" },
        { file: 'bench/load.ts', text: "import { z } from 'zod/v4';\nimport left from 'left-pad';" },
        { file: 'scripts/stack.ts', text: "import { startApi } from '../test/harness/apiServer';" },
        { file: 'test/api/health.test.ts', text: 'const module = require(`./${name}`);' },
        { file: 'test/api/missing.test.ts', text: "import { nothing } from '../harness/nothing';" },
      ]),
    ).toEqual([
      'src/api/app.ts → yaml (yaml is a devDependency: the production image lacks it)',
      'bench/load.ts → left-pad (left-pad is not in package.json)',
      'scripts/stack.ts → ../test/harness/apiServer (scripts/ may not import test/)',
      'test/api/health.test.ts → (computed) (an import must name its target, or it cannot be checked)',
      'test/api/missing.test.ts → ../harness/nothing (leads to no file)',
    ]);
  });

  it('catches an import cycle, but not one of types alone', () => {
    expect(
      layerViolations([
        { file: 'src/storage/imageRecord.ts', text: "import { ImageObjects } from './imageObjects';" },
        { file: 'src/storage/imageObjects.ts', text: "import { newImageRecord } from './newImageRecord';" },
        { file: 'src/storage/newImageRecord.ts', text: "import { imageRecord } from './imageRecord';" },
        { file: 'src/clustering/kmeans.ts', text: "import type { Matrix } from './embeddingMatrix';" },
        { file: 'src/clustering/embeddingMatrix.ts', text: "import { kmeans } from './kmeans';" },
      ]),
    ).toEqual([
      'src/storage/imageRecord.ts → src/storage/imageObjects.ts → src/storage/newImageRecord.ts → src/storage/imageRecord.ts (an import cycle)',
    ]);
  });

  it('catches a unit test that reaches the test stack, naming the way', () => {
    const real = (file: string) => ({ file, text: fs.readFileSync(path.join(ROOT, file), 'utf8') });
    expect(
      layerViolations([
        { file: 'test/api/tokens.unit.test.ts', text: "import { startApi } from '../harness/apiServer';" },
        real('test/harness/apiServer.ts'),
        { file: 'test/api/types.unit.test.ts', text: "import type { TestStorage } from '../harness/storage';" },
        real('test/harness/storage.ts'),
      ]),
    ).toEqual([
      'test/api/tokens.unit.test.ts → test/harness/apiServer.ts → test/harness/stackEnv.ts (a unit test reaches the test stack: name it *.test.ts)',
    ]);
  });
});
