import type { z } from 'zod'
import type { IssueList } from '../../core/errors.js'

/** How a CSV cell becomes a request value. */
export type CellType = 'text' | 'number' | 'int' | 'boolean' | 'identifiers'

/** A CSV column mapped to a request field. */
export interface ColumnMap {
  column: string
  key: string
  type: CellType
}

const NUMBER = /^-?\d+(\.\d+)?$/
const BOOLEANS: Record<string, boolean> = {
  true: true,
  yes: true,
  y: true,
  '1': true,
  false: false,
  no: false,
  n: false,
  '0': false,
}

/** Converts one cell; returns an error message instead when the text is not of the column's type. */
export function convertCell(value: string, type: CellType): { value: unknown } | { error: string } {
  switch (type) {
    case 'text':
      return { value }
    case 'number':
      return NUMBER.test(value)
        ? { value: Number(value) }
        : { error: `${JSON.stringify(value)} is not a number (use . for decimals, no thousands separators)` }
    case 'int':
      return /^-?\d+$/.test(value)
        ? { value: Number(value) }
        : { error: `${JSON.stringify(value)} is not a whole number` }
    case 'boolean': {
      const b = BOOLEANS[value.toLowerCase()]
      return b === undefined
        ? { error: `${JSON.stringify(value)} is not true or false (also yes/no, 1/0)` }
        : { value: b }
    }
    case 'identifiers':
      return { value: parseIdentifierRules(value) }
    default: {
      const never: never = type
      return { error: `unknown cell type ${String(never)}` }
    }
  }
}

/** `imei!;mac` → imei unique, mac not unique. */
export function parseIdentifierRules(value: string): { name: string; isUnique: boolean }[] {
  return value
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => (s.endsWith('!') ? { name: s.slice(0, -1).trim(), isUnique: true } : { name: s, isUnique: false }))
}

/**
 * Builds a request object from a row's cells; conversion errors go to `issues` with the row and column.
 * Returns undefined when any cell was bad.
 */
export function requestOf(
  row: number,
  cells: Record<string, string>,
  columns: readonly ColumnMap[],
  issues: IssueList,
): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {}
  let isOk = true
  for (const c of columns) {
    const raw = cells[c.column]
    if (raw === undefined) continue
    const converted = convertCell(raw, c.type)
    if ('error' in converted) {
      issues.add({ row, field: c.column, value: raw, message: converted.error })
      isOk = false
    } else out[c.key] = converted.value
  }
  return isOk ? out : undefined
}

/** Adds a schema's validation issues, naming the CSV column each request field came from. */
export function addZodIssues(
  row: number,
  error: z.ZodError,
  columns: readonly ColumnMap[],
  issues: IssueList,
  input: Record<string, unknown>,
  /** Clearer wording for a column than the schema's generic one (e.g. which date formats are accepted). */
  messages: Partial<Record<string, string>> = {},
): void {
  for (const i of error.issues) {
    const key = String(i.path[0] ?? '')
    const column = columns.find((c) => c.key === key)?.column ?? (key || '(row)')
    const isMissing = key !== '' && input[key] === undefined && i.code === 'invalid_type'
    issues.add({ row, field: column, message: isMissing ? 'a value is required' : (messages[column] ?? i.message) })
  }
}
