import { createHash } from 'node:crypto'
import type { AppContext } from '../../core/context.js'
import { AppError } from '../../core/errors.js'
import type { Executor } from '../../db/database.js'
import type { DefectCodeTable } from './quality.tables.js'
import { type AttachmentRef, refuseWrongAttachmentType } from './quality.rules.js'
import { MAX_ATTACHMENT_BYTES, type DefectCode } from './quality.schemas.js'

const toDefectCode = (r: DefectCodeTable): DefectCode => ({
  code: r.code,
  name: r.name,
  retired: r.retired_at !== null,
  retiredAt: r.retired_at,
})

/** Every defect code, retired ones too (old inspections name them), by code. */
export async function listDefectCodes(db: Executor): Promise<DefectCode[]> {
  return (await db.selectFrom('defect_code').selectAll().orderBy('code').execute()).map(toDefectCode)
}

/** Creates a defect code; codes are upper-cased so `screen` and `SCREEN` are one code. */
export async function createDefectCode(ctx: AppContext, req: { code: string; name: string }): Promise<DefectCode> {
  const code = req.code.toUpperCase()
  const k = ctx.db.kysely
  if (await k.selectFrom('defect_code').select('code').where('code', '=', code).executeTakeFirst())
    throw new AppError('defect_code.exists', `defect code ${code} exists`)
  const now = ctx.clock.now().toISOString()
  const row = { code, name: req.name, retired_at: null, created_at: now, updated_at: now }
  await k.insertInto('defect_code').values(row).execute()
  return toDefectCode(row)
}

/** Renames a defect code, retires it or brings it back. */
export async function updateDefectCode(
  ctx: AppContext,
  code: string,
  req: { name?: string; retired?: boolean },
): Promise<DefectCode> {
  const k = ctx.db.kysely
  const upper = code.toUpperCase()
  const row = await k.selectFrom('defect_code').selectAll().where('code', '=', upper).executeTakeFirst()
  if (!row) throw new AppError('defect_code.not_found', `no defect code ${upper}`)
  const now = ctx.clock.now().toISOString()
  const retiredAt = req.retired === undefined ? row.retired_at : req.retired ? (row.retired_at ?? now) : null
  const next = { ...row, name: req.name ?? row.name, retired_at: retiredAt, updated_at: now }
  await k
    .updateTable('defect_code')
    .set({ name: next.name, retired_at: next.retired_at, updated_at: now })
    .where('code', '=', upper)
    .execute()
  return toDefectCode(next)
}

/** The state of each named code (upper-cased), for an inspection's decide. */
export async function loadDefectCodes(db: Executor, codes: readonly string[]) {
  const out = new Map<string, { retired: boolean }>()
  if (codes.length === 0) return out
  const rows = await db
    .selectFrom('defect_code')
    .select(['code', 'retired_at'])
    .where(
      'code',
      'in',
      codes.map((c) => c.toUpperCase()),
    )
    .execute()
  for (const r of rows) out.set(r.code, { retired: r.retired_at !== null })
  return out
}

/** Stores an attachment by its SHA-256 (once: the same photo uploaded twice is one row). */
export async function storeAttachment(
  ctx: AppContext,
  req: { name: string; contentType: string; base64: string },
): Promise<AttachmentRef> {
  const bytes = Buffer.from(req.base64, 'base64')
  if (bytes.length === 0) throw new AppError('request.invalid', 'base64: the attachment is empty or not base64')
  if (bytes.length > MAX_ATTACHMENT_BYTES)
    throw new AppError(
      'attachment.too_large',
      `${req.name} is ${bytes.length} bytes; attachments may be up to ${MAX_ATTACHMENT_BYTES} bytes`,
    )
  refuseWrongAttachmentType(req.name, req.contentType, bytes)
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const k = ctx.db.kysely
  await k
    .insertInto('attachment')
    .values({
      sha256,
      content_type: req.contentType,
      size: bytes.length,
      content_base64: bytes.toString('base64'),
      created_at: ctx.clock.now().toISOString(),
    })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute()
  return { sha256, name: req.name, contentType: req.contentType, size: bytes.length }
}

/** An attachment's content and type. */
export async function readAttachment(db: Executor, sha256: string): Promise<{ contentType: string; bytes: Buffer }> {
  const row = await db.selectFrom('attachment').selectAll().where('sha256', '=', sha256).executeTakeFirst()
  if (!row) throw new AppError('attachment.not_found', `no attachment ${sha256}`)
  return { contentType: row.content_type, bytes: Buffer.from(row.content_base64, 'base64') }
}

/** The stored attachments an inspection names, with their type and size; an unknown hash is refused. */
export async function loadAttachments(
  db: Executor,
  refs: readonly { sha256: string; name: string }[],
): Promise<AttachmentRef[]> {
  if (refs.length === 0) return []
  const rows = await db
    .selectFrom('attachment')
    .select(['sha256', 'content_type', 'size'])
    .where(
      'sha256',
      'in',
      refs.map((r) => r.sha256),
    )
    .execute()
  const byHash = new Map(rows.map((r) => [r.sha256, r]))
  return refs.map((r, i) => {
    const row = byHash.get(r.sha256)
    if (!row)
      throw new AppError('attachment.not_found', `attachments[${i}]: no attachment ${r.sha256}; upload it first`)
    return { sha256: r.sha256, name: r.name, contentType: row.content_type, size: Number(row.size) }
  })
}
