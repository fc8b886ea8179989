/*
 * A type test: `npm run typecheck` compiles it; it never runs and ships nothing. It adds an operation
 * ("repair": a unit goes to the workshop) the way docs/architecture.md says, and shows that each piece
 * the compiler can know about is required: every line marked `@ts-expect-error` must fail to compile
 * (if one compiled, tsc would report the unused directive), and the complete declaration compiles.
 */
import { z } from 'zod'
import type { OperationPlan } from '../../src/modules/operations/index.js'
import { stockOperation } from '../../src/modules/operations/index.js'
import { OPERATIONS } from '../../src/modules/registry.js'
import { TRANSITIONS, type UnitEventType } from '../../src/modules/units/index.js'
import { CASES, type HarnessCases } from '../harness.js'

const RepairRequest = z.object({ units: z.array(z.string()), reason: z.string() }).strict()
const plan = {} as OperationPlan

const declaration = {
  name: 'repair',
  url: '/repairs',
  summary: 'Send units to repair',
  tag: 'quality',
  policy: 'stock.adjust',
  body: RepairRequest,
  events: ['restocked'],
  document: 'adjustment',
  bodyLimit: 1024,
  load: async () => ({}),
  decide: () => plan,
} as const

// The complete declaration compiles.
export const repair = stockOperation(declaration)

// An event that is not a row of the unit state machine does not.
// @ts-expect-error 'repaired' is not a UnitEventType
stockOperation({ ...declaration, events: ['repaired'] })

// Nor a document type the documents module does not know.
// @ts-expect-error 'repair_order' is not a DocumentType
stockOperation({ ...declaration, document: 'repair_order' })

// Nor a policy that is not a permission of the role table.
// @ts-expect-error 'stock.repair' is not a Permission
stockOperation({ ...declaration, policy: 'stock.repair' })

// Nor a decide step that does not return a plan.
// @ts-expect-error decide must return an OperationPlan
stockOperation({ ...declaration, decide: () => ({ units: [] }) })

// Nor a declaration without its load step.
// @ts-expect-error load is required
stockOperation({ ...declaration, load: undefined })

// A new event type needs its row in the state machine: the table is keyed by every event type.
// @ts-expect-error TRANSITIONS has no row for 'repaired'
export const rows: Record<UnitEventType | 'repaired', unknown> = TRANSITIONS

// The random-operation harness needs a case for every operation in the registry.
type WithRepair = [...typeof OPERATIONS, typeof repair]
// @ts-expect-error no harness case for 'repair'
export const missingCase: HarnessCases<WithRepair> = { ...CASES }
export const withCase: HarnessCases<WithRepair> = { ...CASES, repair: () => ({ units: ['SN-1'], reason: 'screen' }) }
