import { buildProgram } from './program.js'

// `serial-ledger export units | head` closes stdout early; that ends the command, it is not a crash.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e
  process.exit(process.exitCode ?? 0)
})

// Commands set process.exitCode (1 for refused input, 2 for internal errors) rather than exiting, so
// the database closes first; `serve` keeps the process alive until SIGINT/SIGTERM.
await buildProgram().parseAsync(process.argv)
