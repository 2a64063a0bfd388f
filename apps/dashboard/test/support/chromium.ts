import { existsSync } from 'node:fs';

import { chromium, type Browser } from 'playwright-core';

/** Where Debian's chromium package puts the browser; CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Playwright cannot download its own browser here, so the system one is
// driven; these flags keep it from reaching the network or a GPU.
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** What to tell someone whose machine has no Chromium. */
export const MISSING_CHROMIUM_MESSAGE =
  `Chromium is not installed at ${CHROMIUM_PATH}; the dashboard's browser tests need it. ` +
  'Install it with `apt-get install -y chromium` (Debian/Ubuntu), or point ' +
  'CHROMIUM_PATH at a Chromium or Chrome binary.';

/**
 * Starts the system Chromium headless, with a new empty profile (Playwright
 * makes one per launch and deletes it on close). A missing browser is an
 * error, not a skip: a browser test that silently did not run would pass CI.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(MISSING_CHROMIUM_MESSAGE);
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
}
