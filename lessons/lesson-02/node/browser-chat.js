// Two tabs of Debian's headless Chromium chat through a lesson-02 server:
// both open the page at BASE_URL, one types MESSAGE and presses Enter, and
// once it shows in both, this prints each page's status and messages. Any
// error in a page's console, or a request that fails, is printed too and
// fails the run.
//
//   node lessons/lesson-02/node/browser-chat.js http://127.0.0.1:PORT/ MESSAGE
//
// puppeteer-core is the one the book check pins (tools/book-check), so the
// repository installs and updates a single copy; it drives the system's
// browser (CHROMIUM, /usr/bin/chromium by default) and never downloads one.
'use strict';

const path = require('node:path');
const puppeteer = require(path.join(__dirname, '../../../tools/book-check/node_modules/puppeteer-core'));

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// Waits are bounded, so a broken page fails the run instead of hanging it.
const PATIENCE_MS = 15000;
// Checked on a timer: the default, on every animation frame, never fires in
// a tab in the background, and only one tab is in front.
const POLLING = { timeout: PATIENCE_MS, polling: 50 };
const [base, message] = process.argv.slice(2);

async function open(browser, problems) {
  const page = await browser.newPage();
  page.on('console', (entry) => {
    if (entry.type() === 'error') problems.push(`console: ${entry.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // The long poll that WebSocket replaces is cut on purpose: not a problem.
    if (!request.url().includes('/socket.io/')) problems.push(`failed: ${request.url()}`);
  });
  await page.goto(base, { timeout: PATIENCE_MS });
  await page.waitForFunction(
    () => document.getElementById('status').textContent === 'connected',
    POLLING,
  );
  return page;
}

function shows(page, text) {
  return page.waitForFunction(
    (text) => [...document.querySelectorAll('#messages li')].some((li) => li.textContent === text),
    POLLING,
    text,
  );
}

async function main() {
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    // No sandbox: CI runs as root, where Chromium refuses to start with one.
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const problems = [];
  try {
    const pages = [await open(browser, problems), await open(browser, problems)];
    await pages[0].type('#input', message);
    await pages[0].keyboard.press('Enter');
    await Promise.all(pages.map((page) => shows(page, message)));
    for (const [index, page] of pages.entries()) {
      const seen = await page.evaluate(() => ({
        status: document.getElementById('status').textContent,
        messages: [...document.querySelectorAll('#messages li')].map((li) => li.textContent),
        input: document.getElementById('input').value,
      }));
      console.log(`page ${index + 1}: ${JSON.stringify(seen)}`);
    }
  } finally {
    await browser.close();
  }
  for (const problem of problems) console.log(problem);
  if (problems.length > 0) process.exitCode = 1;
}

main().catch((error) => {
  console.log(`error: ${error.message}`);
  process.exitCode = 1;
});
