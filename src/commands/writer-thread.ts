import { extname } from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { ZodError } from 'zod'
import { AppError, type ErrorCode } from '../core/errors.js'
import type { AppContext } from '../core/context.js'
import type { OperationName } from '../modules/registry.js'
import { inProcessCommands, type StockCommands } from './stock-commands.js'

/**
 * Where a server runs its stock commands: on a SQLite file, in the writer thread; otherwise (PostgreSQL,
 * whose driver does not block; an in-memory SQLite that no other connection can see) in this thread.
 */
export function serverCommands(
  ctx: AppContext,
  options: { sqliteSynchronous?: 'FULL' | 'NORMAL' } = {},
): StockCommands {
  if (ctx.db.sqlite && !ctx.db.sqlite.memory) return startWriterThread({ url: ctx.db.url, ...options })
  return inProcessCommands(ctx)
}

/** What the writer thread needs to open its own connection. */
export interface WriterThreadOptions {
  url: string
  sqliteSynchronous?: 'FULL' | 'NORMAL'
}

/** A command for the writer thread, and its answer. */
export interface WriterRequest {
  id: number
  name: OperationName
  opts: unknown
  input: unknown
}
export type WriterReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SentError }

/**
 * An error as it crosses the thread boundary (classes do not): an AppError keeps its code and details, a
 * ZodError its issues, so the client gets the same problem as from a command run in-process.
 */
export interface SentError {
  message: string
  code?: ErrorCode
  details?: Record<string, unknown>
  zodIssues?: ZodError['issues']
  /** A driver's error code (SQLITE_BUSY…), which decides the answer's status. */
  errorCode?: string
  stack?: string
}

export function sendableError(e: unknown): SentError {
  if (e instanceof AppError) return { message: e.message, code: e.code, details: e.details }
  if (e instanceof ZodError) return { message: e.message, zodIssues: e.issues }
  return e instanceof Error
    ? { message: e.message, errorCode: (e as { code?: string }).code, stack: e.stack }
    : { message: String(e) }
}

/** The error a SentError stands for, as its own class again. */
export function receivedError(e: SentError): Error {
  if (e.code) return new AppError(e.code, e.message, e.details)
  if (e.zodIssues) return new ZodError(e.zodIssues)
  const error = Object.assign(new Error(`writer thread: ${e.message}`), e.errorCode ? { code: e.errorCode } : {})
  if (e.stack) error.stack = `writer thread: ${e.stack}`
  return error
}

/**
 * Runs stock commands in a worker thread with its own SQLite connection. better-sqlite3 is synchronous:
 * in the server's thread every statement and every durable commit (an fsync) stops the event loop, so
 * a busy till's sales queued behind each other's commits, and a million-unit receipt kept the server
 * from answering anything for half a minute. Here the server's thread parses, authenticates and
 * answers while this thread writes; concurrent commands still share one commit (group commit runs in
 * this thread), and an answer still comes only after its commit.
 */
export function startWriterThread(options: WriterThreadOptions): StockCommands {
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>()
  let nextId = 0
  let worker: Worker | undefined
  let closed = false

  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error)
    pending.clear()
  }
  const spawn = (): Worker => {
    // The same module name next to this one: .js when built; when run from source (tsx, vitest), the
    // .ts file, loaded through tsx inside the thread (a worker does not inherit the parent's loader).
    const entry = new URL(`./writer-thread.worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url)
    const w = entry.pathname.endsWith('.ts')
      ? new Worker(loadThroughTsx(entry), { eval: true, workerData: options })
      : new Worker(entry, { workerData: options })
    w.on('message', (reply: WriterReply) => {
      const p = pending.get(reply.id)
      if (!p) return
      pending.delete(reply.id)
      if (reply.ok) p.resolve(reply.value)
      else p.reject(receivedError(reply.error))
    })
    // A crashed thread fails what it was doing; the next command starts a new one.
    w.on('error', (e) => {
      if (worker === w) worker = undefined
      failAll(new Error(`writer thread failed: ${e.message}`))
    })
    w.on('exit', (code) => {
      if (worker === w) worker = undefined
      if (pending.size > 0) failAll(new Error(`writer thread exited (code ${code})`))
    })
    return w
  }

  // Started now, not on the first command: loading the thread's modules takes a moment (more from source).
  worker = spawn()
  return {
    run: (name, opts, input) => {
      if (closed) return Promise.reject(new Error('the writer thread is closed'))
      worker ??= spawn()
      const id = ++nextId
      const message: WriterRequest = { id, name, opts, input }
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
        worker!.postMessage(message)
      })
    },
    close: async () => {
      closed = true
      const w = worker
      worker = undefined
      if (!w) return
      // The thread finishes what it was given, closes its connection, then exits.
      await new Promise<void>((resolve) => {
        w.once('exit', () => resolve())
        w.postMessage('close')
      })
    },
  }
}

/** Worker code that loads a TypeScript module through tsx's ESM API (require.resolve finds its CommonJS twin). */
function loadThroughTsx(entry: URL): string {
  const api = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href
  const href = JSON.stringify(entry.href)
  return `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${href}, ${href}))`
}
