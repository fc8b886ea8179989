import { sql } from 'kysely'
import type { FieldIssue } from '../../core/errors.js'
import type { Executor } from '../../db/database.js'
import type { Sku } from '../catalog/index.js'
import type { RawUnit } from './receive.rules.js'

interface IdentifierRow {
  name: string
  value: string
  serial: string
  field: string
  row_no: number
  line_no: number
}

/**
 * After a receipt failed on the unique (identifier name, value) key, which names neither the unit nor
 * the row, finds every clash of a unique identifier (an IMEI another unit already carries, or one given
 * twice in this receipt) through a scratch temp table, each naming the identifier, its value, the row
 * and the unit that holds it. Fed during the caller's one pass over the receipt's units (a re-read file
 * can be read once), in the caller's explaining transaction.
 */
export class IdentifierCheck {
  private batch: IdentifierRow[] = []

  private constructor(private readonly trx: Executor) {}

  static async start(trx: Executor): Promise<IdentifierCheck> {
    await sql`
      create temporary table receipt_identifier_check (
        name text not null,
        value text not null,
        serial text not null,
        field text not null,
        row_no integer not null,
        line_no integer not null
      )
    `.execute(trx)
    await sql`create index receipt_identifier_check_ix on receipt_identifier_check (name, value)`.execute(trx)
    return new IdentifierCheck(trx)
  }

  /** Adds a received unit's unique identifiers (those its SKU declares unique). */
  async add(sku: Sku, line: number, raw: RawUnit, serial: string): Promise<void> {
    for (const [name, value] of Object.entries(raw.identifiers ?? {}))
      if (sku.identifiers.some((r) => r.name === name && r.isUnique))
        this.batch.push({
          name,
          value: value.trim(),
          serial,
          field: `lines[${line}].${name}`,
          row_no: raw.row,
          line_no: line,
        })
    if (this.batch.length >= 400) await this.flush()
  }

  /** Every clash found, and the scratch table dropped. */
  async finish(): Promise<FieldIssue[]> {
    await this.flush()
    const issues = [...(await heldByOtherUnits(this.trx)), ...(await repeatedInReceipt(this.trx))]
    await sql`drop table receipt_identifier_check`.execute(this.trx)
    return issues
  }

  private async flush(): Promise<void> {
    if (this.batch.length === 0) return
    await sql`
      insert into receipt_identifier_check (name, value, serial, field, row_no, line_no)
      values ${sql.join(this.batch.map(rowValues))}
    `.execute(this.trx)
    this.batch = []
  }
}

const rowValues = (b: IdentifierRow) => sql`(${b.name}, ${b.value}, ${b.serial}, ${b.field}, ${b.row_no}, ${b.line_no})`

/** Identifiers another unit already carries (as a unique identifier), naming that unit. */
async function heldByOtherUnits(trx: Executor): Promise<FieldIssue[]> {
  const { rows } = await sql<IdentifierRow & { sku_code: string; unit_serial: string; unit_id: string }>`
    select c.name, c.value, c.serial, c.field, c.row_no, c.line_no,
      s.code as sku_code, u.serial as unit_serial, u.id as unit_id
    from receipt_identifier_check c
    join unit_identifier ui on ui.name = c.name and ui.value = c.value and ui.is_unique = 1
    join unit u on u.id = ui.unit_id
    join sku s on s.id = u.sku_id
    order by c.line_no, c.row_no`.execute(trx)
  return rows.map((r) => ({
    row: Number(r.row_no),
    field: r.field,
    value: r.value,
    message:
      `${r.name} ${r.value} (of serial ${r.serial}) is already the ${r.name} of unit ` +
      `${r.sku_code} ${r.unit_serial} (id ${r.unit_id})`,
  }))
}

/** Identifiers given more than once in this receipt: each later occurrence points back at the first. */
async function repeatedInReceipt(trx: Executor): Promise<FieldIssue[]> {
  const { rows } = await sql<IdentifierRow>`
    select c.name, c.value, c.serial, c.field, c.row_no, c.line_no from receipt_identifier_check c
    join (select name, value from receipt_identifier_check group by name, value having count(*) > 1) d
      on d.name = c.name and d.value = c.value
    order by c.name, c.value, c.line_no, c.row_no`.execute(trx)
  const firstOf = new Map<string, IdentifierRow>()
  const issues: FieldIssue[] = []
  for (const r of rows) {
    const key = `${r.name}\u0000${r.value}`
    const first = firstOf.get(key)
    if (!first) {
      firstOf.set(key, r)
      continue
    }
    const where = first.line_no === r.line_no ? `row ${first.row_no}` : `lines[${first.line_no}] row ${first.row_no}`
    issues.push({
      row: Number(r.row_no),
      field: r.field,
      value: r.value,
      message:
        `${r.name} ${r.value} (of serial ${r.serial}) is repeated in this receipt ` +
        `(first at ${where}, serial ${first.serial})`,
    })
  }
  return issues
}
