import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'
import { webRootOf } from '../config.js'

/** Where `npm run build:web` puts the React app: `dist/web` at the project root (from src/http or dist/src/http). */
export function defaultWebRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'web')
    dir = dirname(dir)
  }
  return resolve('dist', 'web')
}

/** A path that names a file (`/assets/x.js`, `/favicon.ico`) rather than a page of the app. */
const looksLikeFile = (path: string) => /\/[^/]+\.[a-z0-9]+$/i.test(path)

/**
 * Serves the built web app at `/`, when it has been built (`dist/web/index.html` exists; otherwise
 * registers nothing and the API runs alone). Files are listed once at start-up; hashed assets are cached
 * for a year, `index.html` never. Any other GET outside `/api` that names no file gets `index.html`, so the
 * app's own routes (`/units/…`) survive a reload; unknown `/api` paths and missing files still get the
 * API's problem+json 404. Register it last in buildApp: `await app.register(webApp())`.
 */
export function webApp(root: string = webRootOf() ?? defaultWebRoot()) {
  return async function web(app: FastifyInstance): Promise<void> {
    if (!existsSync(join(root, 'index.html'))) {
      app.log.info({ root }, 'web app not built (npm run build:web): serving the API only')
      return
    }
    await app.register(fastifyStatic, {
      root,
      wildcard: false,
      index: ['index.html'],
      cacheControl: false,
      setHeaders: (res, path) => {
        if (/[\\/]assets[\\/]/.test(path)) res.setHeader('cache-control', 'public, max-age=31536000, immutable')
        else res.setHeader('cache-control', 'no-cache')
      },
    })
    app.get('/*', { schema: { hide: true } }, (req, reply) => {
      const path = req.url.split('?')[0] ?? '/'
      if (path === '/api' || path.startsWith('/api/') || looksLikeFile(path)) return reply.callNotFound()
      return reply.header('cache-control', 'no-cache').sendFile('index.html')
    })
  }
}
