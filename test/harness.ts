import fc from 'fast-check'
import type { AppContext } from '../src/core/context.js'
import { AppError } from '../src/core/errors.js'
import type { Db } from '../src/db/connect.js'
import { verifyLedger } from '../src/modules/ledger/index.js'
import type { AnyOperation, InputOf } from '../src/modules/operations/index.js'
import { OPERATIONS, OPERATIONS_BY_NAME } from '../src/modules/registry.js'
import { LOCATED_STATUSES } from '../src/modules/units/unit-status.rules.js'
import { givens } from './factories.js'

/** A small world every random sequence runs in: one serial SKU, a quantity SKU, three locations. */
export async function seedWorld(ctx: AppContext) {
  const g = givens(ctx)
  const phone = await g.sku()
  const cable = await g.sku({ tracking: 'quantity' })
  const [a, b] = [await g.site({ kind: 'warehouse' }), await g.site({ kind: 'store' })]
  const bin = await g.child((await g.child(a.code, 'zone')).code, 'bin')
  const supplier = await g.supplier()
  const customer = await g.customer()
  const other = await g.customer()
  const w = {
    g,
    phone,
    cable,
    locations: [a.code, b.code, bin.code],
    supplier,
    customer,
    other,
    serials: [] as string[],
    transfers: [] as string[],
    counts: [] as string[],
  }
  for (const loc of [0, 1, 2]) await runOperation(w, { kind: 'receive', picks: [0], loc, qty: 6 })
  return w
}
export type World = Awaited<ReturnType<typeof seedWorld>>

/**
 * One random operation: which one (any in the registry), which units (indexes into what was received),
 * which location, a quantity, and a variant bit (lost or found, with or without quantity stock).
 */
const OPERATION_NAMES = OPERATIONS.map((o) => o.name)
export const operationArb = fc.record({
  kind: fc.constantFrom(...OPERATION_NAMES),
  picks: fc.array(fc.nat(60), { minLength: 1, maxLength: 3 }),
  loc: fc.nat(2),
  qty: fc.integer({ min: 1, max: 7 }),
})
export type Operation = typeof operationArb extends fc.Arbitrary<infer T> ? T : never

/** What a case gets to build its input from. */
interface Pick {
  w: World
  op: Operation
  /** Serials picked from those received so far. */
  units: string[]
  /** The picked location's code, and the one after it. */
  loc: string
  other: string
  /** Half the operations also touch quantity stock, so unit and quantity rules are both exercised. */
  withQty: boolean
}

/** How the harness drives each of a list of operations, keyed by their names. */
export type HarnessCases<Ops extends readonly AnyOperation[]> = {
  [O in Ops[number] as O['name']]: (p: Pick) => InputOf<O>
}

/**
 * How the harness drives each operation of the registry. Keyed by the registry's names: an operation
 * added to the registry without a case here does not compile.
 */
