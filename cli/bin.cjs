#!/usr/bin/env node
/*
 * `journeys`, the bin of package.json, so `npx journeys …` runs the CLI in the checkout after
 * `npm install` (npm runs a project's own bin from its root). The CLI is TypeScript, run by tsx as
 * `npm run journeys` runs it: this registers tsx's CommonJS loader, then loads cli/journeys.ts.
 */
require('tsx/cjs/api').register();
require('./journeys.ts');
