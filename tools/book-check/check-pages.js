#!/usr/bin/env node
// Opens every page of a built mdBook in Debian's headless Chromium, at the
// width of a laptop screen, and reports what a reader would trip over:
// a page that scrolls sideways, a picture wider than the text column (or
// shrunk so far its text is hard to read), an error in the console, and a
// resource that does not load. mdBook itself checks none of these.
//
//   node tools/book-check/check-pages.js book/book
//
// Exit status: 0 when every page is clean, 1 when a page has a problem (each
// named with the page and the element), 2 when the check itself cannot run.

'use strict';

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const puppeteer = require('puppeteer-core');

const VIEWPORT = { width: 1280, height: 800 };
// Below this share of its own width a picture's text is too small to read.
const SMALLEST_SCALE = 0.75;
// Debian's browser, never a downloaded one; CHROMIUM may point elsewhere.
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// Not pages a reader opens: print.html repeats every chapter and opens the
// print dialog on load; toc.html is the sidebar for readers without
// JavaScript, shown inside the other pages.
const SKIPPED = new Set(['print.html', 'toc.html']);

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
};

function htmlPages(root) {
  const pages = [];
  const walk = (folder) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.html')) pages.push(path.relative(root, full));
    }
  };
  walk(root);
  return pages.filter((page) => !SKIPPED.has(page)).sort();
}

// mdBook's pages load scripts and fonts by relative URL, and its 404 page by
// absolute URL, so they are served over HTTP from the book's root, on
// loopback and a port the system picks, rather than opened from file://.
function serve(root) {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url, 'http://localhost');
    const file = path.join(root, decodeURIComponent(url.pathname));
    const inside = file === root || file.startsWith(root + path.sep);
    let target = file;
    if (inside && fs.existsSync(target) && fs.statSync(target).isDirectory()) {
      target = path.join(target, 'index.html');
    }
    if (!inside || !fs.existsSync(target)) {
      response.writeHead(404).end();
      return;
    }
    const type = TYPES[path.extname(target)] || 'application/octet-stream';
    response.writeHead(200, { 'content-type': type });
    fs.createReadStream(target).pipe(response);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// Runs inside the page: what does not fit. Returns one line per problem.
function layoutProblems(smallestScale) {
  const describe = (element) => {
    let name = element.tagName.toLowerCase();
    if (element.id) name += `#${element.id}`;
    for (const cls of Array.from(element.classList).slice(0, 2)) name += `.${cls}`;
    const source = element.getAttribute('src');
    if (source) name += ` src="${source}"`;
    const text = (element.getAttribute('alt') || element.textContent || '').trim();
    if (text) name += ` "${text.slice(0, 50)}${text.length > 50 ? '…' : ''}"`;
    return name;
  };
  // An element inside a box that scrolls or clips sideways (a code block)
  // cannot widen the page, however wide it is.
  const clipped = (element) => {
    for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return true;
    }
    return false;
  };
  const problems = [];
  const viewport = document.documentElement.clientWidth;
  const scrolled = document.documentElement.scrollWidth;
  if (scrolled > viewport) {
    const culprits = Array.from(document.body.querySelectorAll('*')).filter((element) => {
      const box = element.getBoundingClientRect();
      const parentBox = element.parentElement.getBoundingClientRect();
      // The outermost element that sticks out: its parent still fits.
      return box.right > viewport + 0.5 && parentBox.right <= viewport + 0.5 && !clipped(element);
    });
    const named = culprits.slice(0, 3).map(describe).join('; ') || 'no single element found';
    problems.push(`the page is ${scrolled} px wide in a ${viewport} px window: ${named}`);
  }
  for (const picture of document.querySelectorAll('img, svg')) {
    if (picture.parentElement.closest('svg')) continue; // an svg nested in an inline svg
    // mdBook 0.5 repeats each image in a hidden wrapper, shown on click to zoom.
    if (!picture.checkVisibility()) continue;
    const column = (picture.closest('main') || document.body).getBoundingClientRect();
    const box = picture.getBoundingClientRect();
    if (box.width > column.width + 0.5 || box.right > column.right + 0.5) {
      problems.push(
        `${describe(picture)} is ${Math.round(box.width)} px wide, the column ${Math.round(column.width)} px`,
      );
    }
    if (picture.tagName === 'IMG' && picture.complete && picture.naturalWidth === 0) {
      problems.push(`${describe(picture)} did not load`);
    } else if (picture.tagName === 'IMG' && box.width < picture.naturalWidth * smallestScale) {
      const scale = Math.round((100 * box.width) / picture.naturalWidth);
      problems.push(`${describe(picture)} is shrunk to ${scale}% of its width: its text is hard to read`);
    }
  }
  return problems;
}

async function checkPage(browser, base, page) {
  const problems = [];
  const tab = await browser.newPage();
  try {
    await tab.setViewport(VIEWPORT);
    tab.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    tab.on('pageerror', (error) => problems.push(`uncaught exception: ${error.message}`));
    tab.on('requestfailed', (request) => {
      problems.push(`${request.url()} failed to load: ${request.failure()?.errorText}`);
    });
    tab.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.url()} answered ${response.status()}`);
    });
    await tab.goto(`${base}/${page}`, { waitUntil: 'load', timeout: 30_000 });
    problems.push(...(await tab.evaluate(layoutProblems, SMALLEST_SCALE)));
  } finally {
    await tab.close();
  }
  return problems.map((problem) => `${page}: ${problem}`);
}

// Every problem on every page of the built book in `root`, one line each.
async function checkBook(root) {
  const pages = htmlPages(root);
  if (pages.length === 0) throw new Error(`no .html pages in ${root}: build the book first`);
  const server = await serve(root);
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    // No sandbox: CI runs as root, where Chromium refuses to start with one.
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const base = `http://127.0.0.1:${server.address().port}`;
    const problems = [];
    for (const page of pages) problems.push(...(await checkPage(browser, base, page)));
    return { pages, problems };
  } finally {
    await browser.close();
    server.close();
  }
}

async function main() {
  const [root] = process.argv.slice(2);
  if (!root || !fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    console.error('usage: check-pages.js BUILT_BOOK_DIR   (e.g. book/book, after `mdbook build book`)');
    process.exit(2);
  }
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`error: no browser at ${CHROMIUM}: install Debian's with \`apt-get install chromium\``);
    process.exit(2);
  }
  let result;
  try {
    result = await checkBook(path.resolve(root));
  } catch (error) {
    console.error(`error: the page check could not run: ${error.message}`);
    process.exit(2);
  }
  for (const problem of result.problems) console.log(problem);
  const size = `${VIEWPORT.width}×${VIEWPORT.height}`;
  if (result.problems.length > 0) {
    console.log(`${result.problems.length} problem(s) in ${result.pages.length} pages at ${size}`);
    process.exit(1);
  }
  console.log(`${result.pages.length} pages checked at ${size}: no overflow, no console errors, every resource loaded`);
}

if (require.main === module) main();

module.exports = { checkBook };
