/*
 * What a unit's label says and how it is laid out, pure: the GS1 element string (01) GTIN + (21) serial,
 * with (10) lot and (17) expiry when known, as a GS1 DataMatrix, or the GS1 Digital Link as a QR code;
 * the human-readable lines under it; the sheet and thermal layouts; and the ZPL a Zebra printer takes.
 */
import { aiDefinition, type AiElement, checkAiValue, toBracketed, toElementString } from '../gs1/ai.rules.js'
import { GS1_DL_STEM, generateDigitalLinkUri } from '../gs1/digital-link.rules.js'

export const LABEL_FORMATS = ['pdf', 'zpl'] as const
export type LabelFormat = (typeof LABEL_FORMATS)[number]
export const LABEL_SYMBOLS = ['datamatrix', 'qr'] as const
export type LabelSymbol = (typeof LABEL_SYMBOLS)[number]

/** A unit as its label needs it. */
export interface LabelUnit {
  serial: string
  skuCode: string
  skuName: string
  gtin: string | null
  lot: string | null
  /** YYYY-MM-DD */
  expiresOn: string | null
}

/** What one label carries: the symbol's data for bwip-js and for ZPL, and the text lines. */
export interface LabelContent {
  /** bwip-js symbology: `gs1datamatrix` (bracketed AIs), `datamatrix` or `qrcode` (plain text). */
  bcid: 'gs1datamatrix' | 'datamatrix' | 'qrcode'
  /** The text bwip-js encodes. */
  text: string
  /** ZPL: the barcode command and its field data. */
  zpl: { command: 'BX' | 'BQ'; data: string; gs1: boolean }
  /** The human-readable interpretation: `(01)…(21)…`, or the serial. */
  hri: string
  lines: string[]
}

const fits = (ai: string, value: string) => checkAiValue(aiDefinition(ai)!, value) === undefined

/** The GS1 elements of a unit's label, or undefined when its SKU has no GTIN or the serial is no AI 21. */
export function labelElements(u: LabelUnit): AiElement[] | undefined {
  if (!u.gtin || !fits('21', u.serial)) return undefined
  const expiry = u.expiresOn ? u.expiresOn.slice(2, 4) + u.expiresOn.slice(5, 7) + u.expiresOn.slice(8, 10) : undefined
  return [
    { ai: '01', value: u.gtin },
    ...(expiry && fits('17', expiry) ? [{ ai: '17', value: expiry }] : []),
    ...(u.lot && fits('10', u.lot) ? [{ ai: '10', value: u.lot }] : []),
    { ai: '21', value: u.serial },
  ]
}

/** ZPL field data may not hold its own command characters. */
const zplText = (s: string) => s.replace(/[\^~\\]/g, ' ')

/** The label of one unit in the given symbol. */
export function labelContent(u: LabelUnit, symbol: LabelSymbol, stem = GS1_DL_STEM): LabelContent {
  const elements = labelElements(u)
  // The serial first: a small tag has room for a line or two.
  const lines = [`SN ${u.serial}`, u.skuName, u.skuCode, ...(u.lot ? [`LOT ${u.lot}`] : [])]
  if (symbol === 'qr') {
    const link = elements && generateDigitalLinkUri(elements, stem)
    const text = link?.ok ? link.uri : u.serial
    return { bcid: 'qrcode', text, zpl: { command: 'BQ', data: `MA,${text}`, gs1: false }, hri: text, lines }
  }
  if (!elements)
    return {
      bcid: 'datamatrix',
      text: u.serial,
      zpl: { command: 'BX', data: zplText(u.serial), gs1: false },
      hri: u.serial,
      lines,
    }
  const hri = toBracketed(elements)
  // In ZPL's ^BX, `_1` is FNC1: first (GS1 data) and after each variable-length value but the last.
  return {
    bcid: 'gs1datamatrix',
    text: hri,
    zpl: { command: 'BX', data: toElementString(elements, '_1'), gs1: true },
    hri,
    lines,
  }
}

export const MM = 72 / 25.4

/** A layout: the page, and where labels of what size go on it. */
export interface LabelLayout {
  name: string
  description: string
  page: { width: number; height: number }
  label: { width: number; height: number }
  columns: number
  rows: number
  /** The top-left corner of the first label, and the step to the next column and row (points). */
  origin: { x: number; y: number }
  pitch: { x: number; y: number }
  /** The part of the label the symbol and text are printed on (a dumbbell tag prints one wing). */
  printable: { x: number; y: number; width: number; height: number }
  /** Where the text starts, from the printable area's left (a dumbbell tag: on the other wing). */
  textOffset?: number
}

