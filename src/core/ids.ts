import { randomBytes } from 'node:crypto'

const POOL_SIZE = 16 * 4096
let pool = randomBytes(POOL_SIZE)
let poolOffset = 0
let lastMs = 0
let counter = 0

/**
 * A UUIDv7 (RFC 9562): 48-bit millisecond time, then a 12-bit counter so ids made in the same
 * millisecond still sort in creation order, then random bits. Random bytes come from a pool because a
 * million-unit receipt makes a million ids.
 */
export function newId(now = Date.now()): string {
  if (now <= lastMs) {
    counter++
    if (counter > 0xfff) {
      lastMs++
      counter = 0
    }
  } else {
    lastMs = now
    counter = 0
  }
  if (poolOffset + 8 > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE)
    poolOffset = 0
  }
  const ms = lastMs.toString(16).padStart(12, '0')
  const rand = pool.toString('hex', poolOffset, poolOffset + 8)
  poolOffset += 8
  const variant = ((parseInt(rand.slice(0, 1), 16) & 0x3) | 0x8).toString(16)
  const seq = counter.toString(16).padStart(3, '0')
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${seq}-${variant}${rand.slice(1, 4)}-${rand.slice(4, 16)}`
}
