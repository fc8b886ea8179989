import type { WriteScope } from '../../core/context.js'
import { AppError } from '../../core/errors.js'
import { getLocationsByIds } from './locations.service.js'

const within = (path: string, scope: readonly string[]) => scope.some((s) => path.startsWith(s))

/**
 * Refuses a command that touches stock outside the actor's locations (a Store A clerk selling Store B's
 * unit). `unitPaths` are where the units are now; `locationIds` are the other places the command names.
 */
export async function assertInLocationScope(
  scope: WriteScope,
  unitPaths: readonly (string | null)[],
  locationIds: readonly (string | null)[],
): Promise<void> {
  const allowed = scope.locationScope
  if (!allowed) return
  const outside = unitPaths.filter((p): p is string => p !== null && !within(p, allowed))
  const places = await getLocationsByIds(scope.trx, locationIds)
  for (const loc of places.values()) if (!within(loc.path, allowed)) outside.push(loc.path)
  if (outside.length > 0)
    throw new AppError(
      'auth.out_of_scope',
      `${scope.actor} may not act at ${[...new Set(outside)].slice(0, 5).join(', ')}`,
    )
}
