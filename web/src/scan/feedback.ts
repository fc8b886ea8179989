/* Per-scan feedback a clerk hears without looking: a short WebAudio beep (low for an error, a soft high tick for a warning). */
let ctx: AudioContext | undefined

function audio(): AudioContext | undefined {
  try {
    ctx ??= new AudioContext()
    if (ctx.state === 'suspended') void ctx.resume()
    return ctx
  } catch {
    return undefined
  }
}

function tone(frequency: number, ms: number, type: OscillatorType, volume: number, repeat = 1): void {
  const a = audio()
  if (!a) return
  for (let i = 0; i < repeat; i++) {
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
  }
}

/** The error beep: two low square pulses, unmistakable on a noisy shop floor. */
export const beepError = () => tone(220, 120, 'square', 0.25, 2)
/** A warning (accepted but unexpected): one mid tone. */
export const beepWarn = () => tone(660, 90, 'triangle', 0.2)
/** Creates (or resumes) the audio context on a user gesture, so the first error beep is not swallowed. */
export const primeAudio = () => void audio()
