/*
 * A real server in its own process, for the crash test: reads DATABASE_URL, PORT and HOST like
 * `serial-ledger serve`, and prints one line `LISTENING <url>` once it accepts connections, so the
 * parent knows where to send requests (PORT=0 picks a free port). SIGTERM closes it cleanly; the crash
 * test sends SIGKILL instead.
 *
 *   DATABASE_URL=sqlite:/tmp/x.db PORT=0 node --import tsx test/reliability/server-process.ts
 */
import { loadConfig } from '../../src/config.js'
import { startServer } from '../../src/http/server.js'

const server = await startServer(loadConfig(process.env), { logger: process.env.SERVER_LOG === '1' })
process.stdout.write(`LISTENING ${server.url}\n`)
process.once('SIGTERM', () => {
  void server.close().finally(() => process.exit(0))
})
// The test that started us died without stopping us (a timeout, Ctrl-C): do not linger.
process.stdin.on('end', () => process.exit(1)).resume()
