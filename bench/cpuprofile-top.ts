/**
 * Sums a .cpuprofile's self time (node --cpu-prof, or bench/sale-cpu.ts --profile) by function and by
 * package / source area, and prints the largest shares:
 *
 *   node --import tsx bench/cpuprofile-top.ts <file.cpuprofile> [--top 40] [--inclusive]
 *     [--leave-out writev,writeBuffer,(idle)]
 *
 * --inclusive adds the time of every sample to each function and area on its stack (what runs beneath).
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string', default: '40' },
    inclusive: { type: 'boolean', default: false },
    'leave-out': { type: 'string' },
  },
})
const profile = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as Profile
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const self = new Map<number, number>()
// --leave-out writev,writeBuffer,(idle): samples whose own function is one of these count nowhere (on a busy
// machine the thread is often descheduled inside a socket write, and the profiler's clock is the wall's).
const leftOut = new Set((values['leave-out'] ?? '').split(',').filter(Boolean))
profile.samples.forEach((id, i) => {
  const fn = byId.get(id)!.callFrame.functionName
  if (leftOut.has(fn) || leftOut.has(`(${fn})`)) return
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
})
const total = [...self.values()].reduce((a, b) => a + b, 0)

/** The package (node_modules/<name>), the source file under src/, node: internals, or the V8 pseudo-node. */
const areaOf = (url: string, fn: string): string => {
  if (!url) return `(${fn || 'native'})`
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (pkg) return pkg[1]!
  const src = /\/(src|bench)\/(.+)$/.exec(url)
  if (src) return `${src[1]}/${src[2]}`
  if (url.startsWith('node:')) return url
  return url
}
const byFunction = new Map<string, number>()
const byArea = new Map<string, number>()
for (const [id, t] of self) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame
  const area = areaOf(url, functionName)
  const key = `${functionName || '(anonymous)'} ${area}:${lineNumber + 1}`
  byFunction.set(key, (byFunction.get(key) ?? 0) + t)
  byArea.set(area, (byArea.get(area) ?? 0) + t)
}
// Inclusive time: each sample counts once for every function (and area) on its stack.
const parent = new Map<number, number>()
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
const inclusiveFunction = new Map<string, number>()
const inclusiveArea = new Map<string, number>()
for (const [id, t] of self) {
  const functions = new Set<string>()
  const areas = new Set<string>()
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const { functionName, url, lineNumber } = byId.get(at)!.callFrame
    if (!url) continue
    const area = areaOf(url, functionName)
    areas.add(area)
    functions.add(`${functionName || '(anonymous)'} ${area}:${lineNumber + 1}`)
  }
  for (const f of functions) inclusiveFunction.set(f, (inclusiveFunction.get(f) ?? 0) + t)
  for (const a of areas) inclusiveArea.set(a, (inclusiveArea.get(a) ?? 0) + t)
}
const top = Number(values.top)
const print = (title: string, m: Map<string, number>) => {
  console.log(`\n${title} (self time, of ${(total / 1000).toFixed(0)} ms sampled)`)
  for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${((100 * t) / total).toFixed(1).padStart(5)} %  ${(t / 1000).toFixed(0).padStart(6)} ms  ${k}`)
}
print('by package / source file', byArea)
print('by function', byFunction)
if (values.inclusive) {
  print('inclusive, by package / source file', inclusiveArea)
  print('inclusive, by function', inclusiveFunction)
}