export const CASES: HarnessCases<typeof OPERATIONS> = {
  receive: ({ w, op, loc }) => ({
    supplier: w.supplier.code,
    location: loc,
    lines: [
      { sku: w.phone.code, serials: Array.from({ length: op.qty }, () => w.g.uniq('P')) },
      { sku: w.cable.code, quantity: op.qty },
    ],
  }),
  move: ({ w, op, units, loc, other, withQty }) => ({
    to: loc,
    // Now and then a box packed by the pack case, with its whole contents (refused while it does not exist).
    ...(op.qty === 7 ? { units: [], containers: [`BOX-${op.loc}`] } : { units }),
    quantities: withQty ? [{ sku: w.cable.code, quantity: op.qty, from: other }] : [],
  }),
  shipTransfer: ({ w, op, units, withQty }) => ({
    from: w.locations[(op.loc + 1) % 2]!,
    to: w.locations[op.loc % 2]!,
    units,
    quantities: withQty ? [{ sku: w.cable.code, quantity: op.qty }] : [],
  }),
  receiveTransfer: ({ w, op }) => ({ number: w.transfers[op.qty % Math.max(w.transfers.length, 1)] ?? 'none' }),
  sell: ({ w, op, units, loc, withQty }) =>
    withQty
      ? { orderRef: w.g.uniq('O'), quantities: [{ sku: w.cable.code, location: loc, quantity: op.qty }] }
      : { customer: w.customer.code, orderRef: w.g.uniq('O'), units },
  returnGoods: ({ w, units, loc }) => ({ location: loc, customer: w.customer.code, units }),
  restock: ({ units }) => ({ units }),
  adjust: ({ w, op, units, loc, withQty }) =>
    op.picks.length % 2 === 0
      ? { kind: 'found', reason: 'count', location: loc, units, quantities: [] }
      : {
          kind: 'lost',
          reason: 'count',
          units: withQty ? [] : units,
          quantities: withQty ? [{ sku: w.cable.code, location: loc, quantity: op.qty }] : [],
        },
  scrap: ({ units }) => ({ reason: 'damaged', units }),
  startCount: ({ loc }) => ({ location: loc }),
  scanCount: ({ w, op, units, loc, withQty }) => ({
    number: countOf(w, op),
    location: loc,
    scans: [
      ...units.map((serial) => ({ key: w.g.uniq('K'), serial })),
      ...(withQty ? [{ key: w.g.uniq('K'), sku: w.cable.code, quantity: op.qty }] : []),
    ],
  }),
  recountZone: ({ w, op, loc }) => ({ number: countOf(w, op), location: loc }),
  closeCount: ({ w, op }) => ({ number: countOf(w, op) }),
  placeOrder: ({ w, op, units, loc, withQty }) =>
    withQty
      ? { externalRef: w.g.uniq('POS'), site: loc, completed: true, lines: [{ sku: w.cable.code, quantity: op.qty }] }
      : op.picks.length % 2 === 0
        ? { externalRef: w.g.uniq('SHOP'), lines: [{ sku: w.phone.code, quantity: op.qty }] }
        : {
            externalRef: w.g.uniq('TILL'),
            completed: true,
            lines: [{ sku: w.phone.code, quantity: Math.max(units.length, 1), serials: units }],
          },
  // Order numbers are SO-<event seq>: some of these name an order, others are refused as unknown.
  shipOrder: ({ op, units }) => ({ number: `SO-${op.picks[0]}`, units }),
  cancelOrder: ({ op }) => ({ number: `SO-${op.picks[0]}` }),
  inspect: ({ units, withQty }) =>
    withQty
      ? { units, stage: 'ad_hoc', result: 'pass' }
      : { units, stage: 'receiving', result: 'fail', defectCodes: ['DOA'], quarantine: true },
  quarantine: ({ units }) => ({ units, reason: 'suspect' }),
  release: ({ units }) => ({ units, reason: 'inspected again, fine' }),
  // Recalls over the picked serials only, so the rest of the sequence keeps trading.
  openRecall: ({ op, units }) => ({ number: `RCL-${op.picks[0]}`, title: 'recall', criteria: { serials: units } }),
  quarantineRecall: ({ op }) => ({ number: `RCL-${op.picks[0]}` }),
  recordRecallOutcome: ({ op, units }) => ({ number: `RCL-${op.picks[0]}`, outcome: 'unreachable', units }),
  closeRecall: ({ op }) => ({ number: `RCL-${op.picks[0]}` }),
  openClaim: ({ w, op, units }) => ({
    number: `CLM-${op.picks[0]}`,
    supplier: w.supplier.code,
    units,
    reason: 'faulty',
  }),
  shipClaim: ({ op }) => ({ number: `CLM-${op.picks[0]}` }),
  changeClaimStatus: ({ op }) => ({ number: `CLM-${op.picks[0]}`, status: 'sent' }),
  disposeReturn: ({ op, units, loc }) => ({
    disposition: (['restock', 'open_box', 'repair', 'vendor', 'scrap'] as const)[op.qty % 5]!,
    units,
    location: loc,
    price: 10,
  }),
  claimWarranty: ({ w, op, units, loc }) => ({
    serial: units[0]!,
    claimant: { customer: w.customer.code },
    outcome: (['repair', 'replace', 'refund', 'reject'] as const)[op.qty % 4]!,
    location: loc,
    replacement: units[1],
    fault: 'does not start',
    reason: 'not covered',
  }),
  voidWarranty: ({ units }) => ({ serial: units[0]!, reason: 'water damage' }),
  transferWarranty: ({ w, units }) => ({
    serial: units[0]!,
    claimant: { customer: w.customer.code },
    to: w.other.code,
  }),
  setUnitWarranty: ({ op, units }) => ({ units, months: op.qty, label: 'promotion' }),
  returnRepair: ({ units }) => ({ units }),
  rotateCheckToken: ({ units }) => ({ serial: units[0]! }),
  // Markdowns and rises by hand (some below cost: refused), and the recommendations (none without a policy).
  changePrice: ({ op, units }) => ({ units: units.map((serial) => ({ serial, price: 300 + op.qty * 50 })) }),
  applyMarkdowns: ({ units }) => ({ serials: units }),
  pickOrder: ({ op, units }) => ({ number: `SO-${op.picks[0]}`, units: units.length ? units : ['none'] }),
  // Boxes packed (some nested in a pallet, which may make a cycle: refused), emptied or picked from.
  pack: ({ op, units }) => ({ container: `BOX-${op.qty % 3}`, units, ...(op.qty > 4 && { parent: `PAL-${op.loc}` }) }),
  unpack: ({ op, units }) => ({ container: `BOX-${op.qty % 3}`, ...(op.qty % 2 === 0 && { units }) }),
}

