import { AppError, type ErrorCode } from '../core/errors.js'

/** Which constraint name maps to which error code, so a race lost in the database reads like a rule. */
const UNIQUE_CONSTRAINTS: Record<string, ErrorCode> = {
  unit_sku_serial_uq: 'serial.duplicate',
  'unit.sku_id, unit.serial': 'serial.duplicate',
  unit_identifier_unique_uq: 'identifier.duplicate',
  'unit_identifier.name, unit_identifier.value': 'identifier.duplicate',
  sku_code_uq: 'sku.duplicate',
  'sku.code': 'sku.duplicate',
  sku_code_ci_uq: 'sku.duplicate',
  "index 'sku_code_ci_uq'": 'sku.duplicate',
  sku_gtin_uq: 'sku.duplicate',
  'sku.gtin': 'sku.duplicate',
  location_code_uq: 'location.duplicate',
  'location.code': 'location.duplicate',
  location_code_ci_uq: 'location.duplicate',
  "index 'location_code_ci_uq'": 'location.duplicate',
  location_barcode_uq: 'location.duplicate',
  'location.barcode': 'location.duplicate',
  party_code_uq: 'party.duplicate',
  'party.code': 'party.duplicate',
  party_code_ci_uq: 'party.duplicate',
  "index 'party_code_ci_uq'": 'party.duplicate',
  document_type_number_uq: 'document.duplicate',
  'document.type, document.number': 'document.duplicate',
}

/** True for a unique-key violation on either database. */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string }
  return (
    err?.code === '23505' || err?.code === 'SQLITE_CONSTRAINT_UNIQUE' || err?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  )
}

/** True when PostgreSQL aborted a transaction for a serialization failure or deadlock (safe to retry). */
export function isRetryable(e: unknown): boolean {
  const code = (e as { code?: string })?.code
  return code === '40001' || code === '40P01' || code === 'SQLITE_BUSY'
}

/** Maps a unique violation to its AppError; anything else is returned unchanged. */
export function mapDbError(e: unknown): unknown {
  if (!isUniqueViolation(e)) return e
  const err = e as { constraint?: string; message?: string }
  const key = err.constraint ?? /UNIQUE constraint failed: (.*)$/.exec(err.message ?? '')?.[1] ?? ''
  const code = UNIQUE_CONSTRAINTS[key]
  return code ? new AppError(code, `already exists (${key})`) : e
}
