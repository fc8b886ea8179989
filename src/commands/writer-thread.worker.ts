/*
 * The writer thread (see writer-thread.ts): opens its own connection and runs the stock commands it is
 * sent, all of them concurrently, so that commands arriving together share one commit.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { systemClock } from '../core/clock.js'
import { connect } from '../db/connect.js'
import { type CommandOptions, runOperation } from '../modules/operations/index.js'
import { OPERATIONS_BY_NAME } from '../modules/registry.js'
import { sendableError, type WriterReply, type WriterRequest, type WriterThreadOptions } from './writer-thread.js'

const options = workerData as WriterThreadOptions
const db = connect(options.url, { sqliteSynchronous: options.sqliteSynchronous })
const ctx = { db, clock: systemClock }
const port = parentPort!
let running = 0
let closing = false

const closeWhenIdle = async () => {
  if (!closing || running > 0) return
  await db.close()
  port.close()
}

port.on('message', (message: WriterRequest | 'close') => {
  if (message === 'close') {
    closing = true
    void closeWhenIdle()
    return
  }
  running++
  runOperation(ctx, OPERATIONS_BY_NAME[message.name], message.opts as CommandOptions, message.input as never)
    .then(
      (value) => port.postMessage({ id: message.id, ok: true, value } satisfies WriterReply),
      (error: unknown) =>
        port.postMessage({ id: message.id, ok: false, error: sendableError(error) } satisfies WriterReply),
    )
    .finally(() => {
      running--
      void closeWhenIdle()
    })
})
