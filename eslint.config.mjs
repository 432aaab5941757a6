// Lint rules from CONTRIBUTING.md: strict types, no floating promises, type-only imports, and workflow
// code that can only reach deterministic modules. Import cycles and the layers' arrows are checked by
// dependency-cruiser (.dependency-cruiser.cjs, `npm run check:layers`), type imports included.
import tseslint from 'typescript-eslint';

// Modules that do I/O or are non-deterministic. Workflows and the pure engine may import their types
// (erased at compile time) but never their values: zod inside a workflow would retry a task forever.
const impureModules = [
  'zod',
  'mongodb',
  'nodemailer',
  'twilio',
  'smtp-server',
  'mailparser',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
  'node:*',
  'fs',
  'path',
  'crypto',
  'http',
  'net',
  'child_process',
];

// Our own modules that run on the Node side (they import I/O modules); types only from there.
const nodeSideModules = ['activities', 'schemas', 'store', 'router', 'simulator', 'cli', 'tools'].flatMap(
  (folder) => [`**/${folder}`, `**/${folder}/**`],
);

const restrictTo = (typeOnlyModules) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          group: impureModules,
          message: 'Workflows and the engine must stay deterministic: no I/O modules.',
        },
        {
          group: typeOnlyModules,
          allowTypeImports: true,
          message: 'Only type imports from here: values would pull I/O into the workflow bundle.',
        },
      ],
    },
  ],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.data/**', 'eslint.config.mjs', '.dependency-cruiser.cjs'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's describe/it return promises that the runner itself awaits.
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test'] },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['workflows/**/*.ts'], rules: restrictTo(nodeSideModules) },
  // The engine sits below the workflows too: it may not even import their values.
  { files: ['engine/**/*.ts'], rules: restrictTo([...nodeSideModules, '**/workflows', '**/workflows/**']) },
  // The bin launcher (cli/bin.cjs) is the one plain-JavaScript file: node runs it before tsx is
  // registered, so it is CommonJS outside the TypeScript project, linted without type information.
  {
    files: ['**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
