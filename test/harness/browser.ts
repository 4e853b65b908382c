import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

// Debian's chromium package: the real binary, or its launcher script.
const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium'].filter(
  (path): path is string => Boolean(path),
);

/** Headless Chromium from the system (scripts/test.sh installs Debian's package); never a downloaded browser build. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = CANDIDATES.find((path) => fs.existsSync(path));
  if (!executablePath)
    throw new Error(
      `No Chromium found (looked at ${CANDIDATES.join(', ')}): apt-get install chromium, or set CHROMIUM_PATH`,
    );
  // No sandbox: tests run as root in a container, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}
