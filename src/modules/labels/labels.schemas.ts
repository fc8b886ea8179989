import { z } from 'zod'
import { LABEL_FORMATS, LABEL_LAYOUT_NAMES, LABEL_SYMBOLS } from './labels.rules.js'

/** Most units one label request prints. */
export const MAX_LABELS = 10_000

export const LabelsQuery = z
  .object({
    receipt: z.string().min(1).max(64).optional().describe("receipt number: a label for each of the receipt's units"),
    serials: z
      .string()
      .max(200_000)
      .optional()
      .describe('serials, comma- or newline-separated (a selection, or one unit)'),
    format: z.enum(LABEL_FORMATS).default('pdf').describe('pdf (sheets, thermal, tags) or zpl (Zebra printers)'),
    layout: z
      .enum(LABEL_LAYOUT_NAMES as [string, ...string[]])
      .default('thermal-50x25')
      .describe(`label layout: ${LABEL_LAYOUT_NAMES.join(', ')}`),
    symbol: z
      .enum(LABEL_SYMBOLS)
      .default('datamatrix')
      .describe('GS1 DataMatrix (01)+(21), or QR with the Digital Link'),
  })
  .strict()
export type LabelsQuery = z.infer<typeof LabelsQuery>

/** The serials of a `serials` parameter or file: one per line or comma-separated, blanks dropped. */
export const serialsOf = (text: string): string[] =>
  text
    .split(/[\n,\r]+/)
    .map((s) => s.trim())
    .filter(Boolean)
