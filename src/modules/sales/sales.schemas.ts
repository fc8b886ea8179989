import { z } from 'zod'
import { code } from '../catalog/catalog.schemas.js'
import { RETURN_CHECKS } from './return-checks.rules.js'
import {
  MAX_UNITS_PER_OPERATION,
  OperationResult,
  at,
  containers,
  documentNumber,
  number,
  price,
  quantities,
  reason,
  readScan,
  unitRefObject,
  serial,
  units,
  when,
} from '../operations/operations.schemas.js'

/** An extended warranty sold with a unit: a sale line option with its own price. */
export const ExtendedWarranty = z
  .object({
    months: z.number().int().min(1).max(120).describe("months added to the unit's warranty"),
    price: price.describe('what the extended warranty costs'),
  })
  .strict()
  .meta({ id: 'ExtendedWarranty' })

export const SellRequest = z
  .object({
    customer: code('customer').optional().describe('code of the customer party (anonymous walk-in sale when omitted)'),
    orderRef: z.string().trim().min(1).max(120).describe('order or receipt number'),
    number,
    from: code('location').optional().describe('if given, every unit must be inside this location (the selling store)'),
    units: z
      .array(
        z.preprocess(
          readScan,
          z.union([
            serial,
            unitRefObject({
              price: price.optional().describe("sale price; the SKU's price when omitted"),
              extendedWarranty: ExtendedWarranty.optional(),
            }),
          ]),
        ),
      )
      .max(MAX_UNITS_PER_OPERATION)
      .default([]),
    containers: containers.unwrap().optional(),
    quantities: quantities({ location: at, price: price.optional() }, 'SellQuantity'),
    soldAt: when('of the sale'),
  })
  .strict()
  .meta({ id: 'SellRequest' })

export const ReturnCheckOverride = z
  .object({
    serial,
    check: z.enum(RETURN_CHECKS).describe('the failed check overridden'),
    reason: reason.describe('why the manager accepts the return anyway (kept on the event)'),
  })
  .strict()
  .meta({ id: 'ReturnCheckOverride' })

export const ReturnRequest = z
  .object({
    location: code('location').describe('where the returned goods are put'),
    customer: code('customer').optional(),
    orderRef: z.string().trim().max(120).optional(),
    reason: reason.optional(),
    sku: code('SKU').optional().describe('the SKU the customer says the units are (checked)'),
    overrides: z
      .array(ReturnCheckOverride)
      .max(1000)
      .default([])
      .describe('failed checks a manager accepts, each with a reason (needs stock.adjust)'),
    units,
    quantities: quantities({}, 'ReturnQuantity'),
    returnedAt: when('of the return'),
  })
  .strict()
  .meta({ id: 'ReturnRequest' })

export type SellRequest = z.infer<typeof SellRequest>
export type ReturnRequest = z.infer<typeof ReturnRequest>

export const DISPOSITIONS = ['restock', 'open_box', 'repair', 'vendor', 'scrap'] as const
export type Disposition = (typeof DISPOSITIONS)[number]

export const DispositionRequest = z
  .object({
    disposition: z
      .enum(DISPOSITIONS)
      .describe('restock as new, restock as open-box, send to repair, return to vendor, or scrap'),
    units,
    location: code('location').optional().describe('the repair bench (needed for repair)'),
    price: price.optional().describe('the open-box price of each unit'),
    warrantyMonths: z.number().int().min(0).max(600).optional().describe("the open-box units' shorter warranty"),
    reason: reason.optional(),
    at: when('of the disposition'),
    claim: z
      .object({
        supplier: code('supplier').describe('the supplier the units came from'),
        reason: reason.describe('what is wrong with the units'),
        reference: z.string().trim().min(1).max(120).optional().describe("the supplier's RMA or case number"),
        number: documentNumber('claim number', 'CLM-1234'),
      })
      .strict()
      .optional()
      .describe(
        'vendor only (needs stock.adjust): open a supplier claim for the units in the same request; ' +
          'the units then go back to the vendor on the claim (as POST /claims then its shipment)',
      ),
  })
  .strict()
  .meta({ id: 'DispositionRequest' })
export type DispositionRequest = z.infer<typeof DispositionRequest>

export const DispositionResult = OperationResult.extend({
  claim: z.string().optional().describe('the number of the supplier claim opened with a vendor disposition'),
}).meta({ id: 'DispositionResult' })
export type DispositionResult = z.infer<typeof DispositionResult>

export const CheckResult = z.object({
  check: z.enum(RETURN_CHECKS),
  passed: z.boolean(),
  message: z.string(),
  overridable: z.boolean(),
})

export const ReturnVerification = z
  .object({
    ok: z.boolean().describe('true when every check of every unit passed'),
    units: z.array(
      z.object({
        serial: z.string(),
        sku: z.string().nullable(),
        status: z.string().nullable(),
        checks: z.array(CheckResult).describe('each check, passed or failed with its named reason'),
        signals: z.array(z.string()).describe('fraud signals for this unit'),
      }),
    ),
    signals: z.array(z.string()).describe("fraud signals of the whole return (the customer's history)"),
  })
  .meta({ id: 'ReturnVerification' })
export type ReturnVerification = z.infer<typeof ReturnVerification>

export const ReturnFraudQuery = z.object({ days: z.coerce.number().int().min(1).max(3650).default(90) }).strict()
export const ReturnFraudReport = z
  .object({
    since: z.string(),
    overrides: z.array(
      z.object({
        number: z.string(),
        occurredAt: z.string(),
        actor: z.string(),
        serial: z.string(),
        check: z.string(),
        reason: z.string(),
      }),
    ),
    repeatCustomers: z.array(z.object({ customer: z.string(), name: z.string(), returns: z.number() })),
  })
  .meta({ id: 'ReturnFraudReport' })
export type ReturnFraudReport = z.infer<typeof ReturnFraudReport>
