import { useEffect, useRef, useState } from 'react'
import { type CameraProblem, cameraProblemText, decodeFrame, openCamera } from '../scan/camera'

/**
 * A camera button beside a scan field: opens the phone's back camera, reads a DataMatrix, QR, Code 128 or
 * EAN/UPC, and hands its text to `onScan` as if a scanner had typed it. Without a camera or permission it
 * says so and the field works as before.
 */
export function CameraScan({
  onScan,
  disabled,
  label = 'Camera',
  ariaLabel,
}: {
  onScan: (text: string) => void
  disabled?: boolean
  /** The button's text (the header's box shows an icon) and, if given, its accessible name. */
  label?: string
  ariaLabel?: string
}) {
  const [stream, setStream] = useState<MediaStream>()
  const [problem, setProblem] = useState<CameraProblem>()
  const video = useRef<HTMLVideoElement>(null)
  // The latest handler, so a re-render does not restart the camera.
  const handler = useRef(onScan)
  useEffect(() => {
    handler.current = onScan
  }, [onScan])

  useEffect(() => {
    if (!stream || !video.current) return
    const v = video.current
    v.srcObject = stream
    void v.play().catch(() => undefined)
    const canvas = document.createElement('canvas')
    let stopped = false
    let timer: number | undefined
    const tick = async () => {
      if (stopped) return
      if (v.videoWidth > 0) {
        canvas.width = v.videoWidth
        canvas.height = v.videoHeight
        const ctx = canvas.getContext('2d', { willReadFrequently: true })!
        ctx.drawImage(v, 0, 0)
        const text = await decodeFrame(ctx.getImageData(0, 0, canvas.width, canvas.height)).catch((e: unknown) => {
          console.error('decode failed', e)
          return undefined
        })
        if (text && !stopped) {
          handler.current(text)
          setStream(undefined)
          return
        }
      }
      timer = window.setTimeout(() => void tick(), 200)
    }
    void tick()
    return () => {
      stopped = true
      window.clearTimeout(timer)
      stream.getTracks().forEach((t) => t.stop())
    }
  }, [stream])

  const start = async () => {
    setProblem(undefined)
    const s = await openCamera()
    if (typeof s === 'string') setProblem(s)
    else setStream(s)
  }
  return (
    <span className="camera-scan">
      {stream ? (
        <button type="button" className="button" onClick={() => setStream(undefined)}>
          Stop camera
        </button>
      ) : (
        <button
          type="button"
          className="button"
          onClick={() => void start()}
          disabled={disabled}
          aria-label={ariaLabel}
          title={ariaLabel}
        >
          {label}
        </button>
      )}
      {stream && (
        // The preview of what the camera sees; the decoded barcode goes into the scan field.
        <video ref={video} className="camera-preview" muted playsInline aria-label="Camera preview" />
      )}
      {problem && (
        <small className="hint camera-problem" role="status">
          {cameraProblemText(problem)}
        </small>
      )}
    </span>
  )
}
