/*
 * Reading barcodes from the phone's camera with zxing-wasm (ZXing C++ as WebAssembly). Its .wasm is
 * bundled by Vite (`?url`) and served by our server from /assets/: nothing is fetched from a CDN.
 */
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url'
import { prepareZXingModule, readBarcodes, type ReaderOptions } from 'zxing-wasm/reader'

/** Where the decoder's WebAssembly is served from (our own origin). */
export const ZXING_WASM_URL: string = wasmUrl

let prepared = false
function prepare() {
  if (prepared) return
  prepareZXingModule({
    overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path) },
  })
  prepared = true
}

/** DataMatrix, QR, Code 128 and EAN/UPC, the symbols on serialized goods. */
const OPTIONS: ReaderOptions = {
  formats: ['DataMatrix', 'QRCode', 'Code128', 'EAN-13', 'EAN-8', 'UPC-A', 'UPC-E'],
  tryHarder: true,
  maxNumberOfSymbols: 1,
}

/**
 * The scan a decoded symbol stands for, as a keyboard-wedge scanner would send it: GS1 symbols as their
 * bracketed element string (zxing's text for GS1 content), others as their text.
 */
export async function decodeFrame(image: ImageData): Promise<string | undefined> {
  prepare()
  const [found] = await readBarcodes(image, OPTIONS)
  return found && found.isValid ? found.text : undefined
}

export type CameraProblem = 'no-camera' | 'denied' | 'failed'

/** Why the camera cannot be used, in words for the scan field. */
export function cameraProblemText(p: CameraProblem): string {
  if (p === 'no-camera') return 'This browser has no camera to scan with: use a scanner or type the serial.'
  if (p === 'denied') return 'Camera permission was not given: allow it in the browser, or use a scanner or type.'
  return 'The camera could not be started: use a scanner or type the serial.'
}

/** Opens the back camera, or says why not (never throws). */
export async function openCamera(): Promise<MediaStream | CameraProblem> {
  if (!navigator.mediaDevices?.getUserMedia) return 'no-camera'
  try {
    return await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false })
  } catch (e) {
    const name = (e as DOMException).name
    if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied'
    if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'no-camera'
    return 'failed'
  }
}
