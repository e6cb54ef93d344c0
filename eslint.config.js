import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'build/**',
      '.bench-build/**',
      'src/core/routes/schema-validator.generated.ts',
      'node_modules/**',
      'coverage/**'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: Object.fromEntries(
        [
          'process',
          'console',
          'Buffer',
          'URL',
          'URLSearchParams',
          'fetch',
          'performance',
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'clearInterval',
          'AbortController',
          'AbortSignal',
          'TextDecoder',
          'TextEncoder',
          'Headers'
        ].map((g) => [g, 'readonly'])
      )
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off'
    }
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      // The functional core never touches the network, files, env or the clock (DESIGN.md §5).
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:fs*', 'fs', 'node:http*', 'http', 'https', 'node:net', 'node:child_process'],
              message: 'src/core is pure: pass data in from src/shell.'
            },
            {
              group: ['@actions/*', 'google-auth-library', '../shell/*', '../../shell/*', '../entry/*'],
              message: 'src/core is pure: pass data in from src/shell.'
            }
          ]
        }
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Pass the clock in.' },
        { object: 'Math', property: 'random', message: 'Pass randomness in (e.g. a seeded prng).' },
        { object: 'process', property: 'env', message: 'Read env in src/shell or src/entry.' }
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Pass the clock in: new Date() reads it; new Date(value) is fine.'
        }
      ]
    }
  }
)
