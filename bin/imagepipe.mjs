#!/usr/bin/env node
// The `imagepipe` command. It runs the built CLI (dist/, from `npm run build` or scripts/start.sh) when there is
// one, else the TypeScript source through tsx (a devDependency, installed by `npm ci`): so `npx imagepipe` works in
// a fresh clone without a build step, and a machine that has built runs plain JavaScript.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, URL } from 'node:url';

const built = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const cli = existsSync(built)
  ? createRequire(import.meta.url)(built)
  : (await import('tsx/cjs/api')).require('../src/cli/main.ts', import.meta.url);
await cli.main();
