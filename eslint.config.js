// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'src/faces/web/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      eqeqeq: ['error', 'always'],
      curly: ['error', 'all'],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name=/^(raw|unsafe)$/] > TemplateLiteral[expressions.length>0]",
          message: 'SQL must not be built from template strings; use Kysely builders or sql`` tagged templates.',
        },
      ],
    },
  },
  {
    files: ['src/libs/**/*.ts'],
    ignores: ['src/libs/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/services/**', '**/adapters/**', '**/faces/**', '**/config/**'], message: 'libs are pure: they import only other libs.' },
            { group: ['node:fs', 'node:fs/*', 'node:net', 'node:http', 'node:https', 'node:child_process', 'fs', 'net', 'http', 'https'], message: 'libs do no I/O.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/adapters/**', '**/faces/**', 'fastify', 'better-sqlite3', 'pg', 'kysely'], message: 'services use ports, not adapters or drivers.' }] },
      ],
    },
  },
);
