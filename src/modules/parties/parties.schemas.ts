import { z } from 'zod'
import { code, referenceFields } from '../catalog/catalog.schemas.js'

/*
 * Request and response schemas of parties, apart from parties.ts so the web app can type its API
 * answers from them: this module imports only zod and other pure modules, never the database.
 */

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
  .object({
    ...referenceFields,
    role: z.enum(PARTY_ROLES),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    archivedAt: z.string().nullable().optional().describe('when it was archived (refused in new operations)'),
  })
  .meta({ id: 'Party' })

export const UpdatePartyRequest = z
  .object({
    name: z.string().trim().min(1).max(200).optional().describe('name of the company or person'),
    email: z.email().max(200).nullable().optional().describe('contact e-mail; null removes it'),
    phone: z.string().trim().max(40).nullable().optional().describe('contact phone; null removes it'),
    archived: z.boolean().optional().describe('true archives the party (refused in new operations), false restores it'),
  })
  .strict()
  .meta({ id: 'UpdatePartyRequest' })
export type UpdatePartyRequest = z.input<typeof UpdatePartyRequest>
export type Party = z.infer<typeof PartyResponse>