/** One of the counts started so far (or a number no count has, to be refused). */
const countOf = (w: World, op: Operation) => w.counts[op.qty % Math.max(w.counts.length, 1)] ?? 'none'

/** Runs one operation; refusals by the rules (AppError) are expected and swallowed, anything else throws. */
export async function runOperation(w: World, op: Operation): Promise<'ok' | 'refused'> {
  const units = [...new Set(op.picks.map((i) => w.serials[i % Math.max(w.serials.length, 1)]))].filter(
    (s): s is string => !!s,
  )
  const pick: Pick = {
    w,
    op,
    units,
    loc: w.locations[op.loc]!,
    other: w.locations[(op.loc + 1) % 3]!,
    withQty: op.qty % 2 === 0,
  }
  const input = (CASES[op.kind] as (p: Pick) => Record<string, unknown>)(pick)
  try {
    const result = (await w.g.op(OPERATIONS_BY_NAME[op.kind], input as never)) as { number: string }
    if (op.kind === 'receive') w.serials.push(...(input as { lines: { serials?: string[] }[] }).lines[0]!.serials!)
    if (op.kind === 'shipTransfer') w.transfers.push(result.number)
    if (op.kind === 'startCount') w.counts.push(result.number)
    return 'ok'
  } catch (e) {
    if (e instanceof AppError && e.code !== 'internal') return 'refused'
    throw e
  }
}

/**
 * The invariants every sequence of operations must keep. Returns the list of violations (empty when all
 * hold) so a failing property shows every broken rule of its shrunk counterexample at once.
 */
export async function invariantViolations(db: Db): Promise<string[]> {
  const k = db.kysely
  const out: string[] = []
  const misplaced = await k
    .selectFrom('unit')
    .select(['serial', 'status', 'location_id'])
    .where((eb) =>
      eb.or([
        eb.and([eb('status', 'in', LOCATED_STATUSES), eb('location_id', 'is', null)]),
        eb.and([eb('status', 'not in', LOCATED_STATUSES), eb('location_id', 'is not', null)]),
      ]),
    )
    .execute()
  for (const u of misplaced) out.push(`unit ${u.serial} is ${u.status} with location ${u.location_id ?? 'none'}`)
  const negative = await k
    .selectFrom('stock')
    .innerJoin('sku', 'sku.id', 'stock.sku_id')
    .select(['sku.code', 'stock.quantity'])
    .where('stock.quantity', '<', 0)
    .where('sku.allow_negative', '=', 0)
    .execute()
  for (const s of negative) out.push(`stock of ${s.code} is ${s.quantity}`)
  const received = await k
    .selectFrom('event_unit')
    .innerJoin('event', 'event.seq', 'event_unit.event_seq')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('event.type', '=', 'received')
    .executeTakeFirstOrThrow()
  const byStatus = await k
    .selectFrom('unit')
    .select(['status', (eb) => eb.fn.countAll().as('n')])
    .groupBy('status')
    .execute()
  const total = byStatus.reduce((n, r) => n + Number(r.n), 0)
  if (total !== Number(received.n)) out.push(`units per status add up to ${total}, ${received.n} were received`)
  const report = await verifyLedger(db)
  if (!report.ok) out.push(`verify: ${JSON.stringify(report.problem)}`)
  return out
}
