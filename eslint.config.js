import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  // schema.gen.ts is generated (`npm run sync:client`): its style is openapi-typescript's.
  { ignores: ['dist/', 'node_modules/', 'data/', 'bench/out/', 'scratch/', 'web/src/api/schema.gen.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['bin/**/*.js'], languageOptions: { globals: { console: 'readonly', process: 'readonly' } } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
)
