import type { Command } from 'commander'
import { loadConfig } from '../config.js'
import { startServer } from '../http/server.js'
import { asInputError, type DbFlags, type Print, printLine, reportError, withDatabaseOption } from './cli-context.js'

interface ServeFlags extends DbFlags {
  port?: string
  host?: string
}

/** Starts the HTTP server and stops it cleanly on SIGINT/SIGTERM (a second signal exits at once). */
export async function serve(flags: ServeFlags, print: Print = printLine): Promise<void> {
  const port = flags.port === undefined ? undefined : Number(flags.port)
  const config = asInputError(() => loadConfig(process.env, { databaseUrl: flags.databaseUrl, host: flags.host, port }))
  const server = await startServer(config)
  print(`Serial Ledger listening on ${server.url}\nAPI docs: ${server.url}/api/docs`)
  let isStopping = false
  const stop = (signal: NodeJS.Signals) => {
    if (isStopping) process.exit(130)
    isStopping = true
    print(`${signal}: shutting down`)
    server.close().then(
      () => print('stopped'),
      (e: unknown) => reportError(e, false),
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

export function registerServeCommand(program: Command): void {
  withDatabaseOption(
    program
      .command('serve')
      .description('run the HTTP API and web UI')
      .option('--port <port>', 'port to listen on (overrides PORT; default 8080)')
      .option('--host <host>', 'interface to bind (overrides HOST; default 127.0.0.1)'),
  ).action(async (flags: ServeFlags) => {
    try {
      await serve(flags)
    } catch (e) {
      reportError(e, false)
    }
  })
}
