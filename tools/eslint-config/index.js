// Shared flat config: typescript-eslint's type-checked rules for every workspace package.
// Consumers write one line: `export { default } from '@alx/eslint-config'`.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/**', 'solutions/**', 'coverage/**', 'reports/**', 'node_modules/**', '**/*.config.*', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: process.cwd() },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Tests, demos, benches and CLIs talk to a terminal, and jest's matchers trip unbound-method.
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts', 'demo/**/*.ts', 'bin/**/*.ts', 'scripts/**/*.ts', 'src/**/cli*.ts', 'src/**/demo*.ts'],
    rules: { 'no-console': 'off', '@typescript-eslint/unbound-method': 'off' },
  },
)
