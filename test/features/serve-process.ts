/*
 * `serial-ledger serve`'s start-up (open, migrate, first admin, listen) in a process of its own, for the
 * migration race test: it loads everything, prints `READY`, waits for a line `GO` on stdin (so the test
 * starts two of them at the same moment), starts the server on DATABASE_URL and a free port, prints
 * `STARTED <applied migrations>` and stops. Any failure exits 1 with the error on stderr.
 *
 *   DATABASE_URL=sqlite:/tmp/x.db node --import tsx test/features/serve-process.ts
 */
import { createInterface } from 'node:readline'
import { loadConfig } from '../../src/config.js'
import { startServer } from '../../src/http/server.js'

const lines = createInterface({ input: process.stdin })
process.stdout.write('READY\n')
for await (const line of lines) if (line.trim() === 'GO') break
try {
  const server = await startServer(loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1' }), { logger: false })
  process.stdout.write(`STARTED ${server.url}\n`)
  await server.close()
  process.exit(0)
} catch (e) {
  process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`)
  process.exit(1)
}
