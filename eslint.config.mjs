// `npm run lint`: typescript-eslint's strict type-checked rules over every TypeScript file, and lit's and
// web components' rules over the elements. Where a rule's default is changed, the reason is beside it.
import tseslint from 'typescript-eslint';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';

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
    },
  },
);
