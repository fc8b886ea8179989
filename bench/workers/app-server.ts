import { loadConfig } from '../../src/config.js'
import { startServer } from '../../src/http/server.js'

/** What the parent is told once the server listens. */
export interface AppServerReady {
  url: string
}

/**
 * One server instance in its own process, as `serial-ledger serve` runs it (startServer: migrations,
 * commands, checkpointer, webhook deliverer), configured from the environment the parent sets. It
 * answers `{ url }` once it listens and closes cleanly on the message "stop" (or when the parent dies).
 */
const server = await startServer(loadConfig(process.env), { logger: false })
process.send!({ url: server.url } satisfies AppServerReady)
const stop = () => void server.close().finally(() => process.exit(0))
process.on('message', (m) => {
  if (m === 'stop') stop()
})
process.on('disconnect', stop)
