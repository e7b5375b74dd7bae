#!/usr/bin/env node
// The published entry point. deskhand ships TypeScript sources and runs them through tsx,
// so `npm install && npm start` needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
