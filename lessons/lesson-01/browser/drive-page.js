#!/usr/bin/env node
// Plays a learner at lesson-01's page (../page/index.html) in Debian's
// headless Chromium: opens it from file:// as a learner would, clicks and
// types as the steps say, and prints the page's log, one line per entry, as
// it grows. lessons/lesson-01/tests/browser.rs runs it and reads what it prints.
//
//   node drive-page.js QUERY STEP...      e.g.  node drive-page.js port=8080 \
//       connect wait:open send:hello wait:received disconnect wait:close
//
// QUERY is the page's query string (`port=N` or `url=ws://...`). Steps:
//   connect, disconnect   click the button
//   send:TEXT             type TEXT in the message box and send it
//   send-long:N           send a message of N characters (no one types that)
//   wait:PREFIX           wait for a new log line that starts with PREFIX, then
//                         print the log up to it (every wait is bounded)
// Exit status: 0 when every step was done, 1 when one failed (a wait ran out,
// the page threw), 2 when the browser cannot be started.

'use strict';

const path = require('node:path');
const { pathToFileURL } = require('node:url');
// puppeteer-core is the copy the book check pins (tools/book-check): the
// repository installs and updates one.
const puppeteer = require(path.join(__dirname, '../../../tools/book-check/node_modules/puppeteer-core'));

// Debian's browser, never a downloaded one; CHROMIUM may point elsewhere.
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// How long one step may take: long enough for a loaded machine, bounded so
// that a page that never shows what is awaited fails instead of hanging.
const STEP_TIMEOUT_MS = 15_000;
const PAGE = path.join(__dirname, '..', 'page', 'index.html');

// The page's log as text, one entry per line.
const logLines = (page) => page.$$eval('#log li', (items) => items.map((item) => item.textContent));

async function play(page, steps) {
  let printed = 0; // log lines printed so far
  const printUpTo = async (count) => {
    const lines = await logLines(page);
    for (; printed < count; printed += 1) console.log(lines[printed]);
  };
  for (const step of steps) {
    const [action, argument = ''] = step.split(/:(.*)/s);
    switch (action) {
      case 'connect':
        await page.click('#connect');
        break;
      case 'disconnect':
        await page.click('#disconnect');
        break;
      case 'send':
      case 'send-long': {
        const text = action === 'send' ? argument : 'x'.repeat(Number(argument));
        await page.waitForSelector('#send:not([disabled])', { timeout: STEP_TIMEOUT_MS });
        // Setting the value, not typing it key by key: the same message, at once.
        await page.$eval('#message', (box, value) => { box.value = value; }, text);
        await page.click('#send');
        break;
      }
      case 'wait': {
        const found = await page.waitForFunction(
          (from, prefix) => {
            const items = Array.from(document.querySelectorAll('#log li')).slice(from);
            const index = items.findIndex((item) => item.textContent.startsWith(prefix));
            return index >= 0 && from + index + 1;
          },
          { timeout: STEP_TIMEOUT_MS },
          printed,
          argument,
        );
        await printUpTo(await found.jsonValue());
        break;
      }
      default:
        throw new Error(`unknown step ${JSON.stringify(step)}`);
    }
  }
  await printUpTo((await logLines(page)).length);
}

async function main() {
  const [query, ...steps] = process.argv.slice(2);
  if (query === undefined) {
    console.error('usage: drive-page.js QUERY STEP...   (see the top of this file)');
    process.exit(2);
  }
  let browser;
  try {
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      // No sandbox: CI runs as root, where Chromium refuses to start with one.
      args: ['--no-sandbox', '--disable-gpu'],
    });
  } catch (error) {
    console.error(`error: cannot start ${CHROMIUM}: ${error.message}`);
    process.exit(2);
  }
  try {
    const page = await browser.newPage();
    // An exception in the page is a bug in it, whatever the steps show.
    const thrown = new Promise((_, reject) => page.on('pageerror', reject));
    await page.goto(`${pathToFileURL(PAGE)}?${query}`);
    await Promise.race([play(page, steps), thrown]);
  } catch (error) {
    console.error(`error: ${error.message}`);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

main();
