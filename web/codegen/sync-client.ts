/* `npm run sync:client`: writes web/src/api/schema.gen.ts from the committed openapi.json. */
import { writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { CLIENT_SCHEMA, committedOpenApi, generateClientSchema } from './client-schema.js'

await writeFile(CLIENT_SCHEMA, await generateClientSchema(await committedOpenApi()))
console.log(`wrote ${fileURLToPath(CLIENT_SCHEMA)}`)
