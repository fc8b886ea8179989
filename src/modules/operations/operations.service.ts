import type { z } from 'zod'
import type { AppContext, WriteScope } from '../../core/context.js'
import { inWriteTransaction, StalePrincipalError } from '../../db/transaction.js'
import { findReplay, rememberResult, requestHashOf } from '../idempotency/index.js'
import type { AnyOperation, CommandOf, ParamsOf } from './operation.js'

export interface CommandOptions {
  actor: string
  /** Client-chosen key; a retry with the same key returns the first result and writes nothing. */
  idempotencyKey?: string
  /**
   * The key as the client sent it, for messages, when `idempotencyKey` is stored under a scope of its own
   * (the HTTP API keeps keys per user); `idempotencyKey` itself when absent.
   */
  clientKey?: string
  /** What the request said, so a key reused for a different request is refused rather than replayed. */
  request?: unknown
  /** Location paths the actor may act in; undefined means everywhere. */
  locationScope?: readonly string[]
  /**
   * The `auth_version` a remembered principal was read at (PostgreSQL, sequenced path): the command runs
   * only while it is unchanged, else fails with a StalePrincipalError before it reads anything.
   */
  authVersion?: number
}

export interface CommandResult<R> {
  result: R
  isReplay: boolean
}

/**
 * Runs one write use case in a ledger-locked transaction. The idempotency record is read and written
 * inside that same transaction, so two concurrent retries cannot both execute, and a crash leaves
 * either the command and its record or neither.
 */
export async function runCommand<R>(
  ctx: AppContext,
  opts: CommandOptions,
  fn: (scope: WriteScope) => Promise<R>,
): Promise<CommandResult<R>> {
  const key = opts.idempotencyKey
  // Only a command with a key is ever compared with an earlier one.
  const requestHash = key ? requestHashOf(opts.request) : ''
  return inWriteTransaction(
    ctx.db,
    async (trx, head) => {
      const now = ctx.clock.now()
      const replay = key ? await findReplay<R>(trx, key, requestHash, opts.clientKey ?? key) : undefined
      if (replay !== undefined) return { result: replay, isReplay: true }
      const result = await fn({ trx, head, actor: opts.actor, now, locationScope: opts.locationScope })
      if (key) await rememberResult(trx, key, requestHash, result, now)
      return { result, isReplay: false }
    },
    { authVersion: opts.authVersion },
  )
}

/** The command an operation runs on: its validated body with its URL parameters. */
export type CommandOfOperation<O extends AnyOperation> = CommandOf<O['body'], NonNullable<O['params']>>
/** What an operation answers. */
export type ResultOf<O extends AnyOperation> = z.output<O['response']>

/**
 * Runs an operation inside an open write scope: load (reads only), decide (pure: the plan or the
 * refusals), write. The command is already validated; nothing is parsed twice.
 */
export async function applyOperation<O extends AnyOperation>(
  scope: WriteScope,
  op: O,
  cmd: CommandOfOperation<O>,
): Promise<ResultOf<O>> {
  const facts: unknown = await op.load(scope.trx, cmd)
  const plan: unknown = op.decide(cmd, facts, {
    now: scope.now,
    actor: scope.actor,
    locationScope: scope.locationScope,
  })
  return op.write(scope, plan, cmd) as Promise<ResultOf<O>>
}

/**
 * Runs an operation as one command: its own write transaction under the ledger lock, the actor's
 * scope and Idempotency-Key (a retry answers the first result and writes nothing).
 */
export async function runOperation<O extends AnyOperation>(
  ctx: AppContext,
  op: O,
  opts: CommandOptions,
  cmd: CommandOfOperation<O>,
): Promise<CommandResult<ResultOf<O>>> {
  try {
    return await runCommand(ctx, opts, (scope) => applyOperation(scope, op, cmd))
  } catch (e) {
    // Not the command's refusal: the caller checks the credential again (and runs it again).
    if (e instanceof StalePrincipalError) throw e
    throw op.explain ? await op.explain(e, cmd, ctx) : e
  }
}

/** Validates input from a caller that did not (the CLI, the demo, tests) into an operation's command. */
export function parseCommand<O extends AnyOperation>(op: O, input: Record<string, unknown>): CommandOfOperation<O> {
  const paramNames = Object.keys(op.params?.shape ?? {})
  const body = Object.fromEntries(Object.entries(input).filter(([k]) => !paramNames.includes(k)))
  const params = op.params ? op.params.parse(Object.fromEntries(paramNames.map((k) => [k, input[k]]))) : {}
  return { ...(op.body.parse(body) as object), ...params } as CommandOfOperation<O>
}

/** What an unvalidated caller passes: the body's input shape with the URL parameters. */
export type InputOf<O extends AnyOperation> = z.input<O['body']> & ParamsOf<NonNullable<O['params']>, 'input'>

/** `applyOperation` for input that still needs validating. */
export const apply = <O extends AnyOperation>(scope: WriteScope, op: O, input: InputOf<O>): Promise<ResultOf<O>> =>
  applyOperation(scope, op, parseCommand(op, input as Record<string, unknown>))

/** `runOperation` for input that still needs validating. */
export const execute = <O extends AnyOperation>(
  ctx: AppContext,
  op: O,
  opts: CommandOptions,
  input: InputOf<O>,
): Promise<CommandResult<ResultOf<O>>> =>
  runOperation(ctx, op, opts, parseCommand(op, input as Record<string, unknown>))
