import { z } from 'zod'
import { UNIT_STATUSES } from '../units/unit-status.rules.js'

/*
 * The dashboard's query and answer, apart from dashboard.ts so the web app can type the answer from
 * them: this module imports only zod and other pure modules, never the database.
 */

export const DashboardQuery = z
  .object({
    weeks: z.coerce
      .number()
      .int()
      .min(1)
      .max(104)
      .default(12)
      .describe('how many weeks of receipts and sales, the current one included'),
    recent: z.coerce.number().int().min(0).max(100).default(10).describe('how many recent ledger events'),
  })
  .strict()
export type DashboardQuery = z.infer<typeof DashboardQuery>

export const Dashboard = z
  .object({
    asOf: z.string(),
    stock: z.object({
      serialUnits: z.number().describe('serial-tracked units in stock'),
      serialValue: z.number().describe('their value at standard cost'),
      quantity: z.number().describe('lot- and quantity-tracked stock on hand'),
      quantityValue: z.number(),
      totalValue: z.number(),
    }),
    unitsByStatus: z.array(z.object({ status: z.enum(UNIT_STATUSES), count: z.number() })),
    weeks: z
      .array(
        z.object({
          weekStart: z.string().describe('Monday of the week (UTC), YYYY-MM-DD'),
          receipts: z.number().describe('receipt events'),
          receivedUnits: z.number().describe('serial units plus quantities received'),
          sales: z.number().describe('sale events'),
          soldUnits: z.number().describe('serial units plus quantities sold'),
          salesValue: z.number().describe('sale prices of those units and quantities'),
        }),
      )
      .describe('oldest first'),
    recent: z.array(
      z.object({
        seq: z.number(),
        type: z.string(),
        occurredAt: z.string(),
        actor: z.string(),
        location: z.string().nullable(),
        document: z.object({ type: z.string(), number: z.string() }).nullable(),
        unitCount: z.number(),
        quantityLineCount: z.number(),
      }),
    ),
  })
  .meta({ id: 'Dashboard' })
export type Dashboard = z.infer<typeof Dashboard>

export const DisplaySettingsResponse = z
  .object({
    currency: z.string().describe('ISO 4217 code money is shown in (SERIAL_LEDGER_CURRENCY, else from the locale)'),
    locale: z.string().describe('BCP 47 tag numbers and dates are written in (SERIAL_LEDGER_LOCALE, else LANG)'),
  })
  .meta({ id: 'DisplaySettings' })
