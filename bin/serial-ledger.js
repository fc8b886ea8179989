#!/usr/bin/env node
// Runs the compiled CLI (`npm run build` makes dist/); `npm start` builds first.
import('../dist/src/cli/main.js').catch((e) => {
  if (e?.code === 'ERR_MODULE_NOT_FOUND') console.error('serial-ledger is not built yet: run `npm run build` first.')
  else console.error(e)
  process.exit(1)
})
