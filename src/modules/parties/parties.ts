import { z } from 'zod'
import type { AppContext } from '../../core/context.js'
import { AppError } from '../../core/errors.js'
import { newId } from '../../core/ids.js'
import type { Executor, PartyTable } from '../../db/database.js'
import { runShaped } from '../../db/shaped-query.js'
import { mapDbError } from '../../db/errors.js'
import { code } from '../catalog/catalog.schemas.js'
import { withSubject } from '../catalog/catalog.service.js'

export const PARTY_ROLES = ['supplier', 'customer'] as const

export const CreatePartyRequest = z
  .object({
    code: code('party'),
    name: z.string().trim().min(1).max(200).describe('name of the company or person'),
    role: z.enum(PARTY_ROLES).describe('supplier (also manufacturer) or customer'),
    email: z.email().max(200).optional().describe('contact e-mail'),
    phone: z.string().trim().max(40).optional().describe('contact phone'),
  })
  .strict()
  .meta({ id: 'CreatePartyRequest' })
export type CreatePartyRequest = z.input<typeof CreatePartyRequest>

export const PartyResponse = z
  .object({ id: z.string(), code: z.string(), name: z.string(), role: z.enum(PARTY_ROLES), email: z.string().nullable(), phone: z.string().nullable() })
  .meta({ id: 'Party' })
export type Party = z.infer<typeof PartyResponse>

const toParty = (r: PartyTable): Party => ({ id: r.id, code: r.code, name: r.name, role: r.role as Party['role'], email: r.email, phone: r.phone })

export async function createParty(ctx: AppContext, input: CreatePartyRequest, db: Executor = ctx.db.kysely): Promise<Party> {
  const req = CreatePartyRequest.parse(input)
  const party: Party = { id: newId(), code: req.code, name: req.name, role: req.role, email: req.email ?? null, phone: req.phone ?? null }
  try {
    await db.insertInto('party').values({ ...party, created_at: ctx.clock.now().toISOString() }).execute()
  } catch (e) {
    throw withSubject(mapDbError(e), `party ${party.code}`)
  }
  return party
}

/** Loads a party by code and checks it plays the expected role (a customer cannot supply a receipt). */
export async function getPartyByCode(db: Executor, code: string, role?: Party['role']): Promise<Party> {
  const [row] = (await runShaped(db, 'party-by-code', [code], () => db.selectFrom('party').selectAll().where('code', '=', code))).rows
  if (!row) throw new AppError('party.not_found', `no party with code ${code}`)
  if (role && row.role !== role) throw new AppError('party.wrong_role', `party ${code} is a ${row.role}, not a ${role}`)
  return toParty(row)
}

export async function getPartiesByIds(db: Executor, ids: readonly (string | null)[]): Promise<Map<string, Party>> {
  const wanted = [...new Set(ids.filter((i): i is string => i !== null))]
  if (wanted.length === 0) return new Map()
  const rows = await db.selectFrom('party').selectAll().where('id', 'in', wanted).execute()
  return new Map(rows.map((r) => [r.id, toParty(r)]))
}

export async function listParties(db: Executor, q: { role?: string; search?: string; limit: number }): Promise<Party[]> {
  let query = db.selectFrom('party').selectAll().orderBy('code').limit(q.limit)
  if (q.role) query = query.where('role', '=', q.role)
  if (q.search) query = query.where((eb) => eb.or([eb('code', 'like', `%${q.search}%`), eb('name', 'like', `%${q.search}%`)]))
  return (await query.execute()).map(toParty)
}
