// ESLint with typescript-eslint's type-aware rules: `npm run lint`, and a counted step of `npm test`.
// Type information comes from the project's own tsconfigs through the project service (the root
// tsconfig.json for server/, domain/, contracts/, e2e/, bench/, scripts/; web/tsconfig.json for
// web/src/). Zero warnings (`--max-warnings 0`); a disable comment must say why.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** Test code: files that run under vitest or drive the app from outside. */
const TEST_FILES = ['**/*.test.ts', '**/*.test-helpers.ts', '**/*.e2e.ts', 'server/test/**', 'e2e/**'];

export default defineConfig(
  {
    ignores: ['node_modules/', 'web/dist/', 'dist/', 'data/', '.tmp/', 'coverage/', 'reports/'],
  },
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: {
          // Files no tsconfig includes (the .mjs scripts, the build configs) get a default program.
          allowDefaultProject: ['scripts/*.mjs', 'eslint.config.js', 'stryker.config.mjs', 'web/vite.config.ts'],
          // Nine such files today (typescript-eslint's default cap is eight); each is small.
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 16,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A `!` silences the type checker exactly where a value may be missing: handle the case.
      '@typescript-eslint/no-non-null-assertion': 'error',
      // `void promise` is the written way to say "not awaited, on purpose" (with a comment why).
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Off: Fastify plugins and hooks are async by contract (a plugin signals it is ready by
      // resolving), so an async function without `await` is normal here. The bug this rule is
      // after, a promise that is not awaited, is what no-floating-promises reports.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: globals.node },
    rules: {
      // Off in plain JavaScript (the scripts/*.mjs launchers): without annotations every parameter
      // and every JSON.parse is `any`, and a JSDoc cast is invisible to these rules. The promise
      // rules still run there, with the types TypeScript infers.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: TEST_FILES,
    rules: {
      // Off in tests: `app.inject(…).json()` is `any` by light-my-request's design, and every value
      // a test reads from it is checked by an `expect` at run time; typing each body would add casts,
      // not safety. Production code keeps these rules.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Off in tests: a value a test expects and does not find fails the test on that very line
      // (a TypeError naming it), which is the test doing its job; the rule is for code that runs
      // in production, where the same `!` would hide a path.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Off in tests: `res.json() as T` is reported as unnecessary (T is inferred from the
      // assertion itself) and removing it makes the body `any`.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat['recommended-latest']],
  },
);
