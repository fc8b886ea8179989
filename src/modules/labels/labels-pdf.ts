/*
 * Labels as a PDF (pdfkit): each label's symbol rendered by bwip-js as a PNG with its quiet zone, the
 * human-readable lines beside it, placed by the layout (sheet grid, thermal label, dumbbell tag).
 * Pages are written as they fill, so a thousand labels stream out rather than sit in memory.
 */
import type { Writable } from 'node:stream'
import bwipjs from 'bwip-js'
import PDFDocument from 'pdfkit'
import { type LabelContent, type LabelLayout, labelOrigin, perPage } from './labels.rules.js'

/** The symbol as a PNG, white background and a quiet zone, so scanners (and zxing) read it. */
export const symbolPng = (c: LabelContent): Promise<Buffer> =>
  bwipjs.toBuffer({ bcid: c.bcid, text: c.text, scale: 4, padding: 4, backgroundcolor: 'FFFFFF' })

/** The text cut (with an ellipsis) to fit `width` in the current font. */
function fitted(doc: PDFKit.PDFDocument, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text
  let t = text
  while (t.length > 1 && doc.widthOfString(`${t}…`) > width) t = t.slice(0, -1)
  return `${t}…`
}

async function drawLabel(doc: PDFKit.PDFDocument, c: LabelContent, l: LabelLayout, at: { x: number; y: number }) {
  const p = l.printable
  const side = Math.min(p.height, p.width / 2)
  doc.image(await symbolPng(c), at.x + p.x, at.y + p.y, { fit: [side, side] })
  const offset = l.textOffset ?? side + 3
  const x = at.x + p.x + offset
  const width = p.width - offset
  const size = Math.max(4, Math.min(8, p.height / 5))
  const bottom = at.y + p.y + p.height
  let y = at.y + p.y
  for (const [i, line] of c.lines.entries()) {
    if (y + size * 2.2 > bottom && i > 0) break
    doc.font(i === 0 ? 'Helvetica-Bold' : 'Helvetica').fontSize(size)
    doc.text(fitted(doc, line, width), x, y, { lineBreak: false })
    y += size * 1.25
  }
  // The human-readable AI string, smaller and wrapped: it must be read whole.
  const small = Math.max(3.5, size * 0.75)
  doc
    .font('Helvetica')
    .fontSize(small)
    .text(c.hri, x, Math.min(y, bottom - small * 2.4), { width, height: small * 2.5 })
}

/** Writes the labels of `contents` (an async sequence) as a PDF to `out`; resolves when the file is done. */
export async function writeLabelsPdf(
  contents: AsyncIterable<LabelContent>,
  layout: LabelLayout,
  out: Writable,
): Promise<number> {
  const doc = new PDFDocument({ size: [layout.page.width, layout.page.height], margin: 0, autoFirstPage: false })
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve)
    out.on('error', reject)
  })
  doc.pipe(out)
  let n = 0
  for await (const c of contents) {
    const slot = n % perPage(layout)
    if (slot === 0) doc.addPage({ size: [layout.page.width, layout.page.height], margin: 0 })
    await drawLabel(doc, c, layout, labelOrigin(layout, slot))
    n++
  }
  if (n === 0) doc.addPage().fontSize(10).text('no labels', 10, 10)
  doc.end()
  await done
  return n
}
