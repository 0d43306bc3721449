/**
 * Debian's Chromium driven by playwright-core for the console's browser
 * tests. Nothing is downloaded: the browser is the system's, and its flags
 * keep it off the network (no QUIC, sync, component updates or background
 * requests), so the only server it talks to is the test's own on 127.0.0.1.
 */
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export function chromiumMissing(): string | null {
  return fs.existsSync(CHROMIUM_PATH) ? null : `${CHROMIUM_PATH} is not installed (apt-get install chromium)`;
}

/** Builds the console into `outDir`, as `npm run build` does into dist/console. */
export async function buildConsole(outDir: string): Promise<void> {
  await build({
    configFile: new URL('../../src/console/vite.config.ts', import.meta.url).pathname,
    build: { outDir, emptyOutDir: true },
    logLevel: 'error',
  });
}
