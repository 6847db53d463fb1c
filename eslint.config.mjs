// `npm run lint`: typescript-eslint's strict type-checked rules over every TypeScript file, and lit's and
// web components' rules over the elements. Where a rule's default is changed, the reason is beside it.
import tseslint from 'typescript-eslint';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';

const wireError = { from: 'file', name: 'SerializedSlotbridgeError', path: 'src/errors/slotbridge-error.ts' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/fixtures/**', 'demo/apps/**', 'test/screenshots/**', '**/*.d.ts', '**/*.d.mts', '**/*.mjs', '**/*.js'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // `!` says what the code knows (an element its own template drew, a key it set just before); the
      // alternatives are a throw on every such line or an `as`, which says less.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // A number or a boolean in a message reads as itself.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // `() => this.close()` in a handler returns nothing anyone reads.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // An underscore names what is unused on purpose (a parameter an interface gives, an entry skipped).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      // A refusal crosses the bridge as a plain `{ name, code, message }`, never an Error: no stack leaves the host.
      '@typescript-eslint/only-throw-error': ['error', { allow: [wireError] }],
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allow: [wireError], allowThrowingUnknown: true }],
      // An async function without an await still answers a promise, and a throw in it becomes a rejection: what a
      // caller of a Promise-returning interface (a store, a service) expects of every implementation.
      '@typescript-eslint/require-await': 'off',
      // node:test's describe and it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'before', 'after'] }] },
      ],
    },
  },
  { files: ['slots/**/*.ts'], extends: [lit.configs['flat/recommended'], wc.configs['flat/recommended']] },
  {
    // A test reads what a page, a frame or a response hands back, typed any (puppeteer's evaluate, a JSON body),
    // and pokes at internals on purpose.
    files: ['test/**/*.ts', '**/*.test.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // A test checks at run time what a type only claims (a value a guest or a response may leave out).
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // What a test caught is read like any other value it is handed: as `any`.
      '@typescript-eslint/use-unknown-in-catch-callback-variable': 'off',
    },
  },
);
