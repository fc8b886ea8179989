import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { ZodError } from 'zod'
import { isRetryable } from '../db/errors.js'
import { AppError, type ErrorCode, type ErrorKind } from '../core/errors.js'
import { ERRORS } from '../modules/registry.js'

/** The only place an error becomes an HTTP status: by its kind, which each module declares per code. */
const KIND_STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unprocessable: 422,
  locked: 423,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
}

export const statusOf = (code: ErrorCode): number => KIND_STATUS[ERRORS[code]]

/** Every error code with its HTTP status (what docs/errors.md must list). */
export const errorStatuses = (): [ErrorCode, number][] =>
  (Object.keys(ERRORS) as ErrorCode[]).map((code) => [code, statusOf(code)])

export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  code: string
  instance?: string
  errors?: { path: string; message: string }[]
  [key: string]: unknown
}

const title = (code: string) => code.replace(/[._]/g, ' ').replace(/^./, (c) => c.toUpperCase())

/** Turns any thrown error into an RFC 9457 problem; unknown errors become a generic 500. */
export function toProblem(error: unknown, instance?: string): Problem {
  const base = (code: string, status: number, detail: string): Problem => ({
    type: `https://serial-ledger.dev/problems/${code}`,
    title: title(code),
    status,
    detail,
    code,
    instance,
  })
  // The first few paths in `detail` for a person; every one of them in `errors` for a program.
  const invalidRequest = (errors: { path: string; message: string }[]): Problem => {
    const detail = errors
      .map((e) => `${e.path}: ${e.message}`)
      .slice(0, 5)
      .join('; ')
    return { ...base('request.invalid', 400, detail), errors }
  }
  if (error instanceof AppError) return { ...base(error.code, statusOf(error.code), error.message), ...error.details }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = error.validation.map((v) => ({
      path: v.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(body)',
      message: v.message ?? 'invalid',
    }))
    return invalidRequest(errors)
  }
  if (error instanceof ZodError)
    return invalidRequest(error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })))
  // The write lock stayed taken for the whole wait (a very long receipt or import): nothing was written.
  if (isRetryable(error))
    return base('db.busy', 503, 'the database stayed busy with another write; nothing was written, retry in a moment')
  const fe = error as FastifyError
  if (fe?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return base('request.too_large', 413, 'request body is too large')
  if (fe?.statusCode && fe.statusCode >= 400 && fe.statusCode < 500)
    return base('request.invalid', fe.statusCode, fe.message)
  return base('internal', 500, 'internal error; the server log has the details under this request id')
}

export function sendProblem(error: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = toProblem(error, req.url)
  if (problem.status >= 500) req.log.error({ err: error, reqId: req.id }, 'request failed')
  if (problem.status === 503) reply.header('retry-after', '5')
  return reply
    .code(problem.status)
    .type('application/problem+json')
    .send({ ...problem, requestId: problem.status >= 500 ? req.id : undefined })
}
