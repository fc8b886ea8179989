import type { AppContext } from '../../core/context.js'
import { AppError } from '../../core/errors.js'
import { newId } from '../../core/ids.js'
import type { Executor, PartyTable } from '../../db/database.js'
import { assertCodeFree, rowByCode } from '../../db/lookups.js'
import { mapDbError } from '../../db/errors.js'
import { withSubject } from '../catalog/index.js'
import { CreatePartyRequest, type Party } from './parties.schemas.js'

const toParty = (r: PartyTable): Party => ({
  id: r.id,
  code: r.code,
  name: r.name,
  role: r.role as Party['role'],
  email: r.email,
  phone: r.phone,
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
  const row = await rowByCode(db, 'party', code)
  if (!row) throw new AppError('party.not_found', `no party with code ${code}`)
  if (role && row.role !== role) throw new AppError('party.wrong_role', `party ${code} is a ${row.role}, not a ${role}`)
  return toParty(row)
}

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
