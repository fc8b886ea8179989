import { readFile } from 'node:fs/promises'
import type { AppContext } from '../../core/context.js'
import { AppError, IssueList } from '../../core/errors.js'
import { applyOperation, runCommand } from '../../modules/operations/index.js'
import { placeOrder, PlaceOrderRequest } from '../../modules/orders/index.js'
import { assertReadableFile, readCsvFile } from './csv-table.js'

export interface OrderImportSummary {
  orders: number
  /** Orders whose external reference had been imported before: answered, not placed again. */
  alreadyPlaced: number
  lines: number
  seconds: number
}

/** CSV columns: one row per order line; rows with the same `order` (the external reference) form one order. */
const ORDER_CSV = {
  required: ['order', 'sku', 'quantity'],
  optional: ['customer', 'site', 'ship_by', 'price', 'reserve', 'number'],
}

interface Draft {
  rows: number[]
  input: Record<string, unknown> & { lines: Record<string, unknown>[] }
}

/** The orders of a CSV file, grouped by their `order` column, in file order. */
async function ordersFromCsv(path: string, issues: IssueList): Promise<Draft[]> {
  const byRef = new Map<string, Draft>()
  for await (const { row, cells } of readCsvFile(path, ORDER_CSV, issues)) {
    const ref = cells.order!
    const draft =
      byRef.get(ref) ??
      byRef
        .set(ref, {
          rows: [],
          input: {
            externalRef: ref,
            source: 'import',
            ...(cells.customer && { customer: cells.customer }),
            ...(cells.site && { site: cells.site }),
            ...(cells.ship_by && { shipBy: cells.ship_by }),
            ...(cells.number && { number: cells.number }),
            lines: [],
          },
        })
        .get(ref)!
    draft.rows.push(row)
    const num = (field: string, v: string | undefined) => {
      if (v === undefined) return undefined
      const n = Number(v)
      if (!Number.isFinite(n)) issues.add({ row, field, value: v, message: `${field} must be a number` })
      return n
    }
    if (cells.reserve && !['true', 'false', '1', '0', 'yes', 'no'].includes(cells.reserve.toLowerCase()))
      issues.add({ row, field: 'reserve', value: cells.reserve, message: 'reserve must be true or false' })
    draft.input.lines.push({
      sku: cells.sku,
      quantity: num('quantity', cells.quantity),
      ...(cells.price !== undefined && { price: num('price', cells.price) }),
      ...(cells.reserve && { reserve: ['true', '1', 'yes'].includes(cells.reserve.toLowerCase()) }),
    })
  }
  return [...byRef.values()]
}

/** The orders of a JSON file: an array of orders in the documented format, or `{ "orders": [...] }`. */
async function ordersFromJson(path: string): Promise<Draft[]> {
  let data: unknown
  try {
    data = JSON.parse(await readFile(path, 'utf8'))
  } catch (e) {
    throw new AppError('import.invalid', `${path}: not valid JSON (${(e as Error).message})`)
  }
  const list = Array.isArray(data) ? data : (data as { orders?: unknown }).orders
  if (!Array.isArray(list)) throw new AppError('import.invalid', `${path}: expected an array of orders`)
  return list.map((input, i) => ({ rows: [i + 1], input: { source: 'import', ...(input as Draft['input']) } }))
}

/**
 * Imports sales orders from CSV or JSON, all in one transaction (all or nothing). Each order is checked
 * against the order format first, every bad row reported at once; an order whose external reference
 * was imported before is answered, not placed again, so importing a file twice places its orders once.
 */
export async function importOrders(ctx: AppContext, path: string, actor: string): Promise<OrderImportSummary> {
  const started = Date.now()
  await assertReadableFile(path)
  const issues = new IssueList()
  const drafts = path.toLowerCase().endsWith('.json') ? await ordersFromJson(path) : await ordersFromCsv(path, issues)
  const commands: { rows: number[]; cmd: PlaceOrderRequest }[] = []
  for (const d of drafts) {
    const parsed = PlaceOrderRequest.safeParse(d.input)
    if (parsed.success) commands.push({ rows: d.rows, cmd: parsed.data })
    else
      for (const issue of parsed.error.issues) {
        const [first, index, ...rest] = issue.path.map(String)
        // A line's problem is on that line's row; an order's on its first row.
        const row = first === 'lines' && index !== undefined ? (d.rows[Number(index)] ?? d.rows[0]) : d.rows[0]
        issues.add({ row, field: [first, index, ...rest].filter(Boolean).join('.'), message: issue.message })
      }
  }
  issues.throwIfAny('import.invalid', `${path}: orders are invalid`)
  const { result } = await runCommand(ctx, { actor }, async (scope) => {
    let alreadyPlaced = 0
    for (const { rows, cmd } of commands) {
      try {
        const placed = await applyOperation(scope, placeOrder, cmd)
        if (placed.replayed) alreadyPlaced++
      } catch (e) {
        if (!(e instanceof AppError)) throw e
        const where = rows.length > 1 ? `rows ${rows[0]}-${rows.at(-1)}` : `row ${rows[0]}`
        throw new AppError(e.code, `order ${cmd.externalRef ?? ''} (${where}): ${e.message}`, e.details)
      }
    }
    return alreadyPlaced
  })
  return {
    orders: commands.length,
    alreadyPlaced: result,
    lines: commands.reduce((n, c) => n + c.cmd.lines.length, 0),
    seconds: (Date.now() - started) / 1000,
  }
}
