import fc from 'fast-check'
import type { AppContext } from '../src/core/context.js'
import { AppError } from '../src/core/errors.js'
import type { Db } from '../src/db/connect.js'
import { verifyLedger } from '../src/modules/ledger/index.js'
import type { AnyOperation, InputOf } from '../src/modules/operations/index.js'
import { OPERATIONS, OPERATIONS_BY_NAME } from '../src/modules/registry.js'
import { createDefectCode } from '../src/modules/quality/index.js'
import { LOCATED_STATUSES, TRANSITIONS, type UnitStatus } from '../src/modules/units/unit-status.rules.js'
import { givens } from './factories.js'

/** A small world every random sequence runs in: one serial SKU, a quantity SKU, three locations. */
export async function seedWorld(ctx: AppContext) {
  let defect = ''
  const g = givens(ctx)
  const phone = await g.sku()
  const cable = await g.sku({ tracking: 'quantity' })
  const [a, b] = [await g.site({ kind: 'warehouse' }), await g.site({ kind: 'store' })]
  const bin = await g.child((await g.child(a.code, 'zone')).code, 'bin')
  const supplier = await g.supplier()
  const customer = await g.customer()
  const other = await g.customer()
  // The defect code failed inspections name (an unknown code would refuse every one of them).
  await createDefectCode(ctx, { code: g.uniq('DOA'), name: 'dead on arrival' }).then((d) => (defect = d.code))
  const w = {
    g,
    db: ctx.db,
    defect,
    phone,
    cable,
    locations: [a.code, b.code, bin.code],
    supplier,
    customer,
    other,
    serials: [] as string[],
    transfers: [] as string[],
    counts: [] as string[],
    /** Numbers of the orders, recalls and supplier claims made so far, for the operations that name one. */
    orders: [] as string[],
    recalls: [] as string[],
    claims: [] as string[],
    recallUnits: {} as Record<string, string[]>,
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
  shipOrder: ({ w, op, units }) => ({ number: numberOf(w.orders, op), units }),
  cancelOrder: ({ w, op }) => ({ number: numberOf(w.orders, op) }),
  inspect: ({ w, units, withQty }) =>
    withQty
      ? { units, stage: 'ad_hoc', result: 'pass' }
      : { units, stage: 'receiving', result: 'fail', defectCodes: [w.defect], quarantine: true },
  quarantine: ({ units }) => ({ units, reason: 'suspect' }),
  release: ({ units }) => ({ units, reason: 'inspected again, fine' }),
  // Recalls over the picked serials only, so the rest of the sequence keeps trading.
  openRecall: ({ op, units }) => ({ number: `RCL-${op.picks[0]}`, title: 'recall', criteria: { serials: units } }),
  quarantineRecall: ({ w, op }) => ({ number: numberOf(w.recalls, op) }),
  // Half name the recall's own units (the others are mostly refused as outside it).
  recordRecallOutcome: ({ w, op, units }) => {
    const number = numberOf(w.recalls, op)
    return { number, outcome: 'unreachable', units: op.loc === 0 ? (w.recallUnits[number] ?? units) : units }
  },
  closeRecall: ({ w, op }) => ({ number: numberOf(w.recalls, op) }),
  openClaim: ({ w, op, units }) => ({
    number: `CLM-${op.picks[0]}`,
    supplier: w.supplier.code,
    units,
    reason: 'faulty',
  }),
  shipClaim: ({ w, op }) => ({ number: numberOf(w.claims, op) }),
  changeClaimStatus: ({ w, op }) => ({ number: numberOf(w.claims, op), status: 'sent' }),
  disposeReturn: ({ op, units, loc }) => ({
    disposition: (['restock', 'open_box', 'repair', 'vendor', 'scrap'] as const)[op.qty % 5]!,
    units,
    location: loc,
    price: 10,
  }),
  claimWarranty: ({ w, op, units, loc }) => ({
    serial: units[0]!,
    claimant: { customer: w.customer.code },
    // Half are repairs, so the repair's return (returnRepair) has units in repair to take.
    outcome: op.qty % 2 === 0 ? 'repair' : (['replace', 'refund', 'reject'] as const)[op.qty % 3]!,
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
  pickOrder: ({ w, op, units }) => ({ number: numberOf(w.orders, op), units: units.length ? units : ['none'] }),
  // Boxes packed (some nested in a pallet, which may make a cycle: refused), emptied or picked from.
  pack: ({ op, units }) => ({ container: `BOX-${op.qty % 3}`, units, ...(op.qty > 4 && { parent: `PAL-${op.loc}` }) }),
  unpack: ({ op, units }) => ({ container: `BOX-${op.qty % 3}`, ...(op.qty % 2 === 0 && { units }) }),
}

/** One of the documents made so far, by the operation's pick (or a number none has, to be refused). */
const numberOf = (made: readonly string[], op: Operation) => made[op.qty % Math.max(made.length, 1)] ?? 'none'

/** Where the first event's `from` is broader than what the operation takes (only returns take a disposition). */
const NEEDS: Partial<Record<Operation['kind'], UnitStatus[]>> = { disposeReturn: ['returned'] }

/** The statuses the units of an operation may be in: the `from` of the first event it writes. */
const neededStatuses = (kind: Operation['kind']): readonly UnitStatus[] =>
  NEEDS[kind] ?? TRANSITIONS[OPERATIONS_BY_NAME[kind].events[0]!].from

/**
 * The serials an operation names: every other operation picks among the units in a status its events
 * accept (so claims find sold units, releases quarantined ones, dispositions returned ones), the others
 * among all units received (so the rules' refusals are exercised too).
 */
async function pickUnits(w: World, op: Operation): Promise<string[]> {
  const statuses = neededStatuses(op.kind)
  const inStatus =
    op.picks[0]! % 2 === 0 && statuses.length > 0
      ? await w.db.kysely
          .selectFrom('unit')
          .select('serial')
          .where('sku_id', '=', w.phone.id)
          .where('status', 'in', statuses)
          .execute()
      : []
  // A picked unit in a status the operation takes stays; another is replaced by one that is (if any).
  const qualifying = new Set(inStatus.map((u) => u.serial))
  const legal = w.serials.filter((s) => qualifying.has(s))
  const n = Math.max(w.serials.length, 1)
  const picked = op.picks.map((i) => {
    const serial = w.serials[i % n]
    return serial && (qualifying.size === 0 || qualifying.has(serial)) ? serial : legal[i % legal.length]
  })
  return [...new Set(picked)].filter((s): s is string => !!s)
}

/** One of the counts started so far (or a number no count has, to be refused). */
const countOf = (w: World, op: Operation) => w.counts[op.qty % Math.max(w.counts.length, 1)] ?? 'none'

/** Runs one operation; refusals by the rules (AppError) are expected and swallowed, anything else throws. */
export async function runOperation(w: World, op: Operation): Promise<'ok' | 'refused'> {
  const units = await pickUnits(w, op)
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
    if (op.kind === 'placeOrder') w.orders.push(result.number)
    if (op.kind === 'openRecall') w.recalls.push(result.number)
    if (op.kind === 'openRecall') w.recallUnits[result.number] = units
    if (op.kind === 'openClaim') w.claims.push(result.number)
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
