/*
 * Per-scan feedback a clerk hears without looking (WebAudio): a short high tick when a scan is accepted,
 * one mid tone when it is accepted but unexpected, two low square pulses when it is refused, and a
 * falling pair when it is the wrong SKU (a product barcode, another SKU's unit or GTIN).
 */
let ctx: AudioContext | undefined

export type Tone = 'ok' | 'warn' | 'error' | 'wrong-sku'

declare global {
  interface Window {
    /** The tones played in this page, in order (read by the browser tests). */
    __slTones?: Tone[]
  }
}

function audio(): AudioContext | undefined {
  try {
    ctx ??= new AudioContext()
    if (ctx.state === 'suspended') void ctx.resume()
    return ctx
  } catch {
    return undefined
  }
}

function play(frequencies: number[], ms: number, type: OscillatorType, volume: number): void {
  const a = audio()
  if (!a) return
  frequencies.forEach((frequency, i) => {
    const start = a.currentTime + (i * ms * 1.6) / 1000
    const osc = a.createOscillator()
    const gain = a.createGain()
    osc.type = type
    osc.frequency.value = frequency
    gain.gain.setValueAtTime(volume, start)
    gain.gain.exponentialRampToValueAtTime(0.0001, start + ms / 1000)
    osc.connect(gain).connect(a.destination)
    osc.start(start)
    osc.stop(start + ms / 1000 + 0.02)
  })
}

const TONES: Record<Tone, () => void> = {
  ok: () => play([1760], 45, 'sine', 0.12),
  warn: () => play([660], 90, 'triangle', 0.2),
  error: () => play([220, 220], 120, 'square', 0.25),
  'wrong-sku': () => play([880, 440], 110, 'sawtooth', 0.2),
}

/** Plays a scan's tone (and records it for the tests). */
export function beep(tone: Tone): void {
  ;(window.__slTones ??= []).push(tone)
  TONES[tone]()
}

/** The error beep: two low square pulses, unmistakable on a noisy shop floor. */
export const beepError = () => beep('error')
/** A warning (accepted but unexpected): one mid tone. */
export const beepWarn = () => beep('warn')
/** Creates (or resumes) the audio context on a user gesture, so the first beep is not swallowed. */
export const primeAudio = () => void audio()
