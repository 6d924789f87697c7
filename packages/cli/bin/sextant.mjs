#!/usr/bin/env node
// A committed entry, so installing links the bin before the first build; the code is the built bundle.
await import('../dist/sextant.js');
