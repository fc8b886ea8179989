import { buildApp } from '../src/http/app.js'
import { connect, migrateToLatest } from '../src/db/connect.js'
import { systemClock } from '../src/core/clock.js'
const db = connect('sqlite::memory:'); await migrateToLatest(db)
const app = await buildApp({ db, clock: systemClock, actor: 'x' })
const r = await app.inject({ method: 'GET', url: '/api/openapi.json' })
console.log(r.statusCode, r.body.slice(0, 300))
try { app.swagger() } catch (e) { console.log(e) }