const sheet = (
  name: string,
  description: string,
  page: [number, number],
  cols: number,
  rows: number,
  w: number,
  h: number,
  top: number,
  left: number,
  gapX: number,
): LabelLayout => ({
  name,
  description,
  page: { width: page[0], height: page[1] },
  label: { width: w * MM, height: h * MM },
  columns: cols,
  rows,
  origin: { x: left * MM, y: top * MM },
  pitch: { x: (w + gapX) * MM, y: h * MM },
  printable: { x: 2 * MM, y: 2 * MM, width: (w - 4) * MM, height: (h - 4) * MM },
})

const single = (
  name: string,
  description: string,
  w: number,
  h: number,
  printable: LabelLayout['printable'],
): LabelLayout => ({
  name,
  description,
  page: { width: w * MM, height: h * MM },
  label: { width: w * MM, height: h * MM },
  columns: 1,
  rows: 1,
  origin: { x: 0, y: 0 },
  pitch: { x: 0, y: 0 },
  printable,
})

/** The layouts `--layout` names. */
export const LABEL_LAYOUTS: Record<string, LabelLayout> = {
  'a4-grid': sheet('a4-grid', 'A4 sheet, 3 × 8 labels of 70 × 37 mm', [595.28, 841.89], 3, 8, 70, 37, 0.5, 0, 0),
  'letter-grid': sheet(
    'letter-grid',
    'US Letter sheet, 3 × 10 labels of 66.7 × 25.4 mm (Avery 5160)',
    [612, 792],
    3,
    10,
    66.7,
    25.4,
    12.7,
    4.8,
    3.2,
  ),
  'thermal-50x25': single('thermal-50x25', 'thermal roll, one 50 × 25 mm label per page', 50, 25, {
    x: 1.5 * MM,
    y: 1.5 * MM,
    width: 47 * MM,
    height: 22 * MM,
  }),
  'jewelry-dumbbell': {
    ...single(
      'jewelry-dumbbell',
      'jewelry dumbbell tag 56 × 13 mm: symbol on one 22 mm wing, text on the other',
      56,
      13,
      {
        x: 1 * MM,
        y: 1 * MM,
        width: 54 * MM,
        height: 11 * MM,
      },
    ),
    textOffset: 34 * MM,
  },
}
export const LABEL_LAYOUT_NAMES = Object.keys(LABEL_LAYOUTS)

/** Labels per page of a layout. */
export const perPage = (l: LabelLayout): number => l.columns * l.rows

/** Where label `i` of a page goes (top-left, points). */
export const labelOrigin = (l: LabelLayout, i: number) => ({
  x: l.origin.x + (i % l.columns) * l.pitch.x,
  y: l.origin.y + Math.floor(i / l.columns) * l.pitch.y,
})

/** ZPL for one label at 203 dpi (8 dots/mm) sized by the layout's label: symbol left, text right. */
export function zplLabel(c: LabelContent, l: LabelLayout): string {
  const dots = (pt: number) => Math.round((pt / MM) * 8)
  const w = dots(l.label.width)
  const h = dots(l.label.height)
  const p = { x: dots(l.printable.x), y: dots(l.printable.y), h: dots(l.printable.height), w: dots(l.printable.width) }
  const module = Math.max(2, Math.min(6, Math.floor(p.h / 26)))
  const symbol =
    c.zpl.command === 'BX'
      ? `^FO${p.x},${p.y}^BXN,${module},200,0,0,1,_^FD${c.zpl.data}^FS`
      : `^FO${p.x},${p.y}^BQN,2,${Math.max(1, Math.min(5, Math.floor(p.h / 40)))}^FD${c.zpl.data}^FS`
  const textX = p.x + (l.textOffset !== undefined ? dots(l.textOffset) : Math.min(p.h, p.w / 2) + 8)
  const font = Math.max(12, Math.floor(p.h / 6))
  const text = [...c.lines, c.hri].slice(0, Math.max(1, Math.floor(p.h / (font + 4)))).map((t, i) => {
    const box = `^FB${Math.max(10, p.x + p.w - textX)},1,0,L`
    return `^FO${textX},${p.y + i * (font + 4)}^A0N,${font},${font}${box}^FD${zplText(t)}^FS`
  })
  return ['^XA', `^PW${w}`, `^LL${h}`, '^CI28', symbol, ...text, '^XZ'].join('\n')
}
