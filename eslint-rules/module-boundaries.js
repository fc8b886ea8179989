/*
 * The import rules of the module layout (docs/architecture.md):
 * - a module imports another module through its `index.ts`, or one of its pure files (`*.rules.ts`,
 *   `*.schemas.ts`, `*.errors.ts`, `*.tables.ts`), which this rule keeps pure, so they drag in no I/O;
 * - a pure file (`*.rules.ts`, `*.schemas.ts`, `*.errors.ts`) imports only `src/core/`, other pure
 *   files and, for schemas, zod; a `*.tables.ts` only types;
 * - only a module's `*.routes.ts` imports from `src/http/`;
 * - `src/core/` imports nothing outside itself at run time.
 */
import { dirname, relative, resolve, sep } from 'node:path'

const PURE = /\.(rules|schemas|errors|tables)\.(ts|js)$/
const isTest = (file) => /\.test\.tsx?$/.test(file)

function parts(root, file) {
  const rel = relative(root, file).split(sep).join('/')
  const m = /^src\/modules\/([^/]+)\/(.+)$/.exec(rel)
  return { rel, module: m?.[1], inModule: m?.[2] }
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'module boundaries and pure rule files' },
    schema: [],
  },
  create(context) {
    const root = context.cwd
    const file = context.filename
    if (isTest(file)) return {}
    const self = parts(root, file)
    if (!self.rel.startsWith('src/')) return {}
    const isPure = PURE.test(file)
    const isTables = /\.tables\.ts$/.test(file)

    function check(node, source, isTypeOnly) {
      if (typeof source !== 'string') return
      const report = (message) => context.report({ node, message })
      if (!source.startsWith('.')) {
        if (isPure && !isTypeOnly && !(source === 'zod' && /\.schemas\.ts$/.test(file)))
          report(`${self.inModule ?? self.rel} is a pure file: it may not import ${source}`)
        if (self.rel.startsWith('src/core/') && !isTypeOnly && !source.startsWith('node:'))
          report(`src/core imports no packages (${source})`)
        return
      }
      const target = parts(root, resolve(dirname(file), source))
      if (self.rel.startsWith('src/core/')) {
        if (!target.rel.startsWith('src/core/') && !isTypeOnly) report(`src/core may not import ${target.rel}`)
        return
      }
      if (isPure) {
        const ok = target.rel.startsWith('src/core/') || PURE.test(target.rel) || (isTables && isTypeOnly)
        if (!ok || (/\.tables\.(ts|js)$/.test(target.rel) && !isTypeOnly))
          report(`${self.inModule} is a pure file: it may import only src/core and other pure files, not ${target.rel}`)
        return
      }
      if (target.rel.startsWith('src/http/') && self.module && !/\.routes\.ts$/.test(file))
        report(`only a module's *.routes.ts may import from src/http (${target.rel})`)
      if (self.module && target.module && target.module !== self.module) {
        const ok = target.inModule === 'index.js' || target.inModule === 'index.ts' || PURE.test(target.inModule)
        if (!ok) report(`import ${target.module}'s ${target.inModule} through ../${target.module}/index.js`)
      }
    }

    const typeOnly = (node) =>
      node.importKind === 'type' ||
      (node.specifiers?.length > 0 && node.specifiers.every((s) => s.importKind === 'type'))
    return {
      ImportDeclaration: (node) => check(node, node.source.value, typeOnly(node)),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value, node.exportKind === 'type'),
      ExportAllDeclaration: (node) => check(node, node.source.value, node.exportKind === 'type'),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value, false),
    }
  },
}
