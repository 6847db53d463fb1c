/** The Chromium to test with: CHROME_PATH, else the usual install paths. */
export function findChrome(): string;
/** Headless flags for that Chromium. */
export function chromeArgs(): string[];
