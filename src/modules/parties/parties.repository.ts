import type { AppContext } from '../../core/context.js'
import { AppError } from '../../core/errors.js'
import { newId } from '../../core/ids.js'
import type { Executor, PartyTable } from '../../db/database.js'
import { assertCodeFree, rowByCodeRead } from '../../db/lookups.js'
import { mapRead, type Read, runRead } from '../../db/reads-together.js'
import { mapDbError } from '../../db/errors.js'
import { archive, changedFields, recordChanges, withSubject } from '../catalog/index.js'
import { CreatePartyRequest, type Party, UpdatePartyRequest } from './parties.schemas.js'

const toParty = (r: PartyTable): Party => ({
  id: r.id,
  code: r.code,
  name: r.name,
  role: r.role as Party['role'],
  email: r.email,
  phone: r.phone,
  archivedAt: r.archived_at ?? null,
})

export async function createParty(
  ctx: AppContext,
  input: CreatePartyRequest,
  db: Executor = ctx.db.kysely,
): Promise<Party> {
  const req = CreatePartyRequest.parse(input)
  await assertCodeFree(db, 'party', req.code, 'party.duplicate', 'party')
  const party: Party = {
    id: newId(),
    code: req.code,
    name: req.name,
    role: req.role,
    email: req.email ?? null,
    phone: req.phone ?? null,
  }
  try {
    await db
      .insertInto('party')
      .values({ ...party, created_at: ctx.clock.now().toISOString() })
      .execute()
  } catch (e) {
    throw withSubject(mapDbError(e), `party ${party.code}`)
  }
  return party
}

/** Loads a party by code and checks it plays the expected role (a customer cannot supply a receipt). */
export async function getPartyByCode(db: Executor, code: string, role?: Party['role']): Promise<Party> {
  return runRead(db, partyByCodeRead(db, code, role))
}

/** `getPartyByCode` as a read that may go with others (`readTogether`). */
export const partyByCodeRead = (db: Executor, code: string, role?: Party['role']): Read<Party> =>
  mapRead(rowByCodeRead(db, 'party', code), (row) => {
    if (!row) throw new AppError('party.not_found', `no party with code ${code}`)
    if (role && row.role !== role)
      throw new AppError('party.wrong_role', `party ${code} is a ${row.role}, not a ${role}`)
    return toParty(row)
  })

export async function listParties(
  db: Executor,
  q: { role?: string; search?: string; limit: number },
): Promise<Party[]> {
  let query = db.selectFrom('party').selectAll().orderBy('code').limit(q.limit)
  if (q.role) query = query.where('role', '=', q.role)
  if (q.search)
    query = query.where((eb) => eb.or([eb('code', 'like', `%${q.search}%`), eb('name', 'like', `%${q.search}%`)]))
  return (await query.execute()).map(toParty)
}

/** Edits a party's name or contacts, or archives it; each changed field is recorded in its history. */
export async function updateParty(
  ctx: AppContext,
  actor: string,
  code: string,
  input: UpdatePartyRequest,
  db: Executor = ctx.db.kysely,
): Promise<Party> {
  const req = UpdatePartyRequest.parse(input)
  const party = await getPartyByCode(db, code)
  const patch = {
    ...(req.name !== undefined && { name: req.name }),
    ...(req.email !== undefined && { email: req.email }),
    ...(req.phone !== undefined && { phone: req.phone }),
  }
  const subject = { entity: 'party' as const, id: party.id, code: party.code, actor, at: ctx.clock.now().toISOString() }
  if (Object.keys(patch).length > 0) {
    await db.updateTable('party').set(patch).where('id', '=', party.id).execute()
    await recordChanges(db, subject, changedFields(party, patch))
  }
  if (req.archived !== undefined) await archive(db, subject, 'party', req.archived)
  return getPartyByCode(db, code)
}
