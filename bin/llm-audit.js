#!/usr/bin/env node
// The CLI is compiled TypeScript; `npm run build` produces dist/.
import '../dist/services/cli/main.js';
