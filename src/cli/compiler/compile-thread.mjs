// Starts the compiler thread's TypeScript through tsx (as bin/bpfplay.mjs does for the CLI).
import { tsImport } from 'tsx/esm/api';

await tsImport('./compile-thread.ts', import.meta.url);
