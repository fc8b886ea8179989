/*
 * The one shape of a stock operation. Each operation is declared once, in its capability's folder, as
 * one object; `modules/registry.ts` lists them, and the HTTP routes, the OpenAPI entries, the writer
 * thread's command table and the random-operation test harness are derived from that list.
 */
import type { z } from 'zod'
import type { AppContext, WriteScope } from '../../core/context.js'
import type { Trx } from '../../db/database.js'
import type { Permission } from '../accounts/roles.rules.js'
import type { DocumentType } from '../documents/document-types.rules.js'
import type { UnitEventType } from '../units/unit-status.rules.js'
import type { DecideContext, OperationPlan } from './operations.rules.js'
import { writePlan } from './operations.repository.js'
import { OPERATION_BODY_LIMIT, OperationResult } from './operations.schemas.js'

/** URL parameters of an operation's route (`/transfers/:number/receipt`); merged into its command. */
export type ParamsSchema = z.ZodObject<Record<string, z.ZodType>>

/** What an operation is given: its validated body, with the URL parameters merged in. */
export type CommandOf<Body extends z.ZodType, Params> = z.output<Body> & ParamsOf<Params, 'output'>

/** The values of URL parameters, or nothing when the route has none (`undefined` or `never`). */
export type ParamsOf<P, Side extends 'input' | 'output'> = [P] extends [never]
  ? unknown
  : [P] extends [ParamsSchema]
    ? Side extends 'input'
      ? z.input<P>
      : z.output<P>
    : unknown

/** A further permission a particular request needs (a sale that names its own prices). */
export interface ExtraPermission {
  permission: Permission
  /** What the refusal says the user may not do: "set a sale price other than the list price". */
  to: string
}

export interface StockOperation<
  Name extends string = string,
  Body extends z.ZodType = z.ZodType,
  Params extends ParamsSchema | undefined = ParamsSchema | undefined,
  Response extends z.ZodType = z.ZodType,
  Facts = unknown,
  Plan = unknown,
> {
  /** Stable name: the writer thread's command name and the harness's key. */
  name: Name
  /** `POST` route under /api/v1, with `:param`s declared in `params`. */
  url: string
  summary: string
  tag: string
  /** Who may call it; checked before the body is read. */
  policy: Permission
  /** A permission this particular request needs on top of `policy`. */
  requires?(cmd: CommandOf<Body, Params>): ExtraPermission | undefined
  params?: Params
  body: Body
  response: Response
  /** The ledger events it writes (rows of the unit state machine). */
  events: readonly UnitEventType[]
  document: DocumentType
  /** Largest request body in bytes; a declaration without one gets OPERATION_BODY_LIMIT. */
  bodyLimit: number
  /** Reads only: what decide needs, inside the write transaction (so it is current). */
  load(trx: Trx, cmd: CommandOf<Body, Params>): Promise<Facts>
  /** Pure: the plan of what to write, or the refusals (thrown, all of one kind at once). */
  decide(cmd: CommandOf<Body, Params>, facts: Facts, ctx: DecideContext): Plan
  /** Writes the plan: the document, the event, its lines and the projections. */
  write(scope: WriteScope, plan: Plan, cmd: CommandOf<Body, Params>): Promise<z.output<Response>>
  /**
   * Turns a refusal the database raised into a fuller one, after the transaction rolled back (a
   * receipt's duplicate serials: the unique key names only the first).
   */
  explain?(error: unknown, cmd: CommandOf<Body, Params>, ctx: AppContext): Promise<unknown>
}

/** Any declared operation, whatever its types (what the registry and the derivations iterate). */
export type AnyOperation = StockOperation<string, z.ZodType, any, z.ZodType, any, any>

/** What an operation's declaration gives: its StockOperation, where the body limit may be left to the default. */
type Declaration<Op extends AnyOperation> = Omit<Op, 'bodyLimit'> & { bodyLimit?: number }

/**
 * Declares an operation whose plan is the common one (a document, one event, its unit and quantity
 * lines), written by `writePlan`, and whose answer is an OperationResult.
 */
export function stockOperation<
  const Name extends string,
  Body extends z.ZodType,
  Facts,
  Params extends ParamsSchema | undefined = undefined,
>(
  def: Omit<
    Declaration<StockOperation<Name, Body, Params, typeof OperationResult, Facts, OperationPlan>>,
    'write' | 'response'
  >,
): StockOperation<Name, Body, Params, typeof OperationResult, Facts, OperationPlan> {
  return { bodyLimit: OPERATION_BODY_LIMIT, ...def, response: OperationResult, write: writePlan }
}

/** Declares an operation with its own plan and answer (a streamed receipt). */
export function defineOperation<
  const Name extends string,
  Body extends z.ZodType,
  Response extends z.ZodType,
  Facts,
  Plan,
  Params extends ParamsSchema | undefined = undefined,
>(
  def: Declaration<StockOperation<Name, Body, Params, Response, Facts, Plan>>,
): StockOperation<Name, Body, Params, Response, Facts, Plan> {
  return { bodyLimit: OPERATION_BODY_LIMIT, ...def }
}
