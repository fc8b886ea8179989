import type { RawUnit, ReceiptLine } from '../../modules/receiving/index.js'
import type { ReceiptRow } from './receipt-rows.js'

/** An async iterator you can look one item ahead in; lets several consumers share one CSV stream. */
export class Peekable<T> {
  private buffered: { item: T | undefined } | undefined
  private readonly it: AsyncIterator<T>

  constructor(source: AsyncIterable<T>) {
    this.it = source[Symbol.asyncIterator]()
  }

  async peek(): Promise<T | undefined> {
    if (!this.buffered) {
      const r = await this.it.next()
      this.buffered = { item: r.done ? undefined : r.value }
    }
    return this.buffered.item
  }

  async next(): Promise<T | undefined> {
    const item = await this.peek()
    if (item !== undefined) this.buffered = undefined
    return item
  }

  /** Stops the source early (closes the file). */
  async close(): Promise<void> {
    await this.it.return?.()
  }
}

export type RowStream = Peekable<ReceiptRow>

/** Rows of one line share SKU, lot and cost; a quantity row is always a line of its own. */
const lineKey = (r: ReceiptRow) => JSON.stringify([r.sku, r.lot ?? null, r.lotExpiresOn ?? null, r.unitCost ?? null])

/**
 * Yields the lines of receipt `number` lazily from the shared row stream: consecutive serial rows with the
 * same (sku, lot, unit cost) become one line whose units are read straight from the stream, so a
 * million-row receipt is never held in memory. A line's units must be read before the next line is
 * asked for (as `receive` does); a line whose units were not read is skipped over.
 */
export async function* linesOf(rows: RowStream, number: string): AsyncGenerator<ReceiptLine> {
  for (;;) {
    const head = await rows.peek()
    if (!head || head.receipt !== number) return
    const line = { sku: head.sku, lot: head.lot, lotExpiresOn: head.lotExpiresOn, unitCost: head.unitCost }
    if (head.serial === undefined) {
      await rows.next()
      yield { ...line, quantity: head.quantity }
      continue
    }
    const key = lineKey(head)
    let isRead = false
    const units = () => {
      if (isRead) throw new Error('the units of a CSV line can be read once')
      isRead = true
      return unitsOf(rows, number, key)
    }
    yield { ...line, units }
    if (!isRead) await drain(unitsOf(rows, number, key))
  }
}

async function drain(items: AsyncIterable<unknown>): Promise<void> {
  const it = items[Symbol.asyncIterator]()
  while (!(await it.next()).done);
}

async function* unitsOf(rows: RowStream, number: string, key: string): AsyncGenerator<RawUnit> {
  for (;;) {
    const r = await rows.peek()
    if (!r || r.receipt !== number || r.serial === undefined || lineKey(r) !== key) return
    await rows.next()
    yield { serial: r.serial, identifiers: r.identifiers, row: r.row }
  }
}

/** Every line of every receipt in the stream, in file order (used to re-read a file to explain duplicates). */
export async function* allLines(rows: RowStream): AsyncGenerator<ReceiptLine> {
  for (let head = await rows.peek(); head; head = await rows.peek()) yield* linesOf(rows, head.receipt)
}
