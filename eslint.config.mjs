// `npm run lint`: typescript-eslint's strict type-checked rules over every TypeScript file, and lit's and
// web components' rules over the elements. Where a rule's default is changed, the reason is beside it.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';

const wireError = { from: 'file', name: 'SerializedSlotbridgeError', path: 'src/errors/slotbridge-error.ts' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/fixtures/**', 'demo/apps/**', 'test/screenshots/**', 'bench/fixtures/**', 'bench/.build/**', '**/*.d.ts', '**/*.d.mts'] },
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
  {
    // The bench is JavaScript: a page's scripts and Node's. ESLint's recommended rules, without types.
    files: ['bench/**/*.js', 'bench/**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
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
      // A test names the type it expects of what a page or a frame hands back, and takes methods off objects to watch them.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/no-unnecessary-type-parameters': 'off',
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // A failure message prints what it got, whatever it is.
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/restrict-plus-operands': 'off',
    },
  },
  {
    // Type tests: each expression is there for the type the compiler gives it.
    files: ['test/types/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off', '@typescript-eslint/no-unused-vars': 'off' },
  },
);
