// `npm run lint`: typescript-eslint's strict type-checked rules over the TypeScript, lit's and web components' rules over the elements.
import tseslint from 'typescript-eslint';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/fixtures/**', 'demo/apps/**', 'bench/**/*.js', '**/*.d.ts', '**/*.d.mts'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  { files: ['slots/**/*.ts'], extends: [lit.configs['flat/recommended'], wc.configs['flat/recommended']] },
);
