// ESLint for the TypeScript of apps, libs, test, bench, scripts and examples: typescript-eslint's
// strict type-checked rules, with formatting left to Prettier (eslint-config-prettier goes last).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // bench/peer is a package of its own (Emmett, for the peer comparison), type-checked by its own strict tsc when the
  // bench builds it; its dependencies are absent until then, so type-aware rules here would see only `any`.
  { ignores: ['node_modules/', 'dist/', 'coverage/', 'data/', 'bench/peer/', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  {
    files: ['{apps,libs,test,bench,scripts,examples}/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Numbers and booleans in messages and ids are intended (`${count}`); objects and unions with undefined are not.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // Exhaustive `never` checks in every switch over a closed union (STYLE.md); a default branch does not excuse one.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false },
      ],
      // NestJS modules, DTOs and controllers are classes with decorators and no members of their own.
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
      // `() => resolve()` callbacks are idiomatic; a void value returned from a block or used in a condition is still caught.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // Ports are promise-returning by contract; the SQLite adapters (a synchronous driver) implement them with async and no await.
      // Forgotten awaits are caught by no-floating-promises and no-misused-promises, which stay on.
      '@typescript-eslint/require-await': 'off',
      // Response DTO classes are the OpenAPI description of plain JSON bodies: nothing checks instanceof, a literal is the intent.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Commands, DTOs and stored rows arrive as JSON typed as their trusted shape, and the guards that check them at run time
      // are the point of this codebase; with noUncheckedIndexedAccess off the rule reads those guards (and every `arr[i]`
      // check) as unnecessary: 70 hits, none a bug. The compiler's strict mode stays the judge of real nullability.
      '@typescript-eslint/no-unnecessary-condition': 'off',
    },
  },
  {
    // The console runs in the browser (apps/console/tsconfig.json adds the DOM library); same rules otherwise.
    files: ['apps/console/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.spec.ts', '**/testing/**/*.ts', 'test/**/*.ts'],
    rules: {
      // Specs assert on values they have just checked exist; a failed `!` fails the test, which is the point.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // jest's expect.any / expect.objectContaining return `any` by design.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      // Parsed HTTP bodies (supertest's res.body is `any`) are what specs inspect, with matchers that check their shape.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/restrict-plus-operands': 'off',
    },
  },
  prettier,
);
