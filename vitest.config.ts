import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          // Tests make their keys unattended in the unencrypted keyring (the CLI's default is "file").
          env: { AIND_KEYRING_BACKEND: 'test' },
          include: [
            'core/**/*.test.ts',
            'tree/**/*.test.ts',
            'app/**/*.test.ts',
            'modules/**/*.test.ts',
            'home/**/*.test.ts',
            'localnet/**/*.test.ts',
            // In-process app tests: the whole app, no network.
            'test/app/**/*.test.ts',
            // The house rules on the import graph.
            'test/house/**/*.test.ts',
            'client/**/*.test.ts',
            'cmd/**/*.test.ts',
            'proto/**/*.test.ts',
            'storage/**/*.test.ts',
            'executor/**/*.test.ts',
            // The web explorer's pure parts (formats, chart counts); its pages are tested in Chromium (test/ui.test.ts).
            'ui/**/*.test.ts',
          ],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          env: { AIND_KEYRING_BACKEND: 'test' },
          include: ['test/**/*.test.ts'],
          exclude: ['test/app/**', 'test/house/**'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // Real CometBFT nodes on a 2-core machine: one file at a time.
          sequence: { groupOrder: 1 },
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
