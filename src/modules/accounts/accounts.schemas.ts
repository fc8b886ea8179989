import { z } from 'zod'
import { code } from '../catalog/catalog.schemas.js'
import { MIN_PASSWORD_LENGTH } from './password-policy.rules.js'
import { ROLES, TOKEN_SCOPES } from './roles.rules.js'

const username = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[a-zA-Z0-9._@-]+$/, 'letters, digits and . _ @ - only')
  .describe('user name')
const password = z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`).max(200)

export const LoginRequest = z
  .object({ username: z.string().max(64), password: z.string().max(200) })
  .strict()
  .meta({ id: 'LoginRequest' })

export const ChangePasswordRequest = z
  .object({ currentPassword: z.string().max(200), newPassword: password })
  .strict()
  .meta({ id: 'ChangePasswordRequest' })

export const CreateUserRequest = z
  .object({
    username,
    password,
    role: z.enum(ROLES),
    locations: z
      .array(code('location'))
      .max(100)
      .default([])
      .describe('sites/zones the user may act in; empty means all'),
  })
  .strict()
  .meta({ id: 'CreateUserRequest' })

export const UpdateUserRequest = z
  .object({
    role: z.enum(ROLES).optional(),
    locations: z.array(code('location')).max(100).optional().describe('sites/zones the user may act in; empty: all'),
    isActive: z.boolean().optional(),
    password: password.optional().describe('a new one-time password (a reset): the user must change it at sign-in'),
  })
  .strict()
  .meta({ id: 'UpdateUserRequest' })

export const UserView = z
  .object({
    username: z.string(),
    role: z.enum(ROLES),
    locations: z.array(z.string()),
    isActive: z.boolean(),
    mustChangePassword: z.boolean(),
    lockedUntil: z.string().nullable(),
  })
  .meta({ id: 'User' })
export type UserView = z.infer<typeof UserView>

export const CreateTokenRequest = z
  .object({
    name: z.string().trim().min(1).max(100).describe('what the token is for, e.g. erp-sync'),
    scope: z.enum(TOKEN_SCOPES),
    username: username.optional().describe('owner; the caller when omitted'),
    expiresInDays: z.number().int().min(1).max(730).default(90),
  })
  .strict()
  .meta({ id: 'CreateTokenRequest' })

export const TokenView = z
  .object({
    id: z.string(),
    name: z.string(),
    username: z.string(),
    scope: z.enum(TOKEN_SCOPES).describe('the scope it was issued with'),
    effectiveScope: z
      .enum(TOKEN_SCOPES)
      .describe("what it can do now: its scope capped at the owner's current role (a role lowered later)"),
    createdAt: z.string(),
    expiresAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiToken' })
export type TokenView = z.infer<typeof TokenView>

export const CreatedToken = TokenView.extend({
  token: z.string().describe('the secret: shown once, store it now'),
}).meta({ id: 'CreatedApiToken' })

/** The signed-in user, as sign-in and GET /auth/me answer (the CSRF token only with a session). */
export const Me = z
  .object({
    user: z.object({
      username: z.string(),
      role: z.enum(ROLES),
      locations: z.array(z.string()),
      mustChangePassword: z.boolean(),
    }),
    csrfToken: z.string().optional(),
  })
  .meta({ id: 'Me' })
export type Me = z.infer<typeof Me>

/** One administrative action, as the admin log lists it. */
export const AdminEvent = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.string(),
    action: z.string().describe('user.created, user.role_changed, token.issued, …'),
    subject: z.string().describe('the user or token acted on'),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AdminEvent' })
