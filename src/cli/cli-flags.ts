import type { z } from 'zod'
import { AppError } from '../core/errors.js'

/** Command-line flags read through a request schema; a bad flag is `request.invalid` naming `--flag`. */
export function parseFlags<S extends z.ZodType>(schema: S, flags: unknown): z.output<S> {
  const parsed = schema.safeParse(flags)
  if (parsed.success) return parsed.data
  throw new AppError(
    'request.invalid',
    parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '),
  )
}
