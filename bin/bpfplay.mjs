#!/usr/bin/env node
// Runs the TypeScript CLI through tsx (installed by `npm ci`), so no build step is needed.
import { tsImport } from 'tsx/esm/api';

const { cli } = await tsImport('../src/cli/bpfplay.ts', import.meta.url);
await cli();
